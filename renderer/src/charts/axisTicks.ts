/**
 * Axis ticks that read as round numbers in one unit per axis. ECharts picks ticks in the axis's
 * base unit and a per-value formatter then chose each label's unit, so a latency axis read "0 ms,
 * 500 ms, 1 s" and a long tail "0 ms, 500 s, 16.7 min" (issue 12); its time axis mixes dates and
 * times at level changes. Here the unit comes from the axis maximum and the ticks are multiples of
 * a round step in that unit: "0, 5, 10, 15 min"; time ticks fall on round local clock times and
 * all read in one format.
 */
import { formatNumber } from '../lib/format.js';

export interface DurationUnit {
  name: 'µs' | 'ms' | 's' | 'min' | 'h';
  /** Seconds per unit. */
  seconds: number;
  /** The largest axis maximum (in seconds) this unit labels; above it the next unit takes over. */
  upTo: number;
  /** Round steps in the unit, smallest first (clock units); decimal units take 1-2-2.5-5 × 10ⁿ. */
  steps?: readonly number[];
}

const DURATION_UNITS: readonly DurationUnit[] = [
  { name: 'µs', seconds: 1e-6, upTo: 1e-3 * (1 - 1e-9) },
  { name: 'ms', seconds: 1e-3, upTo: 1 * (1 - 1e-9) },
  // Seconds up to 3 min ("0, 50, 100, 150 s"), minutes up to 3 h, then hours.
  { name: 's', seconds: 1, upTo: 180 },
  { name: 'min', seconds: 60, upTo: 180 * 60, steps: [1, 2, 5, 10, 15, 20, 30, 60] },
  { name: 'h', seconds: 3600, upTo: Number.POSITIVE_INFINITY, steps: [1, 2, 3, 6, 12, 24] },
];

/** At most this many intervals between 0 and the top: five labels fit a 170 px panel. */
const MAX_INTERVALS = 4;

export interface DurationAxis {
  unit: DurationUnit['name'];
  /** Axis top and tick interval, in seconds (the data's unit). */
  max: number;
  interval: number;
  /** A tick value (seconds) in the axis unit: "15 min". */
  format: (seconds: number) => string;
}

/** The smallest round step (in the unit) that covers `top` in at most MAX_INTERVALS steps. */
function roundStep(top: number, steps: readonly number[] | undefined): number {
  const raw = top / MAX_INTERVALS;
  for (const s of steps ?? []) if (s >= raw * (1 - 1e-9)) return s;
  // Decimal units, and clock units past their list (more than 24 h a step).
  const p = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= raw * (1 - 1e-9)) return m * p;
  return 10 * p;
}

/**
 * The unit a set of durations up to `maxSeconds` reads in, by the same limits as durationAxis
 * (for axes whose ticks are given, such as the latency heatmap's bucket rows).
 */
export function durationUnit(maxSeconds: number): {
  name: DurationUnit['name'];
  format: (seconds: number) => string;
} {
  const top = maxSeconds > 0 && Number.isFinite(maxSeconds) ? maxSeconds : 1;
  const u = DURATION_UNITS.find((d) => top <= d.upTo) ?? DURATION_UNITS.at(-1)!;
  return { name: u.name, format: (s) => `${formatNumber(s / u.seconds)} ${u.name}` };
}

/** A duration axis from 0 to at least `maxSeconds`, in the one unit its top reads best in. */
export function durationAxis(maxSeconds: number): DurationAxis {
  const top = maxSeconds > 0 && Number.isFinite(maxSeconds) ? maxSeconds : 1;
  for (const u of DURATION_UNITS) {
    const inUnit = top / u.seconds;
    const step = roundStep(inUnit, u.steps);
    const axisTop = Math.ceil(inUnit / step - 1e-9) * step;
    if (axisTop * u.seconds > u.upTo) continue;
    return {
      unit: u.name,
      max: axisTop * u.seconds,
      interval: step * u.seconds,
      format: (s) => `${formatNumber(s / u.seconds)} ${u.name}`,
    };
  }
  throw new Error('unreachable: hours take every maximum');
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Tick spacings a clock reader counts in. */
const TIME_STEPS = [
  SECOND,
  2 * SECOND,
  5 * SECOND,
  10 * SECOND,
  15 * SECOND,
  30 * SECOND,
  MINUTE,
  2 * MINUTE,
  5 * MINUTE,
  10 * MINUTE,
  15 * MINUTE,
  20 * MINUTE,
  30 * MINUTE,
  HOUR,
  2 * HOUR,
  3 * HOUR,
  6 * HOUR,
  12 * HOUR,
  DAY,
  2 * DAY,
  7 * DAY,
  14 * DAY,
  30 * DAY,
];

export interface TimeTicks {
  /** Tick times (ms), ascending, inside [start, end]. */
  values: number[];
  interval: number;
  /** Every label in one format, chosen by the spacing and the span. */
  format: (t: number) => string;
}

const pad2 = (n: number): string => String(n).padStart(2, '0');
const hhmm = (d: Date) => `${pad2(d.getHours())}:${pad2(d.getMinutes())}`;
const mmdd = (d: Date) => `${pad2(d.getMonth() + 1)}-${pad2(d.getDate())}`;

/**
 * Round local times between start and end, the smallest clock step that spans the range in at most
 * `maxIntervals` steps: "14:00, 14:15, 14:30";
 * seconds appear only when ticks are under a minute apart, the date (MM-DD) when the span passes a
 * day. Aligned on local midnight, so hours fall on the hour in a +05:30 zone too.
 */
export function timeTicks(start: number, end: number, maxIntervals: number): TimeTicks {
  const span = Math.max(end - start, 1);
  const interval =
    TIME_STEPS.find((s) => span / s <= Math.max(1, maxIntervals)) ?? TIME_STEPS.at(-1)!;
  const values: number[] = [];
  const first = new Date(start);
  if (interval >= DAY) {
    // Whole days: step by calendar days, so a daylight-saving change keeps ticks at midnight.
    const days = Math.round(interval / DAY);
    const d = new Date(first.getFullYear(), first.getMonth(), first.getDate());
    if (d.getTime() < start) d.setDate(d.getDate() + 1);
    for (; d.getTime() <= end; d.setDate(d.getDate() + days)) values.push(d.getTime());
  } else {
    const midnight = new Date(first.getFullYear(), first.getMonth(), first.getDate()).getTime();
    let t = midnight + Math.ceil((start - midnight) / interval) * interval;
    for (; t <= end; t += interval) values.push(t);
  }
  let format: (t: number) => string;
  if (interval >= DAY) format = (t) => mmdd(new Date(t));
  else if (interval < MINUTE)
    format = (t) => `${hhmm(new Date(t))}:${pad2(new Date(t).getSeconds())}`;
  else if (span > DAY) format = (t) => `${mmdd(new Date(t))} ${hhmm(new Date(t))}`;
  else format = (t) => hhmm(new Date(t));
  return { values, interval, format };
}

/**
 * An ECharts time axis over [start, end] with those ticks: labels and tick marks at the same
 * custom values, each label in the one format.
 */
export function timeAxisTicks(start: number, end: number, maxIntervals: number) {
  const ticks = timeTicks(start, end, maxIntervals);
  return {
    axisLabel: { customValues: ticks.values, formatter: (t: number) => ticks.format(t) },
    axisTick: { customValues: ticks.values },
  };
}
