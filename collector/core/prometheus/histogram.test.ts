import { describe, expect, it } from 'vitest';

import {
  counterIncreases,
  parseLe,
  perBucketCounts,
  quantileFromBuckets,
  type Bucket,
} from './histogram.js';

const B = (pairs: [number, number][]): Bucket[] =>
  pairs.map(([upperBound, count]) => ({ upperBound, count }));

describe('parseLe', () => {
  it('reads 2.x and 3.x spellings as the same bound', () => {
    expect(parseLe('1')).toBe(1);
    expect(parseLe('1.0')).toBe(1);
    expect(parseLe('1e+00')).toBe(1);
    expect(parseLe('0.005')).toBe(0.005);
    expect(parseLe('+Inf')).toBe(Infinity);
    expect(parseLe('-Inf')).toBe(-Infinity);
    expect(parseLe('')).toBeNaN();
    expect(parseLe('abc')).toBeNaN();
  });
});

describe('quantileFromBuckets (PromQL histogram_quantile)', () => {
  // Cumulative: 10 ≤ 0.1, 30 ≤ 0.5, 40 ≤ 1, 40 ≤ +Inf.
  const h = B([
    [0.1, 10],
    [0.5, 30],
    [1, 40],
    [Infinity, 40],
  ]);

  it('interpolates linearly inside the bucket holding the rank', () => {
    // rank 20: bucket (0.1, 0.5], 10 of 20 in it → 0.1 + 0.4 × 0.5 = 0.3
    expect(quantileFromBuckets(0.5, h)).toBeCloseTo(0.3, 12);
    // rank 36: bucket (0.5, 1], 6 of 10 → 0.8
    expect(quantileFromBuckets(0.9, h)).toBeCloseTo(0.8, 12);
    // rank 4: lowest bucket starts at 0 → 0.04
    expect(quantileFromBuckets(0.1, h)).toBeCloseTo(0.04, 12);
    expect(quantileFromBuckets(0, h)).toBe(0);
    expect(quantileFromBuckets(1, h)).toBe(1);
  });

  it('returns the second-highest bound when the rank falls in +Inf', () => {
    const tail = B([
      [0.1, 1],
      [0.5, 2],
      [Infinity, 10],
    ]);
    expect(quantileFromBuckets(0.99, tail)).toBe(0.5);
  });

  it('returns the lowest bound when it is ≤ 0 and holds the rank', () => {
    expect(
      quantileFromBuckets(
        0.1,
        B([
          [-1, 5],
          [1, 10],
          [Infinity, 10],
        ]),
      ),
    ).toBe(-1);
  });

  it('follows the special cases: NaN, out-of-range q, no +Inf, < 2 buckets, no observations', () => {
    expect(quantileFromBuckets(NaN, h)).toBeNaN();
    expect(quantileFromBuckets(-0.1, h)).toBe(-Infinity);
    expect(quantileFromBuckets(1.1, h)).toBe(Infinity);
    expect(
      quantileFromBuckets(
        0.5,
        B([
          [1, 3],
          [2, 4],
        ]),
      ),
    ).toBeNaN();
    expect(quantileFromBuckets(0.5, B([[Infinity, 4]]))).toBeNaN();
    expect(
      quantileFromBuckets(
        0.5,
        B([
          [1, 0],
          [Infinity, 0],
        ]),
      ),
    ).toBeNaN();
    expect(quantileFromBuckets(0.5, [])).toBeNaN();
  });

  it('sorts, merges equal bounds ("1" and "1.0") and forces monotonicity', () => {
    const shuffled = B([
      [Infinity, 40],
      [0.5, 30],
      [1, 40],
      [0.1, 10],
    ]);
    expect(quantileFromBuckets(0.5, shuffled)).toBeCloseTo(0.3, 12);
    // Two halves of one fleet, one writing le="1", the other le="1.0": same bound, summed.
    const merged = B([
      [parseLe('1'), 5],
      [parseLe('1.0'), 5],
      [parseLe('+Inf'), 10],
      [parseLe('+Inf'), 10],
    ]);
    expect(quantileFromBuckets(0.5, merged)).toBeCloseTo(1, 12);
    // A dip (non-atomic scrape) is lifted to the running maximum, as Prometheus does.
    const dip = B([
      [1, 10],
      [2, 8],
      [3, 20],
      [Infinity, 20],
    ]);
    // envelope 10,10,20 → rank 15 in (2,3] → 2 + 1 × 5/10
    expect(quantileFromBuckets(0.75, dip)).toBeCloseTo(2.5, 12);
  });
});

describe('perBucketCounts', () => {
  it('de-accumulates, never negative, summing to the +Inf count', () => {
    const per = perBucketCounts(
      B([
        [1, 10],
        [2, 8],
        [3, 20],
        [Infinity, 25],
      ]),
    );
    expect(per).toEqual(
      B([
        [1, 10],
        [2, 0],
        [3, 10],
        [Infinity, 5],
      ]),
    );
  });
});

describe('counterIncreases', () => {
  it('takes a drop as a restart from zero and keeps gaps as NaN', () => {
    const out = counterIncreases(Float64Array.from([5, 7, 7, 2, NaN, 4]));
    expect([...out].map((v) => (Number.isNaN(v) ? 'NaN' : v))).toEqual([
      'NaN',
      2,
      0,
      2,
      'NaN',
      'NaN',
    ]);
  });
});
