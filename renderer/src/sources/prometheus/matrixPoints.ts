/**
 * Prometheus matrix series → chart points. Prometheus leaves out the steps where a series had no
 * sample; a chart would draw a straight line across them, so a null goes into every gap longer
 * than one and a half steps: missing is not zero, and not "about the same" either. Blank values
 * (DCGM's sentinels, NaN, ±Inf: core/prometheus/blank.ts) become nulls too. Given the asked window,
 * points outside it are dropped: an answer whose points all lie elsewhere (a server clock or a
 * cache answering for another range) would otherwise give headline values over an empty chart.
 */
import { isBlankValue } from '../../../../collector/core/prometheus/blank.js';
import type { MatrixSeries } from './PrometheusSource.js';

/** [time ms, value]; null where there was no sample. */
export type Point = [number, number | null];

/** [start, end] in ms, as asked of query_range. */
export type Window = readonly [number, number];

/**
 * Whether a sample time belongs to the asked window. Half a step of slack either side: Prometheus
 * aligns no points itself, but a caller that rounds start or end to the step should not lose the
 * edge point to it.
 */
export function inWindow(t: number, window: Window | undefined, stepMs: number): boolean {
  if (!window) return true;
  const slack = stepMs / 2;
  return t >= window[0] - slack && t <= window[1] + slack;
}

export function toPoints(
  times: ArrayLike<number>,
  values: ArrayLike<number>,
  stepMs: number,
  scale = 1,
  window?: Window,
): Point[] {
  const out: Point[] = [];
  let prev: number | undefined;
  for (let i = 0; i < times.length; i++) {
    const t = times[i]!;
    if (!inWindow(t, window, stepMs)) continue;
    if (prev !== undefined && t - prev > stepMs * 1.5) out.push([prev + stepMs, null]);
    const v = values[i]!;
    out.push([t, isBlankValue(v) ? null : v * scale]);
    prev = t;
  }
  return out;
}

export function seriesPoints(s: MatrixSeries, stepMs: number, scale = 1, window?: Window): Point[] {
  return toPoints(s.times, s.values, stepMs, scale, window);
}

/**
 * The series with only its samples inside the window, blanks left out (core's bucket grid reads an
 * absent sample as "no data"), for consumers of raw series such as the latency heatmap.
 */
export function clipSeries(s: MatrixSeries, window: Window, stepMs: number): MatrixSeries {
  const times: number[] = [];
  const values: number[] = [];
  for (let i = 0; i < s.times.length; i++) {
    const t = s.times[i]!;
    const v = s.values[i]!;
    if (!inWindow(t, window, stepMs) || isBlankValue(v)) continue;
    times.push(t);
    values.push(v);
  }
  if (times.length === s.times.length) return s;
  return { metric: s.metric, times: Float64Array.from(times), values: Float64Array.from(values) };
}

/** Whether any point carries a value: an all-null result is "no data", not a flat line at 0. */
export function hasValues(points: readonly Point[]): boolean {
  return points.some(([, v]) => v !== null);
}

/** The newest time that has a value, or undefined. */
export function lastValueTime(points: readonly Point[]): number | undefined {
  for (let i = points.length - 1; i >= 0; i--) if (points[i]![1] !== null) return points[i]![0];
  return undefined;
}
