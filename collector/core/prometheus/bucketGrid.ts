/**
 * Range-query results of `sum by (le) (rate(x_bucket[w]))` laid out as a grid — one row per
 * timestamp, one column per bucket bound — for the latency heatmap (per-bucket rates) and for
 * percentiles computed on the console (quantileFromBuckets per row). Series whose `le` differ only
 * in spelling ("1" from Prometheus 2.x, "1.0" from 3.x, in one federated answer) share a column.
 */
import { parseLe, perBucketCounts, quantileFromBuckets, type Bucket } from './histogram.js';
import type { MatrixSeries } from './response.js';

export interface BucketGrid {
  /** Sorted bounds, +Inf last when present */
  upperBounds: number[];
  /** Unix ms, ascending */
  times: Float64Array;
  /** Row-major times × bounds, cumulative as queried; NaN where a bucket had no sample */
  cumulative: Float64Array;
  /** Series left out because their `le` was missing or not a number */
  skipped: number;
}

export function bucketGrid(series: readonly MatrixSeries[]): BucketGrid {
  const bounds = new Set<number>();
  const timeSet = new Set<number>();
  let skipped = 0;
  const usable: { bound: number; s: MatrixSeries }[] = [];
  for (const s of series) {
    const bound = s.metric.le === undefined ? Number.NaN : parseLe(s.metric.le);
    if (Number.isNaN(bound)) {
      skipped++;
      continue;
    }
    bounds.add(bound);
    usable.push({ bound, s });
    for (const t of s.times) timeSet.add(t);
  }
  const upperBounds = [...bounds].sort((a, b) => a - b);
  const times = Float64Array.from([...timeSet].sort((a, b) => a - b));
  const col = new Map(upperBounds.map((b, i) => [b, i]));
  const row = new Map<number, number>();
  times.forEach((t, i) => row.set(t, i));
  const w = upperBounds.length;
  const cumulative = new Float64Array(times.length * w).fill(Number.NaN);
  for (const { bound, s } of usable) {
    const c = col.get(bound)!;
    for (let j = 0; j < s.times.length; j++) {
      const k = row.get(s.times[j]!)! * w + c;
      const prev = cumulative[k]!;
      cumulative[k] = Number.isNaN(prev) ? s.values[j]! : prev + s.values[j]!;
    }
  }
  return { upperBounds, times, cumulative, skipped };
}

function rowBuckets(g: BucketGrid, r: number): Bucket[] {
  const w = g.upperBounds.length;
  const out: Bucket[] = [];
  for (let c = 0; c < w; c++) {
    const v = g.cumulative[r * w + c]!;
    if (!Number.isNaN(v)) out.push({ upperBound: g.upperBounds[c]!, count: v });
  }
  return out;
}

/** The φ-quantile at every timestamp, as histogram_quantile would give it (NaN: no data). */
export function gridQuantiles(q: number, g: BucketGrid): Float64Array {
  const out = new Float64Array(g.times.length);
  for (let r = 0; r < g.times.length; r++) out[r] = quantileFromBuckets(q, rowBuckets(g, r));
  return out;
}

/**
 * Per-bucket values (de-accumulated across `le`), row-major times × bounds; a cell is NaN where
 * its bucket had no sample (no data, not zero). With rate() inputs these are observations/s.
 */
export function gridPerBucket(g: BucketGrid): Float64Array {
  const w = g.upperBounds.length;
  const out = new Float64Array(g.cumulative.length).fill(Number.NaN);
  const col = new Map(g.upperBounds.map((b, i) => [b, i]));
  for (let r = 0; r < g.times.length; r++) {
    for (const b of perBucketCounts(rowBuckets(g, r)))
      out[r * w + col.get(b.upperBound)!] = b.count;
  }
  return out;
}
