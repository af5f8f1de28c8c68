/**
 * The one age rule and the one staleness rule of the console (issue 11): every view that says how
 * old a value is, or fades it as too old, asks here. Before, "stale" was defined three ways (the
 * overview allowed 2 intervals + 1 s, the fleet heatmap and the engines table 2 intervals).
 */

/** A sender that has not said its interval is taken at the collector's default, 1 s. */
export const DEFAULT_INTERVAL_MS = 1000;

/**
 * Slack for delivery on top of the intervals: a value is published, crosses NATS and waits for the
 * next frame's ingest (~0.1–0.5 s under load), so exactly 2 intervals would fade a healthy 1 Hz
 * sender whenever one message is a little late.
 */
export const DELIVERY_JITTER_MS = 1000;

/** Missed intervals before a value is stale: one lost message is not yet a silent sender. */
export const STALE_INTERVALS = 2;

/**
 * Age (ms) at `now` of a time `ts` on a sender's timeline, whose clock runs `clockOffset` ms
 * behind the console's (local = ts + clockOffset). `now` is the store's clock, never the wall.
 */
export function ageMs(now: number, ts: number, clockOffset = 0): number {
  return now - (ts + clockOffset);
}

/** How old (ms) a value of a sender with this interval may be and still be fresh. */
export function staleAfterMs(interval: number | undefined): number {
  const ms =
    interval !== undefined && Number.isFinite(interval) && interval > 0
      ? interval
      : DEFAULT_INTERVAL_MS;
  return STALE_INTERVALS * ms + DELIVERY_JITTER_MS;
}

/**
 * Whether a value this old is too old to trust: older than 2 of its sender's intervals plus 1 s.
 * An age that is not a number (no time, or a broken one) is stale: nothing says it is recent.
 */
export function isStale(age: number, interval: number | undefined): boolean {
  return !(age <= staleAfterMs(interval));
}
