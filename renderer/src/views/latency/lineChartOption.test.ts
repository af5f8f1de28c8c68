import { describe, expect, it } from 'vitest';

import { lineChartOption, niceCeil } from './lineChartOption.js';
import type { LinePanelModel } from './types.js';

const base: LinePanelModel = {
  unit: 'seconds',
  range: [1000, 61_000],
  series: [
    {
      id: 'p50',
      name: 'p50',
      points: [
        [1000, 0.05],
        [16_000, null],
        [31_000, 0.07],
      ],
    },
    { id: 'p99', name: 'p99', points: [[1000, 0.4]] },
  ],
};

type Axis = { min?: number; max?: unknown; axisLabel: { formatter: (v: number) => string } };
type Series = { data: unknown; markLine?: { data: unknown[] }; markArea?: { data: unknown[] } };
const axis = (o: unknown, k: 'xAxis' | 'yAxis') => (o as Record<string, Axis>)[k]!;
const series = (o: unknown) => (o as { series: Series[] }).series;

describe('lineChartOption', () => {
  it('shows exactly the view range, so charts line up', () => {
    const o = lineChartOption(base);
    expect(axis(o, 'xAxis').min).toBe(1000);
    expect(axis(o, 'xAxis').max).toBe(61_000);
  });

  it('labels the y axis in the panel unit', () => {
    const f = axis(lineChartOption(base), 'yAxis').axisLabel.formatter;
    expect(f(0.25)).toBe('250 ms');
    expect(f(2)).toBe('2 s');
    const pct = axis(lineChartOption({ ...base, unit: 'percent', yMax: 100 }), 'yAxis');
    expect(pct.axisLabel.formatter(50)).toBe('50 %');
    expect(pct.max).toBe(100);
  });

  it('keeps gaps as nulls', () => {
    expect(series(lineChartOption(base))[0]!.data).toEqual(base.series[0]!.points);
  });

  it('draws the SLO as a labelled line and keeps it in view', () => {
    const o = lineChartOption({ ...base, slo: { value: 0.5, label: 'SLO' } });
    expect(series(o)[0]!.markLine!.data).toEqual([{ yAxis: 0.5 }]);
    const max = axis(o, 'yAxis').max as (e: { max: number }) => number;
    expect(max({ max: 0.1 })).toBeCloseTo(0.6);
    expect(max({ max: 3 })).toBe(3);
    expect(niceCeil(6.38)).toBe(8);
    expect(niceCeil(2.2)).toBe(2.5);
    expect(niceCeil(20)).toBe(20);
    expect(series(lineChartOption(base))[0]!.markLine).toBeUndefined();
  });

  it('shades the live edge from where NATS points begin to the range end', () => {
    const o = lineChartOption({ ...base, liveFrom: 50_000 });
    expect(series(o)[0]!.markArea!.data).toEqual([
      [{ xAxis: 50_000, name: 'live' }, { xAxis: 61_000 }],
    ]);
  });

  it('says "no data" in the tooltip for a gap, never 0', () => {
    const o = lineChartOption(base) as unknown as {
      tooltip: { formatter: (p: unknown) => string };
    };
    const html = o.tooltip.formatter([
      { seriesName: 'p50', value: [16_000, null] },
      { seriesName: 'p99', value: [16_000, 0.4] },
    ]);
    expect(html).toContain('p50: <strong>no data</strong>');
    expect(html).toContain('p99: <strong>400 ms</strong>');
  });
});
