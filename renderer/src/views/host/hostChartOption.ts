/**
 * HostChart → ECharts line chart option: time axis with ticks on round clock times, values with
 * units, gaps where data is absent, ISO times in the tooltip, each series in its kind's colour.
 */
import { timeAxisTicks } from '../../charts/axisTicks.js';
import type { ChartOption } from '../../charts/echarts.js';
import { seriesStyle } from '../../charts/seriesStyle.js';
import { COLORS } from '../../charts/theme.js';
import { formatDateTime, formatValue } from '../../lib/format.js';
import { escapeHtml } from '../../lib/html.js';
import type { HostChart } from './prepareHostCharts.js';

/** Four tick intervals across a host chart (a quarter of the page wide). */
const TIME_INTERVALS = 4;

export function hostChartOption(chart: HostChart): ChartOption {
  const format = (v: number) => formatValue(v, chart.unit);
  const ticks = chart.timeRange
    ? timeAxisTicks(chart.timeRange[0], chart.timeRange[1], TIME_INTERVALS)
    : undefined;
  return {
    animation: false,
    grid: {
      left: 8,
      // A centred time label near the right edge ("21:53:00") needs ~half its width of room.
      right: 28,
      top: 12,
      bottom: 4,
      outerBoundsMode: 'same',
      outerBoundsContain: 'axisLabel',
    },
    xAxis: {
      type: 'time',
      ...(chart.timeRange ? { min: chart.timeRange[0], max: chart.timeRange[1] } : {}),
      ...(ticks ? { axisTick: ticks.axisTick } : {}),
      // Keep the newest and oldest times inside the panel instead of half outside it.
      axisLabel: {
        ...ticks?.axisLabel,
        hideOverlap: true,
        alignMaxLabel: 'right',
        alignMinLabel: 'left',
      },
    },
    yAxis: {
      type: 'value',
      min: 0,
      // No fractions of a byte or of a count on the axis of an idle interface.
      ...(chart.unit === 'percent' ? {} : { minInterval: 1 }),
      // Shares get fixed quarter ticks; open-ended values let ECharts pick three nice steps.
      ...(chart.yMax === undefined
        ? { splitNumber: 3 }
        : { max: chart.yMax, interval: chart.yMax / 4 }),
      axisLabel: { formatter: (v: number) => format(v) },
    },
    tooltip: {
      trigger: 'axis',
      className: 'osprey-tooltip',
      confine: true,
      axisPointer: { type: 'line', lineStyle: { color: COLORS.textMuted } },
      formatter: (params: unknown) => tooltipHtml(params, format),
    },
    series: chart.series.map((s, i) => ({
      id: `${chart.id}-${i}`,
      name: s.name,
      type: 'line',
      data: s.points,
      color: seriesStyle(s.name).color,
      showSymbol: false,
      // A gap, not a line across it: missing is not zero, and not "about the same" either.
      connectNulls: false,
      lineStyle: { width: 1.5 },
      areaStyle: { opacity: chart.series.length === 1 ? 0.12 : 0.06 },
      emphasis: { disabled: true },
    })),
  };
}

interface AxisParam {
  seriesName?: string;
  marker?: string;
  value?: unknown;
}

function tooltipHtml(params: unknown, format: (v: number) => string): string {
  const list = (Array.isArray(params) ? params : [params]) as AxisParam[];
  const first = list[0]?.value;
  const t = Array.isArray(first) ? Number(first[0]) : NaN;
  const head = formatDateTime(t);
  const rows = list.map((p) => {
    const v = Array.isArray(p.value) ? (p.value[1] as number | null) : null;
    const text = v === null || v === undefined ? 'no data' : format(v);
    return `${p.marker ?? ''}${escapeHtml(p.seriesName ?? '')}: <strong>${escapeHtml(text)}</strong>`;
  });
  return [`<span style="color:${COLORS.textSecondary}">${escapeHtml(head)}</span>`, ...rows].join(
    '<br/>',
  );
}
