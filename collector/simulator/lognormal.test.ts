import { describe, expect, it } from 'vitest';

import { BUCKETS } from './buckets.js';
import { Histogram } from './Histogram.js';
import { latencyModel, occupancy } from './latency.js';
import { cdf, erfc, logNormal, mean, quantile } from './lognormal.js';
import { Rng } from './prng.js';

/** Prometheus histogram_quantile: linear interpolation inside the bucket holding rank q·count. */
function histogramQuantile(q: number, bounds: readonly number[], cumulative: number[]): number {
  const total = cumulative[cumulative.length - 1]!;
  const rank = q * total;
  const i = cumulative.findIndex((c) => c >= rank);
  if (i >= bounds.length) return bounds[bounds.length - 1]!;
  const lower = i === 0 ? 0 : bounds[i - 1]!;
  const below = i === 0 ? 0 : cumulative[i - 1]!;
  return lower + ((bounds[i]! - lower) * (rank - below)) / (cumulative[i]! - below);
}

describe('log-normal', () => {
  it('has erfc within 1.5e-7 of known values', () => {
    expect(erfc(0)).toBeCloseTo(1, 7);
    expect(erfc(1)).toBeCloseTo(0.157299207050285, 6);
    expect(erfc(-1)).toBeCloseTo(1.842700792949715, 6);
    expect(erfc(2.5)).toBeCloseTo(0.000406952017444959, 6);
  });

  it('puts p50/p90/p99 where the CDF says', () => {
    const d = logNormal(0.25, 0.8);
    expect(quantile(d, 'p50')).toBeCloseTo(0.25, 12);
    expect(cdf(d, quantile(d, 'p90'))).toBeCloseTo(0.9, 5);
    expect(cdf(d, quantile(d, 'p99'))).toBeCloseTo(0.99, 5);
    expect(mean(d)).toBeCloseTo(0.25 * Math.exp(0.32), 12);
    expect(cdf(d, 0)).toBe(0);
    expect(cdf(d, Infinity)).toBe(1);
  });
});

describe('Histogram', () => {
  const bounds = BUCKETS.vllm.ttft!;
  const d = logNormal(0.3, 0.8);

  it('drawn one by one, gives back the distribution through histogram_quantile', () => {
    const h = new Histogram(bounds);
    const rng = new Rng(11);
    for (let k = 0; k < 2000; k++) h.observeMany(d, 20, rng);
    expect(h.count).toBe(40_000);
    const cum = h.cumulative();
    expect(cum[cum.length - 1]).toBe(40_000);
    // Coarse buckets (0.25 → 0.5 → 0.75 → 1.0 → 2.5) limit what interpolation can recover.
    expect(histogramQuantile(0.5, bounds, cum)).toBeGreaterThan(0.25);
    expect(histogramQuantile(0.5, bounds, cum)).toBeLessThan(0.36);
    expect(histogramQuantile(0.9, bounds, cum) / quantile(d, 'p90')).toBeGreaterThan(0.85);
    expect(histogramQuantile(0.9, bounds, cum) / quantile(d, 'p90')).toBeLessThan(1.25);
    expect(h.sum / h.count).toBeCloseTo(mean(d), 1);
  });

  it('spread by the CDF when many, keeping integer counts that add up', () => {
    const h = new Histogram(bounds);
    h.observeMany(d, 12_345, new Rng(1));
    expect(h.count).toBe(12_345);
    expect([...h.counts].every(Number.isInteger)).toBe(true);
    const cum = h.cumulative();
    expect(cum[cum.length - 1]).toBe(12_345);
    const i = bounds.indexOf(0.5);
    expect(cum[i]! / 12_345).toBeCloseTo(cdf(d, 0.5), 3);
    expect(h.sum).toBeCloseTo(12_345 * mean(d), 6);
  });

  it('counts a value on a bound into that bucket and huge values into +Inf', () => {
    const h = new Histogram([1, 2]);
    h.observe(1);
    h.observe(3);
    expect(h.cumulative()).toEqual([1, 1, 2]);
  });
});

describe('latencyModel', () => {
  const base = { prefillS: 0.16, interTokenS: 0.028, outputTokens: 260, slowdown: 1 };

  it('grows every stage with load, queueing fastest', () => {
    const low = latencyModel({ ...base, load: 0.2 });
    const high = latencyModel({ ...base, load: 0.9 });
    for (const stage of ['ttft', 'inter_token', 'e2e', 'queue', 'prefill', 'decode'] as const) {
      expect(quantile(high[stage], 'p50')).toBeGreaterThan(quantile(low[stage], 'p50'));
    }
    const growth = (s: 'queue' | 'inter_token'): number =>
      quantile(high[s], 'p50') / quantile(low[s], 'p50');
    expect(growth('queue')).toBeGreaterThan(10 * growth('inter_token'));
  });

  it('follows its documented medians', () => {
    const m = latencyModel({ ...base, load: 0.5 });
    const queue = 0.003 + (2 * 0.16 * 0.25) / 0.5;
    const prefill = 0.16 * 1.25;
    expect(quantile(m.queue, 'p50')).toBeCloseTo(queue, 12);
    expect(quantile(m.ttft, 'p50')).toBeCloseTo(1.05 * (queue + prefill), 12);
    expect(quantile(m.decode, 'p50')).toBeCloseTo(0.028 * 1.4 * 260, 12);
    expect(m.inter_token.sigma).toBe(0.35);
  });

  it('slows prefill and decode when throttled, not the queue', () => {
    const a = latencyModel({ ...base, load: 0.5 });
    const b = latencyModel({ ...base, load: 0.5, slowdown: 1.5 });
    expect(quantile(b.inter_token, 'p50')).toBeCloseTo(1.5 * quantile(a.inter_token, 'p50'), 12);
    expect(quantile(b.queue, 'p50')).toBe(quantile(a.queue, 'p50'));
  });

  it('turns arrivals into running and waiting by Little’s law', () => {
    const m = latencyModel({ ...base, load: 0.5 });
    const o = occupancy(m, 10);
    expect(o.running).toBeCloseTo(10 * (mean(m.prefill) + mean(m.decode)), 9);
    expect(o.waiting).toBeCloseTo(10 * mean(m.queue), 9);
  });
});
