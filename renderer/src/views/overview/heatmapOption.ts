/**
 * HeatmapModel → ECharts option. Cells with a value and cells without are two series: the first is
 * coloured by the scale, the second is drawn grey and dashed, so "no data" never borrows the colour
 * of a low value.
 */
import type { ChartOption } from '../../charts/echarts.js';
import { COLORS, HEATMAP_COLORS } from '../../charts/theme.js';
import { escapeHtml } from '../../lib/html.js';
import type { HeatmapCell, HeatmapModel } from './prepareHeatmap.js';
import { tooltipBeside, type Rect } from './tooltipBeside.js';

export const CELL_HEIGHT = 60;
const CELL_MIN_WIDTH = 72;
const CELL_MAX_WIDTH = 148;
const TOP = 8;
const BOTTOM = 8;
/** Above this many cells the labels would not fit; the colour and the tooltip carry the value. */
const MAX_LABELLED_CELLS = 128;

export interface HeatmapLayout {
  height: number;
  left: number;
  cellWidth: number;
}

/** Sizes the grid to the container: cells as wide as fit, within readable bounds. */
export function heatmapLayout(model: HeatmapModel, width: number): HeatmapLayout {
  const longest = Math.max(0, ...model.rows.map((r) => r.length));
  const left = Math.min(200, 16 + longest * 7);
  const room = Math.max(0, width - left - 8) / model.cols;
  const cellWidth = Math.max(CELL_MIN_WIDTH, Math.min(CELL_MAX_WIDTH, Math.floor(room)));
  return { height: TOP + BOTTOM + model.rows.length * CELL_HEIGHT, left, cellWidth };
}

/** Dark text on the bright end of viridis, light text on the dark end. */
export function labelColor(t: number): string {
  return t >= 0.55 ? '#111217' : '#f4f4f6';
}

export function heatmapOption(model: HeatmapModel, layout: HeatmapLayout): ChartOption {
  const withValue = model.cells.filter((c) => c.t !== undefined);
  const without = model.cells.filter((c) => c.t === undefined);
  const showLabels = model.cells.length <= MAX_LABELLED_CELLS;
  const item = (c: HeatmapCell, v: number) => ({
    value: [c.col, c.row, v],
    cell: c,
    itemStyle: { opacity: c.stale ? 0.4 : 1 },
    label: { color: c.t === undefined ? COLORS.textSecondary : labelColor(c.t) },
  });
  const label = {
    show: showLabels,
    formatter: (p: { data?: unknown }) => {
      const cell = (p.data as { cell?: HeatmapCell } | undefined)?.cell;
      return cell
        ? `{name|${cell.label}}\n{value|${cell.value === null ? 'no data' : cell.text}}`
        : '';
    },
    rich: {
      name: { fontSize: 11, lineHeight: 16, opacity: 0.85 },
      value: { fontSize: 14, fontWeight: 600 as const, lineHeight: 20 },
    },
  };
  return {
    animation: false,
    grid: {
      left: layout.left,
      top: TOP,
      bottom: BOTTOM,
      width: layout.cellWidth * model.cols,
      height: model.rows.length * CELL_HEIGHT,
    },
    xAxis: { type: 'category', data: range(model.cols), show: false },
    yAxis: {
      type: 'category',
      data: model.rows,
      inverse: true,
      axisLine: { show: false },
      axisLabel: { fontSize: 12, color: COLORS.textSecondary },
    },
    visualMap: [
      {
        type: 'continuous',
        show: false,
        seriesIndex: 0,
        min: 0,
        max: 1,
        inRange: { color: HEATMAP_COLORS },
      },
      {
        type: 'continuous',
        show: false,
        seriesIndex: 1,
        min: 0,
        max: 1,
        inRange: { color: [COLORS.noData, COLORS.noData] },
      },
    ],
    tooltip: {
      trigger: 'item',
      className: 'osprey-tooltip',
      confine: true,
      // Beside the hovered cell, never over it (ECharts puts it at the pointer otherwise).
      position: (
        point: [number, number],
        _params: unknown,
        _dom: unknown,
        rect: Rect | null | undefined,
        size: { contentSize: [number, number]; viewSize: [number, number] },
      ) =>
        tooltipBeside(
          rect ?? { x: point[0], y: point[1], width: 0, height: 0 },
          size.contentSize,
          size.viewSize,
        ),
      formatter: (p: unknown) => {
        const cell = ((p as { data?: unknown }).data as { cell?: HeatmapCell } | undefined)?.cell;
        return cell ? tooltipHtml(cell) : '';
      },
    },
    series: [
      {
        id: 'values',
        type: 'heatmap',
        data: withValue.map((c) => item(c, c.t!)),
        label,
        itemStyle: { borderColor: COLORS.panel, borderWidth: 2, borderRadius: 3 },
        emphasis: { itemStyle: { borderColor: COLORS.text, borderWidth: 2 } },
      },
      {
        id: 'no-data',
        type: 'heatmap',
        data: without.map((c) => item(c, 0)),
        label,
        itemStyle: {
          borderColor: COLORS.noDataBorder,
          borderWidth: 1,
          borderType: 'dashed',
          borderRadius: 3,
        },
        emphasis: { itemStyle: { borderColor: COLORS.text } },
      },
    ],
  };
}

function tooltipHtml(cell: HeatmapCell): string {
  const [title, ...rest] = cell.tooltip.map(escapeHtml);
  return [`<strong>${title}</strong>`, ...rest].join('<br/>');
}

function range(n: number): string[] {
  return Array.from({ length: n }, (_, i) => String(i));
}
