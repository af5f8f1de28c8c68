import { describe, expect, it } from 'vitest';

import { matrixSeries } from './FakePrometheusSource.js';
import { hasValues, lastValueTime, seriesPoints, toPoints } from './matrixPoints.js';

describe('toPoints', () => {
  it('puts a null into a gap of more than one step, and keeps neighbours joined', () => {
    expect(toPoints([0, 15_000, 60_000, 75_000], [1, 2, 3, 4], 15_000)).toEqual([
      [0, 1],
      [15_000, 2],
      [30_000, null],
      [60_000, 3],
      [75_000, 4],
    ]);
  });

  it('turns NaN and ±Inf into gaps and scales the rest', () => {
    expect(
      toPoints([0, 1000, 2000], [0.5, Number.NaN, Number.POSITIVE_INFINITY], 1000, 100),
    ).toEqual([
      [0, 50],
      [1000, null],
      [2000, null],
    ]);
  });

  it('reads a matrix series', () => {
    const s = matrixSeries({}, [
      [0, 0],
      [1000, 7],
    ]);
    expect(seriesPoints(s, 1000)).toEqual([
      [0, 0],
      [1000, 7],
    ]);
  });
});

describe('hasValues / lastValueTime', () => {
  it('tells zero from no data', () => {
    expect(hasValues([[0, 0]])).toBe(true);
    expect(hasValues([[0, null]])).toBe(false);
    expect(hasValues([])).toBe(false);
    expect(
      lastValueTime([
        [0, 1],
        [5, 2],
        [9, null],
      ]),
    ).toBe(5);
    expect(lastValueTime([[9, null]])).toBeUndefined();
  });
});
