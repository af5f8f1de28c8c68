/** One metric's history in the device drawer: a small line chart, time axis, values with units. */
import type { ChartOption } from '../../charts/echarts.js';
import { COLORS } from '../../charts/theme.js';
import { formatValue } from '../../lib/format.js';
import { escapeHtml } from '../../lib/html.js';
import type { DrawerMetric } from './prepareDeviceDrawer.js';

export function drawerChartOption(m: DrawerMetric, timeRange?: [number, number]): ChartOption {
  const format = (v: number) => formatValue(v, m.unit);
  return {
    animation: false,
    color: ['#5794f2'],
    grid: {
      left: 4,
      right: 24,
      top: 8,
      bottom: 2,
      outerBoundsMode: 'same',
      outerBoundsContain: 'axisLabel',
    },
    xAxis: {
      type: 'time',
      ...(timeRange ? { min: timeRange[0], max: timeRange[1] } : {}),
      axisLabel: { hideOverlap: true, alignMaxLabel: 'right', alignMinLabel: 'left' },
    },
    yAxis: {
      type: 'value',
      scale: m.unit !== 'percent',
      ...(m.unit === 'percent' ? { min: 0, max: 100, interval: 50 } : { splitNumber: 2 }),
      axisLabel: { formatter: (v: number) => format(v) },
    },
    tooltip: {
      trigger: 'axis',
      className: 'osprey-tooltip',
      confine: true,
      axisPointer: { type: 'line', lineStyle: { color: COLORS.textMuted } },
      formatter: (params: unknown) => {
        const p = (Array.isArray(params) ? params[0] : params) as { value?: unknown } | undefined;
        const [t, v] = Array.isArray(p?.value) ? (p.value as [number, number | null]) : [NaN, null];
        const text = v === null || v === undefined ? 'no data' : format(v);
        const time = Number.isFinite(t) ? new Date(t).toLocaleTimeString() : '';
        return `<span style="color:${COLORS.textSecondary}">${escapeHtml(time)}</span><br/>${escapeHtml(m.label)}: <strong>${escapeHtml(text)}</strong>`;
      },
    },
    series: [
      {
        id: m.metric,
        type: 'line',
        data: m.points,
        showSymbol: false,
        // A gap, not a line across it: missing is not zero.
        connectNulls: false,
        lineStyle: { width: 1.5 },
        areaStyle: { opacity: 0.1 },
        emphasis: { disabled: true },
      },
    ],
  };
}
