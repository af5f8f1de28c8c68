import { describe, expect, it } from 'vitest';

import { bucketGrid } from '../../../../collector/core/prometheus/bucketGrid.js';
import { matrixSeries } from '../../sources/prometheus/FakePrometheusSource.js';
import { bucketLabel, heatmapModel, heatmapOption } from './heatmapOption.js';

const le = (b: string, points: Array<[number, number]>) => matrixSeries({ le: b }, points);

describe('heatmapModel', () => {
  // Cumulative rates at two times; "1" and "1.0" are one bucket written two ways.
  const grid = bucketGrid([
    le('0.01', [
      [0, 0],
      [15_000, 0],
    ]),
    le('0.05', [
      [0, 0],
      [15_000, 0],
    ]),
    le('0.1', [
      [0, 2],
      [15_000, 1],
    ]),
    le('0.5', [
      [0, 5],
      [15_000, 1],
    ]),
    le('1.0', [
      [0, 6],
      [15_000, 3],
    ]),
    le('2.5', [
      [0, 6],
      [15_000, 3],
    ]),
    le('5', [
      [0, 6],
      [15_000, 3],
    ]),
    le('+Inf', [
      [0, 6],
      [15_000, 3],
    ]),
  ]);

  it('de-accumulates buckets and keeps the rows with requests plus one either side', () => {
    const m = heatmapModel(grid, 15_000, [0, 15_000]);
    // One unit down the axis, the largest bound's: not "≤ 500 ms" under "≤ 1 s".
    expect(m.rows).toEqual(['≤ 0.05 s', '≤ 0.1 s', '≤ 0.5 s', '≤ 1 s', '≤ 2.5 s']);
    // t=0: 2 in ≤100 ms, 3 in ≤500 ms, 1 in ≤1 s; t=15 s: 1, 0, 2.
    const at = (t: number) => m.cells.filter((c) => c[0] === t).map((c) => c[2]);
    expect(at(0)).toEqual([0, 2, 3, 1, 0]);
    expect(at(15_000)).toEqual([0, 1, 0, 2, 0]);
    expect(m.max).toBe(3);
  });

  it('has no rows at all when no request landed in the range', () => {
    const empty = bucketGrid([le('0.1', [[0, 0]]), le('+Inf', [[0, 0]])]);
    expect(heatmapModel(empty, 15_000, [0, 1]).rows).toEqual([]);
  });

  it('labels the overflow bucket by the bound below it', () => {
    expect(bucketLabel(Number.POSITIVE_INFINITY, 80)).toBe('> 80 s');
    expect(bucketLabel(0.005, 0.001)).toBe('≤ 5 ms');
  });

  it('draws on the view range, coloured up to the largest cell', () => {
    const m = heatmapModel(grid, 15_000, [0, 15_000]);
    const o = heatmapOption(m) as unknown as {
      xAxis: { min: number; max: number };
      visualMap: { max: number };
    };
    expect([o.xAxis.min, o.xAxis.max]).toEqual([0, 15_000]);
    expect(o.visualMap.max).toBe(3);
  });

  it('reads sub-second rows in ms and dates its tooltip in ISO order', () => {
    const fast = bucketGrid([le('0.005', [[0, 1]]), le('0.01', [[0, 3]]), le('+Inf', [[0, 3]])]);
    const m = heatmapModel(fast, 15_000, [0, 15_000]);
    expect(m.rows).toEqual(['≤ 5 ms', '≤ 10 ms', '> 10 ms']);
    const o = heatmapOption(m) as unknown as { tooltip: { formatter: (p: unknown) => string } };
    const t = new Date(2026, 11, 2, 14, 3, 5).getTime();
    expect(o.tooltip.formatter({ value: [t, 0, 0.0167] })).toContain('2026-12-02 14:03:05');
    expect(o.tooltip.formatter({ value: [t, 0, 0.0167] })).toContain('0.0167 req/s');
  });
});
