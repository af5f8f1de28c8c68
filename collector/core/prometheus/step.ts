/**
 * The `step` of a range query, from the chart's width: about one point per 2 px (finer is invisible
 * and costs server time), rounded up to a "nice" step so axes and successive refreshes agree,
 * never below the scrape interval (a finer step only repeats samples), and never more than 11,000
 * points per series — Prometheus refuses more with bad_data: "exceeded maximum resolution of
 * 11,000 points per timeseries" (contracts §6.1, the same in 2.42 and 3.x).
 */

/** Prometheus's limit on (end − start) / step. */
export const MAX_POINTS = 11_000;

/** Default scrape interval when the connection does not say (Prometheus's own default is 1 m; 15 s is the common setting). */
export const DEFAULT_MIN_STEP_S = 15;

const MIN = 60;
const HOUR = 3600;
const DAY = 86_400;

/** Steps a reader can count in: 1 s … 1 d, then whole days. */
// prettier-ignore
export const NICE_STEPS_S: readonly number[] = [
  1, 2, 5, 10, 15, 30,
  MIN, 2 * MIN, 5 * MIN, 10 * MIN, 15 * MIN, 30 * MIN,
  HOUR, 2 * HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR,
  DAY, 2 * DAY, 7 * DAY,
];

export interface StepOptions {
  /** Range in Unix milliseconds */
  startMs: number;
  endMs: number;
  /** The plot area's width in CSS pixels */
  widthPx: number;
  /** Pixels per point; default 2 */
  pxPerPoint?: number;
  /** Lower bound in seconds, usually the scrape interval; default 15 */
  minStepS?: number;
}

export interface RangePlan {
  /** Step in whole seconds */
  stepS: number;
  /** Start and end aligned down to the step grid (Unix ms) */
  startMs: number;
  endMs: number;
  /** Points per series Prometheus will return at most */
  points: number;
}

/** The smallest nice step ≥ `s` (whole days beyond the table). */
export function niceStep(s: number): number {
  for (const n of NICE_STEPS_S) if (n >= s) return n;
  return Math.ceil(s / DAY) * DAY;
}

/** The step in seconds for a range drawn `widthPx` wide. */
export function chooseStep(o: StepOptions): number {
  const spanS = Math.max(0, (o.endMs - o.startMs) / 1000);
  const points = Math.max(1, Math.floor(o.widthPx / (o.pxPerPoint ?? 2)));
  const floor = Math.max(o.minStepS ?? DEFAULT_MIN_STEP_S, Math.ceil(spanS / MAX_POINTS), 1);
  return niceStep(Math.max(spanS / points, floor));
}

/**
 * Start and end rounded down to multiples of the step, so a refresh 10 s later asks for the same
 * timestamps (Prometheus caches nothing, but charts stop shimmering and results can be merged).
 * The newest point is then at most one step old; the live edge comes from NATS where connected.
 */
export function alignRange(
  startMs: number,
  endMs: number,
  stepS: number,
): { startMs: number; endMs: number } {
  const stepMs = stepS * 1000;
  return {
    startMs: Math.floor(startMs / stepMs) * stepMs,
    endMs: Math.floor(endMs / stepMs) * stepMs,
  };
}

/** Step plus aligned range, with the 11,000-point rule checked after alignment. */
export function planRange(o: StepOptions): RangePlan {
  let stepS = chooseStep(o);
  for (;;) {
    const a = alignRange(o.startMs, o.endMs, stepS);
    const intervals = (a.endMs - a.startMs) / (stepS * 1000);
    if (intervals <= MAX_POINTS) return { stepS, ...a, points: Math.floor(intervals) + 1 };
    stepS = niceStep(stepS + 1);
  }
}

/** A PromQL duration for whole seconds: 90 → "90s", 300 → "5m", 7200 → "2h", 86400 → "1d". */
export function promDuration(seconds: number): string {
  const s = Math.max(1, Math.ceil(seconds));
  if (s % DAY === 0) return `${s / DAY}d`;
  if (s % HOUR === 0) return `${s / HOUR}h`;
  if (s % MIN === 0) return `${s / MIN}m`;
  return `${s}s`;
}
