/**
 * Prometheus matrix series → chart points. Prometheus leaves out the steps where a series had no
 * sample; a chart would draw a straight line across them, so a null goes into every gap longer
 * than one and a half steps: missing is not zero, and not "about the same" either.
 */
import type { MatrixSeries } from './PrometheusSource.js';

/** [time ms, value]; null where there was no sample. */
export type Point = [number, number | null];

export function toPoints(
  times: ArrayLike<number>,
  values: ArrayLike<number>,
  stepMs: number,
  scale = 1,
): Point[] {
  const out: Point[] = [];
  for (let i = 0; i < times.length; i++) {
    const t = times[i]!;
    const prev = i > 0 ? times[i - 1]! : undefined;
    if (prev !== undefined && t - prev > stepMs * 1.5) out.push([prev + stepMs, null]);
    const v = values[i]!;
    out.push([t, Number.isFinite(v) ? v * scale : null]);
  }
  return out;
}

export function seriesPoints(s: MatrixSeries, stepMs: number, scale = 1): Point[] {
  return toPoints(s.times, s.values, stepMs, scale);
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
