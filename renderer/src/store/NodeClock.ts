/**
 * Where one node's messages go on its timeline, whatever its clock does. The store keeps a node's
 * times on the sender's clock (history ticks must only move forward), plus `clockOffset` to turn
 * them into local times. A stamp alone cannot be trusted with that:
 *
 * - A stamp beyond `maxSkewMs` of the local clock (an hour ahead, 1e300, NaN) is placed at its
 *   arrival, and reported (`skewed`). Kept as it was, one message an hour ahead would be the
 *   node's newest for an hour: every good message after it older, its values pinned.
 * - A stamp ahead of its own arrival by more than the tolerance, by the robust offset
 *   (ClockOffset), is placed at its arrival too (`ahead`): one outlier within the skew limit,
 *   or the first messages after the sender's clock stepped forward, until the step is taken.
 * - Messages older than the newest the node sent, yet on time by the offset (the step already
 *   taken), mean the sender's clock stepped back: the timeline continues where it was (`stepped`),
 *   by a shift added to the sender's stamps, instead of waiting for the old time to come round.
 *
 * Everything else keeps its own stamp (`own`): a backlog re-sent on connect (late, so never ahead),
 * a re-sent duplicate, a message delivered late.
 */
import { ClockOffset } from './ClockOffset.js';

export type Placement = 'own' | 'skewed' | 'ahead' | 'stepped';

/**
 * Receipt times are stamped when a batch is handed over: within a frame, or up to 1 s later in a
 * hidden tab (FrameBatcher's HIDDEN_FLUSH_MS). Twice that, or two sender intervals if longer,
 * separates a clock that moved from delivery jitter.
 */
const MIN_TOLERANCE_MS = 2000;

export class NodeClock {
  private readonly offsets: ClockOffset;
  /** Added to sender stamps to put them on the timeline; moves only when the clock steps back. */
  private shift = 0;
  /** Timeline + offset = local time. */
  private offset = 0;
  private newestAt: number | undefined;
  private placedTs = Number.NaN;
  private placedAt = 0;
  private placement: Placement = 'own';

  constructor(private readonly maxSkewMs: number) {
    if (!(maxSkewMs > 0)) {
      throw new RangeError(`maximum clock skew must be a positive number of ms, got ${maxSkewMs}`);
    }
    this.offsets = new ClockOffset({ floorMs: maxSkewMs, maxLagMs: maxSkewMs });
  }

  /** What to add to a timeline time (ms) to get local time. */
  get clockOffset(): number {
    return this.offset;
  }

  /** Newest time placed on the timeline (ms), undefined before the first. */
  get newest(): number | undefined {
    return this.newestAt;
  }

  /** How far behind this sender the console runs (ms), by the robust offset (ClockOffset.lag). */
  get lag(): number {
    return this.offsets.lag;
  }

  /** Local time (ms) the clock was last observed. */
  get heardAt(): number | undefined {
    return this.offsets.lastAt;
  }

  /** How the last placed message was placed. */
  get lastPlacement(): Placement {
    return this.placement;
  }

  /** Whether a stamp is a finite time within the skew limit of its arrival. */
  plausible(ts: number, receivedAt: number): boolean {
    return Number.isFinite(ts) && Math.abs(ts - receivedAt) <= this.maxSkewMs;
  }

  /**
   * Feeds the offset estimate with one message: call it once per batch, with the node's newest
   * plausible stamp, before placing any of them, so a backlog delivered at once tells one offset
   * (its newest message's), not one per message from 0 to 120 s.
   */
  observe(ts: number, receivedAt: number): void {
    if (this.plausible(ts, receivedAt)) this.offsets.observe(receivedAt - ts, receivedAt);
  }

  /** The timeline time of a message stamped `ts` that arrived at `receivedAt`. */
  place(ts: number, receivedAt: number, interval: number | undefined): number {
    const plausible = this.plausible(ts, receivedAt);
    // A caller that skipped observe() still gets an estimate.
    if (plausible && this.offsets.estimate === undefined) this.observe(ts, receivedAt);
    const estimate = this.offsets.estimate;
    let at: number;
    if (!plausible || estimate === undefined) {
      this.placement = 'skewed';
      at = this.latest(receivedAt - this.offset);
    } else {
      const tolerance = Math.max(MIN_TOLERANCE_MS, 2 * (validInterval(interval) ?? 0));
      const early = estimate - (receivedAt - ts);
      at = ts + this.shift;
      this.placement = 'own';
      if (early > tolerance) {
        this.placement = 'ahead';
        at = this.latest(receivedAt - (estimate - this.shift));
      } else if (
        this.newestAt !== undefined &&
        at < this.newestAt - tolerance &&
        Math.abs(early) <= tolerance
      ) {
        // Keep the local times of what is held: only the stamps moved.
        this.placement = 'stepped';
        this.shift = estimate - this.offset;
        at = ts + this.shift;
        this.offsets.resetFloor(receivedAt);
      } else if (
        this.newestAt !== undefined &&
        at <= this.newestAt &&
        Math.abs(early) <= tolerance
      ) {
        // A stamp not newer than one held, yet on time: a clock that went back by less than the
        // tolerance plus three messages (its stamps soon pass the newest). Lag never makes stamps
        // go back, so the offset's rise is no lag. (A step back of 2-3 s at 1 Hz is over before
        // the offset takes it, and shows as lag until the floor forgets it.)
        this.offsets.resetFloor(receivedAt);
      }
      this.offset = estimate - this.shift;
    }
    this.placedTs = ts;
    this.placedAt = at;
    if (this.newestAt === undefined || at > this.newestAt) this.newestAt = at;
    return at;
  }

  /**
   * The timeline time of a sample's own stamp `t` in the message placed last: moved with its
   * message, never after it (a sample cannot be newer than its batch), and the message's time
   * where `t` is no plausible time near the message's stamp.
   */
  readonly sampleTime = (t: number): number => {
    if (this.placement === 'skewed' || !(Math.abs(t - this.placedTs) <= this.maxSkewMs)) {
      return this.placedAt;
    }
    return Math.min(this.placedAt, t + (this.placedAt - this.placedTs));
  };

  /** The timeline time of an event stamped `ts`: its arrival when the stamp is not plausible. */
  eventTime(ts: number, receivedAt: number): number {
    return this.plausible(ts, receivedAt) ? ts + this.shift : receivedAt - this.offset;
  }

  private latest(at: number): number {
    return this.newestAt === undefined ? at : Math.max(at, this.newestAt);
  }
}

function validInterval(interval: number | undefined): number | undefined {
  return interval !== undefined && Number.isFinite(interval) && interval > 0 ? interval : undefined;
}
