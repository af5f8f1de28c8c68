import { describe, expect, it } from 'vitest';

import { bucketGrid, gridPerBucket, gridQuantiles } from './bucketGrid.js';
import type { MatrixSeries } from './response.js';

const S = (le: string | undefined, times: number[], values: number[]): MatrixSeries => ({
  metric: le === undefined ? {} : { le },
  times: Float64Array.from(times),
  values: Float64Array.from(values),
});

describe('bucketGrid', () => {
  const series = [
    S('+Inf', [0, 15_000], [40, 4]),
    S('0.1', [0, 15_000], [10, 0]),
    S('0.5', [0, 15_000], [30, 2]),
    S('1', [0], [30]),
    S('1.0', [0, 15_000], [10, 4]), // same bound, other spelling: summed
    S(undefined, [0], [99]),
    S('x', [0], [99]),
  ];

  it('lays out bounds sorted, merges spellings, counts skipped series', () => {
    const g = bucketGrid(series);
    expect(g.upperBounds).toEqual([0.1, 0.5, 1, Infinity]);
    expect([...g.times]).toEqual([0, 15_000]);
    expect([...g.cumulative]).toEqual([10, 30, 40, 40, 0, 2, 4, 4]);
    expect(g.skipped).toBe(2);
  });

  it('gives per-bucket values and quantiles per timestamp', () => {
    const g = bucketGrid(series);
    expect([...gridPerBucket(g)]).toEqual([10, 20, 10, 0, 0, 2, 2, 0]);
    const p50 = gridQuantiles(0.5, g);
    expect(p50[0]).toBeCloseTo(0.3, 12);
    expect(p50[1]).toBeCloseTo(0.5, 12);
  });

  it('marks missing cells NaN (no data), not zero', () => {
    const g = bucketGrid([S('1', [0, 1000], [1, 2]), S('+Inf', [1000], [3])]);
    expect(g.cumulative[1]).toBeNaN();
    expect(gridPerBucket(g)[1]).toBeNaN();
    expect(gridQuantiles(0.5, g)[0]).toBeNaN();
    expect(gridQuantiles(0.5, g)[1]).toBeCloseTo(0.75, 12);
  });
});
