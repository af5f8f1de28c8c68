/**
 * Draws the fleet heatmap on a 2D canvas: section titles, node labels and one square per device.
 * Canvas rather than an ECharts heatmap: the banded layout is not a grid ECharts can express, and
 * repainting 4,096 cells this way takes ~2 ms where an ECharts setOption of 4,096 items takes tens
 * (BENCHMARKS.md, "Live ingest").
 */
import { COLORS } from '../../charts/theme.js';
import { HEALTH_COLORS, SCALE_STEPS, VIRIDIS } from './colorScale.js';
import { CELL_ABSENT, CELL_FRESH, CELL_MISSING, type FleetFrame } from './fleetCells.js';
import { healthOf } from './fleetMetrics.js';
import type { FleetGeometry } from './fleetGeometry.js';

export interface PaintOptions {
  /** Colour by health state (traffic lights) instead of the continuous scale. */
  health: boolean;
  selected: number;
  hovered: number;
  /** Node labels, already shortened to fit (labelsFor). */
  labels: readonly string[];
}

/** Faded, but still readable as a colour: a stale value is old, not gone. */
const STALE_ALPHA = 0.3;
/** Cells outside the filter stay in place (columns keep their meaning) but step back. */
const UNMATCHED_ALPHA = 0.12;
export const LABEL_FONT = '11px Inter, "Segoe UI", system-ui, sans-serif';
const TITLE_FONT = '600 12px Inter, "Segoe UI", system-ui, sans-serif';

export function paintFleet(
  ctx: CanvasRenderingContext2D,
  g: FleetGeometry,
  frame: FleetFrame,
  opts: PaintOptions,
): void {
  ctx.clearRect(0, 0, g.width, g.height);
  ctx.textBaseline = 'middle';

  ctx.font = TITLE_FONT;
  for (const s of g.sections) {
    if (s.title === '') continue;
    ctx.fillStyle = COLORS.text;
    ctx.fillText(s.title, 0, s.y + 11);
    const w = ctx.measureText(s.title).width;
    ctx.fillStyle = COLORS.textMuted;
    ctx.fillText(`${s.devices.toLocaleString('en')} devices`, w + 10, s.y + 11);
  }

  ctx.font = LABEL_FONT;
  ctx.fillStyle = COLORS.textSecondary;
  for (let r = 0; r < g.rows.length; r++) {
    const row = g.rows[r]!;
    ctx.fillText(opts.labels[r] ?? row.node, row.x, row.y + g.cell / 2 + 0.5);
  }

  const size = g.cell;
  const n = g.cells.length;
  for (let i = 0; i < n; i++) {
    const x = g.cellX[i]!;
    const y = g.cellY[i]!;
    const state = frame.state[i]!;
    const matched = g.cells[i]!.match;
    ctx.globalAlpha = matched ? 1 : UNMATCHED_ALPHA;
    if (state === CELL_ABSENT || state === CELL_MISSING) {
      ctx.fillStyle = COLORS.noData;
      ctx.fillRect(x, y, size, size);
      ctx.strokeStyle = COLORS.noDataBorder;
      ctx.lineWidth = 1;
      ctx.beginPath();
      if (state === CELL_ABSENT) {
        // Hatched: the device said it cannot give this value (unsupported, denied…).
        ctx.moveTo(x + 1, y + size - 1);
        ctx.lineTo(x + size - 1, y + 1);
      }
      ctx.rect(x + 0.5, y + 0.5, size - 1, size - 1);
      ctx.stroke();
      continue;
    }
    const t = frame.t[i]!;
    ctx.fillStyle = opts.health
      ? HEALTH_COLORS[healthOf(Math.round(t * 3))]
      : VIRIDIS[Math.round(t * (SCALE_STEPS - 1))]!;
    if (matched && state !== CELL_FRESH) ctx.globalAlpha = STALE_ALPHA;
    ctx.fillRect(x, y, size, size);
  }
  ctx.globalAlpha = 1;

  outline(ctx, g, opts.hovered, COLORS.textSecondary, 1);
  outline(ctx, g, opts.selected, '#ffffff', 2);
}

function outline(
  ctx: CanvasRenderingContext2D,
  g: FleetGeometry,
  i: number,
  color: string,
  width: number,
): void {
  if (i < 0 || i >= g.cells.length) return;
  ctx.strokeStyle = color;
  ctx.lineWidth = width;
  const pad = width / 2 + 0.5;
  ctx.strokeRect(g.cellX[i]! - pad, g.cellY[i]! - pad, g.cell + 2 * pad, g.cell + 2 * pad);
}

/** Node labels shortened with an ellipsis to `width` px; measured once per layout. */
export function labelsFor(
  ctx: CanvasRenderingContext2D,
  g: FleetGeometry,
  width: number,
): string[] {
  ctx.font = LABEL_FONT;
  return g.rows.map((row) => {
    if (ctx.measureText(row.node).width <= width) return row.node;
    let s = row.node;
    while (s.length > 1 && ctx.measureText(`${s}…`).width > width) s = s.slice(0, -1);
    return `${s}…`;
  });
}
