/**
 * The latency histogram over time: per-bucket request rates (cumulative `le` buckets
 * de-accumulated, collector/core/prometheus/bucketGrid.ts) as cells on the same time axis as every
 * other panel, one row per bucket. vLLM's bounds grow roughly geometrically (1 ms … 2560 s), so
 * equal rows per bucket give the log-like latency axis a distribution needs. Only the bucket rows
 * from the lowest to the highest with any requests in the range are drawn, plus one either side.
 * Drawn as a custom series: ECharts' own heatmap needs a category time axis, which would break the
 * shared crosshair and drag-zoom.
 */
import {
  gridPerBucket,
  type BucketGrid,
} from '../../../../collector/core/prometheus/bucketGrid.js';
import { durationUnit, timeAxisTicks } from '../../charts/axisTicks.js';
import { COLORS, HEATMAP_COLORS } from '../../charts/theme.js';
import { formatDateTime } from '../../lib/format.js';
import { escapeHtml } from '../../lib/html.js';
import { TIME_GRID, type TimeChartOption } from '../../time/timeCharts.js';
import { formatLatencyValue, formatSeconds } from './units.js';

/** As the line panels: six clock ticks across the range. */
const TIME_INTERVALS = 6;

export interface HeatmapModel {
  /** Row labels, lowest bucket first, in one unit (the largest bound's): "≤ 0.05 s", …, "> 80 s". */
  rows: string[];
  /** [time ms, row, requests/s]; only cells with a value (no data stays blank). */
  cells: Array<[number, number, number]>;
  max: number;
  stepMs: number;
  range: [number, number];
}

/** "≤ 5 ms", "> 80 s"; in the given unit's format when the rows share one. */
export function bucketLabel(
  upper: number,
  below: number | undefined,
  format: (seconds: number) => string = formatSeconds,
): string {
  if (upper === Number.POSITIVE_INFINITY) return `> ${format(below ?? 0)}`;
  return `≤ ${format(upper)}`;
}

export function heatmapModel(
  grid: BucketGrid,
  stepMs: number,
  range: [number, number],
): HeatmapModel {
  const per = gridPerBucket(grid);
  const w = grid.upperBounds.length;
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (let r = 0; r < grid.times.length; r++) {
    for (let c = 0; c < w; c++) {
      if (per[r * w + c]! > 0) {
        lo = Math.min(lo, c);
        hi = Math.max(hi, c);
      }
    }
  }
  if (!Number.isFinite(lo)) return { rows: [], cells: [], max: 0, stepMs, range };
  lo = Math.max(0, lo - 1);
  hi = Math.min(w - 1, hi + 1);
  // The rows are a duration axis: one unit for all of them, from the largest finite bound shown.
  const finite = grid.upperBounds.slice(lo, hi + 1).filter(Number.isFinite);
  const unit = durationUnit(Math.max(0, ...finite, grid.upperBounds[hi - 1] ?? 0));
  const rows: string[] = [];
  for (let c = lo; c <= hi; c++)
    rows.push(bucketLabel(grid.upperBounds[c]!, grid.upperBounds[c - 1], unit.format));
  const cells: HeatmapModel['cells'] = [];
  let max = 0;
  for (let r = 0; r < grid.times.length; r++) {
    for (let c = lo; c <= hi; c++) {
      const v = per[r * w + c]!;
      if (Number.isNaN(v)) continue;
      cells.push([grid.times[r]!, c - lo, v]);
      if (v > max) max = v;
    }
  }
  return { rows, cells, max, stepMs, range };
}

interface RenderApi {
  value(i: number): number;
  coord(p: [number, number]): [number, number];
  size(p: [number, number]): [number, number];
  visual(k: 'color'): string;
}

export function heatmapOption(model: HeatmapModel): TimeChartOption {
  const { stepMs } = model;
  const ticks = timeAxisTicks(model.range[0], model.range[1], TIME_INTERVALS);
  return {
    animation: false,
    grid: { ...TIME_GRID, left: 76, top: 10, bottom: 22 },
    xAxis: {
      type: 'time',
      min: model.range[0],
      max: model.range[1],
      axisTick: ticks.axisTick,
      axisLabel: { ...ticks.axisLabel, hideOverlap: true, color: COLORS.textMuted },
    },
    yAxis: {
      type: 'category',
      data: model.rows,
      axisLabel: { color: COLORS.textMuted, fontSize: 10, interval: 'auto' },
      splitLine: { show: false },
    },
    visualMap: {
      type: 'continuous',
      min: 0,
      max: model.max > 0 ? model.max : 1,
      dimension: 2,
      inRange: { color: [...HEATMAP_COLORS] },
      show: false,
    },
    tooltip: {
      trigger: 'item',
      className: 'osprey-tooltip',
      confine: true,
      formatter: (p: unknown) => {
        const v = (p as { value?: [number, number, number] }).value;
        if (!v) return '';
        const when = formatDateTime(v[0]);
        const row = model.rows[v[1]] ?? '';
        return `<span style="color:${COLORS.textSecondary}">${escapeHtml(when)}</span><br/>${escapeHtml(row)}: <strong>${escapeHtml(formatLatencyValue(v[2], 'requests/s'))}</strong>`;
      },
    },
    series: [
      {
        id: 'heatmap',
        type: 'custom',
        data: model.cells,
        encode: { x: 0, y: 1 },
        renderItem: (_params: unknown, api: RenderApi) => {
          const [x, y] = api.coord([api.value(0), api.value(1)]);
          const [w, h] = api.size([stepMs, 1]);
          return {
            type: 'rect',
            // A point at t is the rate over the window ending at t: its cell spans [t − step, t].
            shape: { x: x - w, y: y - h / 2, width: Math.max(w, 1), height: h },
            style: { fill: api.visual('color') },
          };
        },
      },
    ],
  } as TimeChartOption;
}

/** The colour bar's end labels, for the panel header ("0 – 3.2 req/s"). */
export function heatmapScaleText(model: HeatmapModel): [string, string] {
  return [formatLatencyValue(0, 'requests/s'), formatLatencyValue(model.max, 'requests/s')];
}
