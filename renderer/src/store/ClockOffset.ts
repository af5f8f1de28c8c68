/**
 * One sender's clock as seen from here: the offset (local receipt time − sender stamp) of its
 * recent messages, estimated by their median, so that one or two outliers (a message stamped an
 * hour ahead, one delivered late) move nothing, while a change that persists (the sender's clock
 * stepped, or delivery got slower) is taken as soon as it holds the majority of the window: at
 * the third message of five.
 *
 * Offsets observed within `burstMs` of each other are one observation, the lowest: a backlog
 * handed over in slices (IngestQueue) a few ms apart tells the offset of its newest message, not
 * one per slice from 120 s old down to now.
 *
 * An offset is the sender's clock skew plus the delivery time. The lowest estimate of the last
 * `floorMs` (the floor: skew plus the quickest delivery) is what the current estimate is compared
 * with to say how far behind this sender the console runs (`lag`). A rise that outlasts `floorMs`
 * becomes the new floor: past that, slower delivery cannot be told from a clock that went back.
 */
export interface ClockOffsetOptions {
  /** Offsets the median is taken over (default 5: up to 2 outliers ignored). */
  window?: number;
  /** How long the lowest estimate is remembered as the floor lag counts from (ms). */
  floorMs?: number;
  /** Lag is reported up to this (ms): beyond it the sender's stamps say nothing useful. */
  maxLagMs?: number;
  /** Offsets observed closer together than this (ms) count once, as the lowest (default 100). */
  burstMs?: number;
}

const DEFAULT_WINDOW = 5;
const DEFAULT_FLOOR_MS = 300_000;
/** Slices of one backlog run a few ms apart; a sender's messages come ≥ 100 ms apart (≤ 10 Hz). */
const DEFAULT_BURST_MS = 100;
/** The floor is kept as the minimum of this many time buckets, so memory stays fixed. */
const BUCKETS = 10;

export class ClockOffset {
  private readonly ring: Float64Array;
  private readonly scratch: Float64Array;
  private count = 0;
  private next = 0;
  private current: number | undefined;
  private readonly bucketMs: number;
  private readonly maxLagMs: number;
  private readonly burstMs: number;
  /** Per bucket: its absolute index (time / bucketMs), and the lowest estimate seen in it. */
  private readonly bucketIndex = new Float64Array(BUCKETS).fill(Number.NaN);
  private readonly bucketMin = new Float64Array(BUCKETS);
  private floorValue: number | undefined;
  private heard: number | undefined;

  constructor(opts: ClockOffsetOptions = {}) {
    const window = opts.window ?? DEFAULT_WINDOW;
    const floorMs = opts.floorMs ?? DEFAULT_FLOOR_MS;
    if (!Number.isInteger(window) || window < 1) {
      throw new RangeError(`clock window must be a positive integer, got ${window}`);
    }
    if (!(floorMs > 0) || !Number.isFinite(floorMs)) {
      throw new RangeError(`clock floor time must be a positive number of ms, got ${floorMs}`);
    }
    this.ring = new Float64Array(window);
    this.scratch = new Float64Array(window);
    this.bucketMs = floorMs / BUCKETS;
    this.maxLagMs = opts.maxLagMs ?? floorMs;
    this.burstMs = opts.burstMs ?? DEFAULT_BURST_MS;
  }

  /**
   * The median of the window's offsets (the upper one of the middle two in an even window: with
   * two disagreeing offsets, the later reading of the sender's stamps, which can pin nothing in
   * the future); undefined before the first.
   */
  get estimate(): number | undefined {
    return this.current;
  }

  /** Local time (ms) of the newest observed offset. */
  get lastAt(): number | undefined {
    return this.heard;
  }

  /** How far the estimate stands above its floor (ms), from 0 to `maxLagMs`. */
  get lag(): number {
    if (this.current === undefined || this.floorValue === undefined) return 0;
    return Math.min(this.maxLagMs, Math.max(0, this.current - this.floorValue));
  }

  /**
   * Takes one offset (local receipt − sender stamp, ms) observed at local time `at`. Returns false,
   * changing nothing, when either is not a finite number.
   */
  observe(offset: number, at: number): boolean {
    if (!Number.isFinite(offset) || !Number.isFinite(at)) return false;
    const last = (this.next + this.ring.length - 1) % this.ring.length;
    const since = this.heard === undefined ? Number.POSITIVE_INFINITY : at - this.heard;
    if (since >= 0 && since < this.burstMs) {
      // The same burst: its lowest offset stands for it.
      this.ring[last] = Math.min(this.ring[last]!, offset);
    } else {
      this.ring[this.next] = offset;
      this.next = (this.next + 1) % this.ring.length;
      this.count = Math.min(this.count + 1, this.ring.length);
    }
    const sorted = this.scratch.subarray(0, this.count);
    sorted.set(this.ring.subarray(0, this.count));
    sorted.sort();
    this.current = sorted[this.count >> 1]!;
    this.heard = at;
    this.updateFloor(this.current, at);
    return true;
  }

  /** Starts the floor again at the current estimate: a rise known to be a clock step, not lag. */
  resetFloor(at: number): void {
    this.bucketIndex.fill(Number.NaN);
    if (this.current !== undefined && Number.isFinite(at)) this.updateFloor(this.current, at);
    else this.floorValue = this.current;
  }

  private updateFloor(estimate: number, at: number): void {
    const index = Math.floor(at / this.bucketMs);
    const slot = ((index % BUCKETS) + BUCKETS) % BUCKETS;
    if (this.bucketIndex[slot] === index) {
      this.bucketMin[slot] = Math.min(this.bucketMin[slot]!, estimate);
    } else {
      this.bucketIndex[slot] = index;
      this.bucketMin[slot] = estimate;
    }
    // Buckets of the last floorMs; one from a clock that has since gone back counts not at all.
    let floor = estimate;
    for (let b = 0; b < BUCKETS; b++) {
      const i = this.bucketIndex[b]!;
      if (i > index - BUCKETS && i <= index) floor = Math.min(floor, this.bucketMin[b]!);
    }
    this.floorValue = floor;
  }
}
