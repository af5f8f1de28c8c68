import { describe, expect, it } from 'vitest';

import { matrixSeries } from './FakePrometheusSource.js';
import { clipSeries, hasValues, lastValueTime, seriesPoints, toPoints } from './matrixPoints.js';

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

describe('the asked window', () => {
  const step = 15_000;
  const window = [600_000, 900_000] as const;

  it('drops every point of an answer that lies wholly outside the window', () => {
    // What a stale cache or a skewed server answered: p50 = 43 s, an hour before the range.
    const times = [-3_000_000, -2_985_000, -2_970_000];
    const points = toPoints(times, [43, 43, 43], step, 1, window);
    expect(points).toEqual([]);
    expect(hasValues(points)).toBe(false);
    expect(lastValueTime(points)).toBeUndefined();
  });

  it('keeps points within half a step of either edge and drops the rest', () => {
    const times = [585_000, 592_500, 600_000, 900_000, 907_500, 915_000];
    expect(toPoints(times, [1, 2, 3, 4, 5, 6], step, 1, window)).toEqual([
      [592_500, 2],
      [600_000, 3],
      // The gap between the two edges is still a gap, not a line.
      [615_000, null],
      [900_000, 4],
      [907_500, 5],
    ]);
  });

  it('does not open a gap for points dropped before the window', () => {
    expect(toPoints([0, 600_000, 615_000], [9, 1, 2], step, 1, window)).toEqual([
      [600_000, 1],
      [615_000, 2],
    ]);
  });

  it('reads DCGM’s blank sentinel as a gap, never a number', () => {
    expect(toPoints([0, 1000], [Number('9223372036854775794'), 59], 1000)).toEqual([
      [0, null],
      [1000, 59],
    ]);
  });

  it('clips raw series for the heatmap, leaving blanks and outside samples out', () => {
    const s = matrixSeries({ le: '0.1' }, [
      [0, 1],
      [600_000, 2],
      [615_000, Number.NaN],
      [630_000, 3],
    ]);
    const clipped = clipSeries(s, window, step);
    expect([...clipped.times]).toEqual([600_000, 630_000]);
    expect([...clipped.values]).toEqual([2, 3]);
    expect(clipped.metric).toEqual({ le: '0.1' });
    const inside = matrixSeries({}, [[700_000, 1]]);
    expect(clipSeries(inside, window, step)).toBe(inside);
  });
});
