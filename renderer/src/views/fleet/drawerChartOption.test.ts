import { describe, expect, it } from 'vitest';

import { drawerChartOption, yRange } from './drawerChartOption.js';
import type { DrawerMetric } from './prepareDeviceDrawer.js';

function metric(unit: 'percent' | 'watts', values: Array<number | null>): DrawerMetric {
  return {
    metric: 'device.power',
    label: 'Power',
    unit,
    state: 'fresh',
    text: '',
    ageText: '',
    ts: 0,
    points: values.map((v, i): [number, number | null] => [i * 500, v]),
  };
}

describe('drawer charts', () => {
  it('span shares 0–100, other values their own span, and pad a flat line', () => {
    expect(yRange(metric('percent', [3, 4]))).toEqual([0, 100]);
    expect(yRange(metric('watts', [180, null, 200]))).toEqual([180, 200]);
    expect(yRange(metric('watts', [700, 700]))).toEqual([665, 735]);
    expect(yRange(metric('watts', [0, 0]))).toEqual([0, 1]);
    expect(yRange(metric('watts', [null]))).toEqual([0, 1]);
  });

  it('label the y axis at its two ends only, and leave gaps where values are absent', () => {
    const option = drawerChartOption(metric('watts', [180, null, 200]), [0, 60_000]);
    expect(option.yAxis).toMatchObject({ min: 180, max: 200, interval: 20 });
    expect(option.xAxis).toMatchObject({ type: 'time', min: 0, max: 60_000 });
    const series = (option.series as Array<{ data: unknown; connectNulls: boolean }>)[0]!;
    expect(series.connectNulls).toBe(false);
    expect(series.data).toEqual([
      [0, 180],
      [500, null],
      [1000, 200],
    ]);
  });

  it('ticks round clock times, dates the tooltip in ISO order and keeps the device colour', () => {
    const start = new Date(2026, 11, 2, 13, 3, 5).getTime();
    const option = drawerChartOption(metric('watts', [0.0167]), [start, start + 3_600_000]);
    const x = option.xAxis as {
      axisLabel: { customValues: number[]; formatter: (t: number) => string };
    };
    expect(x.axisLabel.customValues.map((t) => x.axisLabel.formatter(t))).toEqual([
      '13:20',
      '13:40',
      '14:00',
    ]);
    const tooltip = option.tooltip as { formatter: (p: unknown) => string };
    const html = tooltip.formatter([{ value: [start, 0.0167] }]);
    expect(html).toContain('2026-12-02 13:03:05');
    expect(html).toContain('0.0167 W');
    expect(option.color).toEqual(['#5794f2']);
  });
});
