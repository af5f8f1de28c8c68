/**
 * A line panel's model → ECharts option: the view's exact range on a time axis (so every chart
 * lines up under the shared crosshair), units on the axis and in the tooltip, an optional SLO
 * line, and the live edge shaded and labelled where NATS points follow Prometheus's.
 */
import { COLORS, SERIES_COLORS } from '../../charts/theme.js';
import { escapeHtml } from '../../lib/html.js';
import { TIME_GRID, type TimeChartOption } from '../../time/timeCharts.js';
import type { LinePanelModel } from './types.js';
import { formatLatencyValue } from './units.js';

const SLO_COLOR = '#ff9830';
const LIVE_SHADE = 'rgba(115, 191, 105, 0.08)';

export function lineChartOption(model: LinePanelModel): TimeChartOption {
  const format = (v: number) => formatLatencyValue(v, model.unit);
  const [start, end] = model.range;
  const sloMax = model.slo ? model.slo.value * 1.15 : undefined;
  return {
    animation: false,
    color: SERIES_COLORS,
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
      axisLabel: { hideOverlap: true, color: COLORS.textMuted },
      axisPointer: { snap: false },
    },
    yAxis: {
      type: 'value',
      min: 0,
      // Shares in quarters: 0, 25, 50, 75, 100 % (three auto ticks put "90 %" under "100 %").
      ...(model.yMax !== undefined ? { max: model.yMax, interval: model.yMax / 4 } : {}),
      // Keep the SLO line on the chart when every percentile is far below it.
      ...(sloMax !== undefined
        ? { max: (e: { max: number }) => niceCeil(Math.max(e.max, sloMax)) }
        : {}),
      ...(model.yMax === undefined ? { splitNumber: 3 } : {}),
      ...(model.unit === 'count' ? { minInterval: 1 } : {}),
      axisLabel: { formatter: (v: number) => format(v), color: COLORS.textMuted },
    },
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
      ...(s.color ? { color: s.color } : {}),
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

/** The next round number (1, 1.2, 1.5, 2 … 8 × 10ⁿ) at or above v: the top tick reads "8 s", not "6.38 s". */
export function niceCeil(v: number): number {
  if (!(v > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10])
    if (m * p >= v * (1 - 1e-9)) return m * p;
  return 10 * p;
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
  const when = Number.isFinite(t) ? new Date(t).toLocaleString('en-GB', { hour12: false }) : '';
  const live = liveFrom !== undefined && t >= liveFrom ? ' · live (NATS)' : '';
  const rows = list.map((p) => {
    const v = Array.isArray(p.value) ? (p.value[1] as number | null) : null;
    const text = v === null || v === undefined ? 'no data' : format(v);
    return `${p.marker ?? ''}${escapeHtml(p.seriesName ?? '')}: <strong>${escapeHtml(text)}</strong>`;
  });
  const head = `<span style="color:${COLORS.textSecondary}">${escapeHtml(when + live)}</span>`;
  return [head, ...rows].join('<br/>');
}

export { SERIES_COLORS };
