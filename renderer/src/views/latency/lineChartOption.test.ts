import { describe, expect, it } from 'vitest';

import { dataMax, lineChartOption } from './lineChartOption.js';
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

type Axis = {
  min?: number;
  max?: number;
  interval?: number;
  axisLabel: { formatter: (v: number) => string; customValues?: number[] };
};
type Series = {
  name: string;
  color: string;
  data: unknown;
  markLine?: { data: unknown[] };
  markArea?: { data: unknown[] };
};
const axis = (o: unknown, k: 'xAxis' | 'yAxis') => (o as Record<string, Axis>)[k]!;
const series = (o: unknown) => (o as { series: Series[] }).series;

describe('lineChartOption', () => {
  it('shows exactly the view range, so charts line up', () => {
    const o = lineChartOption(base);
    expect(axis(o, 'xAxis').min).toBe(1000);
    expect(axis(o, 'xAxis').max).toBe(61_000);
  });

  it('labels a latency axis in one unit, from 0 to a round top above the data', () => {
    const y = axis(lineChartOption(base), 'yAxis');
    expect([y.min, y.max, y.interval]).toEqual([0, 0.4, 0.1]);
    const ticks = [0, 0.1, 0.2, 0.3, 0.4].map((v) => y.axisLabel.formatter(v));
    expect(ticks).toEqual(['0 ms', '100 ms', '200 ms', '300 ms', '400 ms']);
    // A 1000 s tail reads in minutes at round steps, never "500 s, 16.7 min".
    const tail = axis(
      lineChartOption({ ...base, series: [{ id: 'p99', name: 'p99', points: [[1000, 1000]] }] }),
      'yAxis',
    );
    expect([tail.max, tail.interval]).toEqual([1200, 300]);
    expect([0, 300, 600, 900, 1200].map((v) => tail.axisLabel.formatter(v))).toEqual([
      '0 min',
      '5 min',
      '10 min',
      '15 min',
      '20 min',
    ]);
    const rate = axis(lineChartOption({ ...base, unit: 'requests/s' }), 'yAxis');
    expect(rate.axisLabel.formatter(0.0167)).toBe('0.0167 req/s');
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
    // SLO 0.5 s × 1.15 = 575 ms is above the data's 400 ms: the top covers it.
    expect(axis(o, 'yAxis').max).toBeCloseTo(0.6);
    const low = lineChartOption({ ...base, slo: { value: 0.1, label: 'SLO' } });
    expect(axis(low, 'yAxis').max).toBeCloseTo(0.4);
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

  it('dates the tooltip in ISO order, local time', () => {
    const o = lineChartOption(base) as unknown as {
      tooltip: { formatter: (p: unknown) => string };
    };
    const t = new Date(2026, 11, 2, 14, 3, 5).getTime();
    expect(o.tooltip.formatter([{ seriesName: 'p50', value: [t, 0.05] }])).toContain(
      '2026-12-02 14:03:05',
    );
  });

  it('puts time ticks on round clock times, all in one format', () => {
    const start = new Date(2026, 11, 2, 14, 3, 5).getTime();
    const x = axis(lineChartOption({ ...base, range: [start, start + 3_600_000] }), 'xAxis');
    const labels = x.axisLabel.customValues!.map((t) => x.axisLabel.formatter(t));
    expect(labels).toEqual(['14:10', '14:20', '14:30', '14:40', '14:50', '15:00']);
  });

  it('colours each series by its kind, whatever its place', () => {
    const o = lineChartOption({
      ...base,
      series: [
        { id: 'b', name: 'decode', points: [] },
        { id: 'a', name: 'p99', points: [] },
      ],
    });
    expect(series(o).map((s) => [s.name, s.color])).toEqual([
      ['decode', '#b877d9'],
      ['p99', '#f2495c'],
    ]);
  });

  it('takes stacked series at their sum for the top', () => {
    expect(
      dataMax({
        ...base,
        series: [
          { id: 'a', name: 'stop', stack: 's', points: [[0, 2]] },
          { id: 'b', name: 'length', stack: 's', points: [[0, 3]] },
          { id: 'c', name: 'p99', points: [[0, 4]] },
        ],
      }),
    ).toBe(5);
  });
});
