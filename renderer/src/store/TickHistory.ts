/**
 * One series' values over its node's ticks (NodeTicks). A tick at which the series was not
 * reported reads as absent (NaN), never as the value of an older lap of the ring.
 */
import type { NodeTicks } from './NodeTicks.js';

export type ValueArray = Float64Array | Float32Array;

/** What views read from a series' history: points oldest first, absent values as NaN. */
export interface History {
  readonly length: number;
  timeAt(i: number): number;
  /** NaN when the value was absent or not reported at that time. */
  valueAt(i: number): number;
  lastTime(): number | undefined;
  /** Points at or after `since`, oldest first; absent values as null. */
  toPoints(since?: number): Array<[number, number | null]>;
}

export class TickHistory implements History {
  private readonly values: ValueArray;
  /** First and last absolute ticks written. */
  private readonly first: number;
  private last: number;

  constructor(
    private readonly ticks: NodeTicks,
    firstTick: number,
    values: ValueArray,
  ) {
    this.values = values;
    this.first = firstTick;
    this.last = firstTick - 1;
  }

  /** Stores `v` (NaN: absent) at absolute tick `abs`, which is never older than the last write. */
  write(abs: number, v: number): void {
    const cap = this.ticks.capacity;
    if (abs > this.last + 1) {
      // Ticks the series missed read as absent, not as what an older lap left in their slot.
      for (let k = Math.max(this.last + 1, abs - cap + 1); k < abs; k++) this.values[k % cap] = NaN;
    }
    this.values[abs % cap] = v;
    if (abs > this.last) this.last = abs;
  }

  private get start(): number {
    return Math.max(this.first, this.ticks.oldest);
  }

  get length(): number {
    return Math.max(0, this.ticks.newest - this.start + 1);
  }

  timeAt(i: number): number {
    return this.ticks.timeOf(this.start + i);
  }

  valueAt(i: number): number {
    const abs = this.start + i;
    return abs > this.last ? NaN : this.values[abs % this.ticks.capacity]!;
  }

  lastTime(): number | undefined {
    return this.length === 0 ? undefined : this.ticks.timeOf(this.ticks.newest);
  }

  toPoints(since = Number.NEGATIVE_INFINITY): Array<[number, number | null]> {
    const out: Array<[number, number | null]> = [];
    const n = this.length;
    for (let i = 0; i < n; i++) {
      const t = this.timeAt(i);
      if (t < since) continue;
      const v = this.valueAt(i);
      out.push([t, Number.isNaN(v) ? null : v]);
    }
    return out;
  }
}
