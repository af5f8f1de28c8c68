/**
 * A Prometheus-style histogram (upper bounds, +Inf implied) that the simulator fills with draws
 * from known log-normals. Counts are integers, as in a real exporter. Where one tick brings many
 * observations (inter-token gaps: one per generated token), they are spread over the buckets by the
 * distribution's own CDF instead of being drawn one by one, which gives the same buckets in
 * expectation at a fraction of the cost.
 */
import { cdf, draw, mean, type LogNormal } from './lognormal.js';
import type { Rng } from './prng.js';

/** Above this many observations in one call, addExpected() replaces individual draws. */
const DRAW_LIMIT = 32;

export class Histogram {
  /** Per-bucket (not cumulative) counts; the last slot is +Inf. */
  readonly counts: Float64Array;
  sum = 0;
  count = 0;

  constructor(readonly bounds: readonly number[]) {
    this.counts = new Float64Array(bounds.length + 1);
  }

  observe(x: number): void {
    let i = 0;
    while (i < this.bounds.length && x > this.bounds[i]!) i++;
    this.counts[i]! += 1;
    this.sum += x;
    this.count += 1;
  }

  /** `n` observations from `d`: drawn one by one when few, spread by the CDF when many. */
  observeMany(d: LogNormal, n: number, rng: Rng): void {
    if (n <= 0) return;
    if (n <= DRAW_LIMIT) {
      for (let k = 0; k < n; k++) this.observe(draw(d, rng.normal()));
      return;
    }
    this.addExpected(d, n);
  }

  /** Largest-remainder rounding keeps the counts integers that add up to exactly n. */
  private addExpected(d: LogNormal, n: number): void {
    const shares: number[] = [];
    let previous = 0;
    for (const b of this.bounds) {
      const c = cdf(d, b);
      shares.push((c - previous) * n);
      previous = c;
    }
    shares.push((1 - previous) * n);
    const floors = shares.map(Math.floor);
    let left = n - floors.reduce((a, b) => a + b, 0);
    const order = shares
      .map((s, i) => [s - floors[i]!, i] as const)
      .sort((a, b) => b[0] - a[0] || a[1] - b[1]);
    for (const [, i] of order) {
      if (left <= 0) break;
      floors[i]! += 1;
      left--;
    }
    for (let i = 0; i < floors.length; i++) this.counts[i]! += floors[i]!;
    this.sum += n * mean(d);
    this.count += n;
  }

  /** Cumulative counts per bound, then +Inf (what `_bucket{le=…}` lines carry). */
  cumulative(): number[] {
    const out: number[] = [];
    let acc = 0;
    for (const c of this.counts) out.push((acc += c));
    return out;
  }
}
