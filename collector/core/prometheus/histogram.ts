/**
 * Classic Prometheus histograms on the console side: `le` parsing (Prometheus 3 writes `le="1.0"`,
 * 2.x `le="1"`, some exporters `1e+00`; all are the same bound), the same quantile estimate as
 * PromQL's `histogram_quantile`, and de-accumulation of cumulative buckets into per-bucket counts
 * for the latency heatmap.
 */

export interface Bucket {
  /** `le` as a number; +Inf for the last bucket */
  upperBound: number;
  /** Cumulative count (or rate) of observations ≤ upperBound */
  count: number;
}

/** `le` label → number: "1", "1.0", "1e+00", "+Inf", "Inf". NaN when it is not a number. */
export function parseLe(le: string): number {
  const t = le.trim();
  if (t === '+Inf' || t === 'Inf' || t === '+inf' || t === 'inf') return Number.POSITIVE_INFINITY;
  if (t === '-Inf' || t === '-inf') return Number.NEGATIVE_INFINITY;
  return t === '' ? Number.NaN : Number(t);
}

/** Same upper bound → one bucket (Prometheus's coalesceBuckets); input sorted by bound. */
function coalesce(sorted: Bucket[]): Bucket[] {
  const out: Bucket[] = [];
  for (const b of sorted) {
    const last = out[out.length - 1];
    if (last && last.upperBound === b.upperBound) last.count += b.count;
    else out.push({ ...b });
  }
  return out;
}

/** Counts within 1e-12 relative of the previous one are float noise (correctPrecisionErrors). */
function correctPrecisionErrors(b: Bucket[], tolerance: number): void {
  let prev = b[0]!.count;
  for (let i = 1; i < b.length; i++) {
    const curr = b[i]!.count;
    const delta = Math.abs(curr - prev);
    if (delta === 0) continue;
    if (delta / curr <= tolerance) b[i]!.count = prev;
    else prev = curr;
  }
}

/** Decreases between successive buckets are removed: the running maximum (ensureMonotonic). */
function ensureMonotonic(b: Bucket[]): void {
  let max = b[0]!.count;
  for (let i = 1; i < b.length; i++) {
    if (b[i]!.count > max) max = b[i]!.count;
    else if (b[i]!.count < max) b[i]!.count = max;
  }
}

/** Sorted, coalesced, precision-corrected, monotonic: what bucketQuantile works on. */
function normalise(buckets: readonly Bucket[]): Bucket[] {
  const sorted = buckets.filter((b) => !Number.isNaN(b.upperBound) && !Number.isNaN(b.count));
  sorted.sort((a, b) => a.upperBound - b.upperBound);
  if (sorted.length === 0) return sorted;
  const out = coalesce(sorted);
  correctPrecisionErrors(out, 1e-12);
  ensureMonotonic(out);
  return out;
}

/**
 * The φ-quantile of classic buckets, exactly as PromQL's histogram_quantile computes it
 * (bucketQuantile in promql/quantile.go, prometheus/prometheus commit 01381a80; same rules in
 * 2.42, which lacks only the 1e-12 precision correction):
 * - q NaN → NaN; q < 0 → −Inf; q > 1 → +Inf;
 * - highest bound not +Inf → NaN; fewer than 2 buckets or 0 observations → NaN;
 * - rank = q × total; the first bucket whose cumulative count ≥ rank holds the quantile;
 * - in the +Inf bucket → the second-highest bound; in the lowest bucket with bound ≤ 0 → that bound;
 * - else linear interpolation inside the bucket, the lowest bucket starting at 0.
 * https://github.com/prometheus/prometheus/blob/main/promql/quantile.go
 */
export function quantileFromBuckets(q: number, buckets: readonly Bucket[]): number {
  if (Number.isNaN(q)) return Number.NaN;
  if (q < 0) return Number.NEGATIVE_INFINITY;
  if (q > 1) return Number.POSITIVE_INFINITY;
  const b = normalise(buckets);
  if (b.length === 0 || b[b.length - 1]!.upperBound !== Number.POSITIVE_INFINITY) return Number.NaN;
  if (b.length < 2) return Number.NaN;
  const observations = b[b.length - 1]!.count;
  if (observations === 0) return Number.NaN;
  let rank = q * observations;
  // sort.Search over all but the +Inf bucket: the first i with count ≥ rank, else len − 1.
  let i = 0;
  while (i < b.length - 1 && b[i]!.count < rank) i++;
  if (i === b.length - 1) return b[b.length - 2]!.upperBound;
  if (i === 0 && b[0]!.upperBound <= 0) return b[0]!.upperBound;
  let start = 0;
  const end = b[i]!.upperBound;
  let count = b[i]!.count;
  if (i > 0) {
    start = b[i - 1]!.upperBound;
    count -= b[i - 1]!.count;
    rank -= b[i - 1]!.count;
  }
  return start + (end - start) * (rank / count);
}

/**
 * Cumulative buckets → observations per bucket, sorted by bound. Decreases (non-atomic scrapes,
 * rate() extrapolation) are taken out the way histogram_quantile does (running maximum), so no
 * bucket is negative and the counts add up to the +Inf bucket.
 */
export function perBucketCounts(cumulative: readonly Bucket[]): Bucket[] {
  const b = normalise(cumulative);
  let below = 0;
  return b.map((x) => {
    const own = x.count - below;
    below = x.count;
    return { upperBound: x.upperBound, count: own > 0 ? own : 0 };
  });
}

/**
 * Increases of a raw counter between successive samples, with Prometheus's reset rule: a drop
 * means the counter restarted from 0, so the increase is the new value. NaN stays NaN (no data).
 * The first sample has no predecessor: NaN.
 */
export function counterIncreases(values: Float64Array): Float64Array {
  const out = new Float64Array(values.length);
  out[0] = Number.NaN;
  for (let i = 1; i < values.length; i++) {
    const prev = values[i - 1]!;
    const cur = values[i]!;
    out[i] = Number.isNaN(prev) || Number.isNaN(cur) ? Number.NaN : cur >= prev ? cur - prev : cur;
  }
  return out;
}
