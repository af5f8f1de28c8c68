/**
 * One metric's history in the device drawer: a small line chart, time axis with ticks on round
 * clock times, values with units, ISO times in the tooltip, the app's fixed device colour.
 */
import { timeAxisTicks } from '../../charts/axisTicks.js';
import type { ChartOption } from '../../charts/echarts.js';
import { seriesStyle } from '../../charts/seriesStyle.js';
import { COLORS } from '../../charts/theme.js';
import { formatDateTime, formatValue } from '../../lib/format.js';
import { escapeHtml } from '../../lib/html.js';
import type { DrawerMetric } from './prepareDeviceDrawer.js';

/**
 * The y range: 0–100 for shares, else the data's own span (padded when flat), labelled only at
 * its ends. Four ticks on a 70 px chart overlap; two say what the line needs.
 */
export function yRange(m: DrawerMetric): [number, number] {
  if (m.unit === 'percent') return [0, 100];
  const values = m.points.map(([, v]) => v).filter((v): v is number => v !== null);
  if (values.length === 0) return [0, 1];
  let lo = Math.min(...values);
  let hi = Math.max(...values);
  if (lo === hi) {
    const pad = Math.abs(lo) * 0.05 || 1;
    lo = lo >= 0 ? Math.max(0, lo - pad) : lo - pad;
    hi += pad;
  }
  return [lo, hi];
}

/** The shown span: the one asked, else the points' own. */
function span(m: DrawerMetric, timeRange?: [number, number]): [number, number] | undefined {
  if (timeRange) return timeRange;
  if (m.points.length === 0) return undefined;
  return [m.points[0]![0], m.points.at(-1)![0]];
}

/** Three tick intervals: a drawer chart is ~300 px wide. */
const TIME_INTERVALS = 3;

export function drawerChartOption(m: DrawerMetric, timeRange?: [number, number]): ChartOption {
  const format = (v: number) => formatValue(v, m.unit);
  const [lo, hi] = yRange(m);
  const shown = span(m, timeRange);
  const ticks = shown ? timeAxisTicks(shown[0], shown[1], TIME_INTERVALS) : undefined;
  return {
    animation: false,
    color: [seriesStyle('device').color],
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
      ...(ticks ? { axisTick: ticks.axisTick } : { splitNumber: 3 }),
      axisLabel: {
        ...ticks?.axisLabel,
        hideOverlap: true,
        alignMaxLabel: 'right',
        alignMinLabel: 'left',
      },
    },
    yAxis: {
      type: 'value',
      min: lo,
      max: hi,
      interval: hi - lo,
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
        const time = formatDateTime(t);
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
