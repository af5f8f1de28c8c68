/**
 * Where the heatmap's tooltip goes: beside the hovered cell, never over it (issue 11: on "This
 * machine" the tooltip covered the cell being read). ECharts' default puts it at the pointer, on
 * top of the cell. Right of the cell first, then left, then below, then above; the first side with
 * room wins, and the cross axis is kept inside the chart.
 */

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Space between the cell and the tooltip (px). */
export const TOOLTIP_GAP = 8;

/**
 * @param cell the hovered cell's box in chart pixels (ECharts' `rect`); a zero-size box at the
 *   pointer when ECharts gives none
 * @param content the tooltip's [width, height]
 * @param view the chart's [width, height]
 * @returns the tooltip's top-left corner [x, y]
 */
export function tooltipBeside(
  cell: Rect,
  content: readonly [number, number],
  view: readonly [number, number],
  gap = TOOLTIP_GAP,
): [number, number] {
  const [w, h] = content;
  const [vw, vh] = view;
  const clamp = (v: number, size: number, limit: number) => Math.max(0, Math.min(v, limit - size));
  const y = clamp(cell.y + cell.height / 2 - h / 2, h, vh);
  const x = clamp(cell.x + cell.width / 2 - w / 2, w, vw);
  const right = cell.x + cell.width + gap;
  if (right + w <= vw) return [right, y];
  const left = cell.x - gap - w;
  if (left >= 0) return [left, y];
  const below = cell.y + cell.height + gap;
  if (below + h <= vh) return [x, below];
  const above = cell.y - gap - h;
  if (above >= 0) return [x, above];
  // No side has room: the widest side, so as little of the cell as possible is covered.
  return cell.x + cell.width / 2 > vw / 2 ? [Math.max(0, left), y] : [right, y];
}
