/**
 * A line panel's model → ECharts option: the view's exact range on a time axis (so every chart
 * lines up under the shared crosshair) with ticks on round clock times, latency axes in one unit
 * (charts/axisTicks.ts), units on the axis and in the tooltip, each series in its kind's fixed
 * colour (charts/seriesStyle.ts), ISO times in the tooltip, an optional SLO line, and the live edge
 * shaded and labelled where NATS points follow Prometheus's.
 */
import { durationAxis, timeAxisTicks } from '../../charts/axisTicks.js';
import { seriesStyle } from '../../charts/seriesStyle.js';
import { COLORS } from '../../charts/theme.js';
import { formatDateTime } from '../../lib/format.js';
import { escapeHtml } from '../../lib/html.js';
import { TIME_GRID, type TimeChartOption } from '../../time/timeCharts.js';
import type { LinePanelModel } from './types.js';
import { formatLatencyValue } from './units.js';

const SLO_COLOR = '#ff9830';
const LIVE_SHADE = 'rgba(115, 191, 105, 0.08)';
/** Time ticks across a panel: six "14:05"-wide labels fit the narrowest (two-column) panel. */
const TIME_INTERVALS = 6;

export function lineChartOption(model: LinePanelModel): TimeChartOption {
  const format = (v: number) => formatLatencyValue(v, model.unit);
  const [start, end] = model.range;
  const ticks = timeAxisTicks(start, end, TIME_INTERVALS);
  return {
    animation: false,
    grid: { ...TIME_GRID, top: 14, bottom: 22 },
    legend: {
      show: model.series.length > 1,
      top: 0,
      right: 0,
      itemWidth: 12,
      itemHeight: 3,
      textStyle: { color: COLORS.textSecondary, fontSize: 11 },
      // The legend is a key, not a filter: hidden series would read as "no data".
      selectedMode: false,
    },
    xAxis: {
      type: 'time',
      min: start,
      max: end,
      axisTick: ticks.axisTick,
      axisLabel: {
        ...ticks.axisLabel,
        hideOverlap: true,
        color: COLORS.textMuted,
      },
      axisPointer: { snap: false },
    },
    yAxis: { type: 'value', min: 0, ...valueAxis(model, format) },
    tooltip: {
      trigger: 'axis',
      className: 'osprey-tooltip',
      confine: true,
      axisPointer: { type: 'line', lineStyle: { color: COLORS.textMuted } },
      formatter: (params: unknown) => tooltipHtml(params, format, model.liveFrom),
    },
    series: model.series.map((s, i) => ({
      id: s.id,
      name: s.name,
      type: 'line' as const,
      data: s.points,
      showSymbol: false,
      connectNulls: false,
      color: s.color ?? seriesStyle(s.name).color,
      ...(s.stack ? { stack: s.stack, areaStyle: { opacity: 0.35 } } : {}),
      lineStyle: { width: 1.5, ...(s.dashed ? { type: 'dashed' as const } : {}) },
      emphasis: { disabled: true },
      ...(i === 0 ? decorations(model, format) : {}),
    })),
  };
}

/** The SLO line and the live-edge shading ride on the first series (ECharts marks need one). */
function decorations(model: LinePanelModel, format: (v: number) => string) {
  const out: Record<string, unknown> = {};
  if (model.slo) {
    out.markLine = {
      silent: true,
      symbol: 'none',
      lineStyle: { color: SLO_COLOR, type: 'dashed', width: 1 },
      label: {
        position: 'insideEndTop',
        color: SLO_COLOR,
        fontSize: 10,
        formatter: `${model.slo.label} ${format(model.slo.value)}`,
      },
      data: [{ yAxis: model.slo.value }],
    };
  }
  if (model.liveFrom !== undefined) {
    out.markArea = {
      silent: true,
      itemStyle: { color: LIVE_SHADE },
      label: { show: true, position: 'insideTopRight', color: '#73bf69', fontSize: 10 },
      data: [[{ xAxis: model.liveFrom, name: 'live' }, { xAxis: model.range[1] }]],
    };
  }
  return out;
}

/**
 * The y axis. Latencies: 0 to a round top in one unit ("0, 5, 10, 15 min"), high enough to keep
 * the SLO line on the chart when every percentile is far below it. Shares: quarters 0–100 % (three
 * auto ticks put "90 %" under "100 %"). Others: three ECharts steps, labelled with the unit.
 */
function valueAxis(model: LinePanelModel, format: (v: number) => string) {
  const label = { color: COLORS.textMuted };
  if (model.yMax !== undefined)
    return {
      max: model.yMax,
      interval: model.yMax / 4,
      axisLabel: { ...label, formatter: (v: number) => format(v) },
    };
  if (model.unit === 'seconds') {
    const axis = durationAxis(Math.max(dataMax(model), model.slo ? model.slo.value * 1.15 : 0));
    return {
      max: axis.max,
      interval: axis.interval,
      axisLabel: { ...label, formatter: (v: number) => axis.format(v) },
    };
  }
  return {
    splitNumber: 3,
    ...(model.unit === 'count' ? { minInterval: 1 } : {}),
    axisLabel: { ...label, formatter: (v: number) => format(v) },
  };
}

/** The largest value drawn (stacked series add up), 0 when there is none. */
export function dataMax(model: LinePanelModel): number {
  let max = 0;
  const stacks = new Map<number, number>();
  for (const s of model.series) {
    for (const [t, v] of s.points) {
      if (v === null) continue;
      if (s.stack) stacks.set(t, (stacks.get(t) ?? 0) + v);
      else if (v > max) max = v;
    }
  }
  for (const v of stacks.values()) if (v > max) max = v;
  return max;
}

interface AxisParam {
  seriesName?: string;
  marker?: string;
  value?: unknown;
}

function tooltipHtml(
  params: unknown,
  format: (v: number) => string,
  liveFrom: number | undefined,
): string {
  const list = (Array.isArray(params) ? params : [params]) as AxisParam[];
  const first = list[0]?.value;
  const t = Array.isArray(first) ? Number(first[0]) : Number.NaN;
  const when = formatDateTime(t);
  const live = liveFrom !== undefined && t >= liveFrom ? ' · live (NATS)' : '';
  const rows = list.map((p) => {
    const v = Array.isArray(p.value) ? (p.value[1] as number | null) : null;
    const text = v === null || v === undefined ? 'no data' : format(v);
    return `${p.marker ?? ''}${escapeHtml(p.seriesName ?? '')}: <strong>${escapeHtml(text)}</strong>`;
  });
  const head = `<span style="color:${COLORS.textSecondary}">${escapeHtml(when + live)}</span>`;
  return [head, ...rows].join('<br/>');
}
