/**
 * A bounded, time-ordered series of (time, value) points in two Float64Arrays. Values that are
 * absent are stored as NaN, which means "no data" and is never drawn as 0. Storage grows on demand
 * up to the capacity, so thousands of short-lived series do not each pay for ten minutes up front.
 */

/** 10 minutes at the collector's default 1 s interval. */
export const DEFAULT_CAPACITY = 600;
const INITIAL_SLOTS = 64;

export class RingBuffer {
  private times: Float64Array;
  private values: Float64Array;
  /** Index of the oldest point. */
  private head = 0;
  private size = 0;

  constructor(readonly capacity: number = DEFAULT_CAPACITY) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`RingBuffer capacity must be a positive integer, got ${capacity}`);
    }
    const slots = Math.min(capacity, INITIAL_SLOTS);
    this.times = new Float64Array(slots);
    this.values = new Float64Array(slots);
  }

  get length(): number {
    return this.size;
  }

  /**
   * Appends a point. A point at the last point's time replaces it; an older one is dropped (the
   * collector re-sends its backlog on every reconnect). Returns whether the buffer changed.
   */
  push(t: number, v: number | null): boolean {
    const value = v ?? Number.NaN;
    if (this.size > 0) {
      const last = this.slot(this.size - 1);
      const lastT = this.times[last]!;
      if (t < lastT) return false;
      if (t === lastT) {
        this.values[last] = value;
        return true;
      }
    }
    if (this.size === this.times.length && this.size < this.capacity) this.grow();
    if (this.size < this.times.length) {
      const i = this.slot(this.size);
      this.times[i] = t;
      this.values[i] = value;
      this.size += 1;
    } else {
      this.times[this.head] = t;
      this.values[this.head] = value;
      this.head = (this.head + 1) % this.times.length;
    }
    return true;
  }

  /** Time of the i-th oldest point. */
  timeAt(i: number): number {
    return this.times[this.slot(i)]!;
  }

  /** Value of the i-th oldest point; NaN when it was absent. */
  valueAt(i: number): number {
    return this.values[this.slot(i)]!;
  }

  lastTime(): number | undefined {
    return this.size === 0 ? undefined : this.timeAt(this.size - 1);
  }

  /** Points at or after `since`, oldest first; absent values as null. */
  toPoints(since = Number.NEGATIVE_INFINITY): Array<[number, number | null]> {
    const out: Array<[number, number | null]> = [];
    for (let i = 0; i < this.size; i++) {
      const t = this.timeAt(i);
      if (t < since) continue;
      const v = this.valueAt(i);
      out.push([t, Number.isNaN(v) ? null : v]);
    }
    return out;
  }

  private slot(i: number): number {
    return (this.head + i) % this.times.length;
  }

  private grow(): void {
    const slots = Math.min(this.capacity, this.times.length * 2);
    const times = new Float64Array(slots);
    const values = new Float64Array(slots);
    for (let i = 0; i < this.size; i++) {
      times[i] = this.timeAt(i);
      values[i] = this.valueAt(i);
    }
    this.times = times;
    this.values = values;
    this.head = 0;
  }
}
