/**
 * Draws the fleet heatmap on a 2D canvas: section titles, node labels and one square per device.
 * Canvas rather than an ECharts heatmap: the banded layout is not a grid ECharts can express, and
 * repainting 4,096 cells this way takes ~2 ms where an ECharts setOption of 4,096 items takes tens
 * (BENCHMARKS.md, "Live ingest").
 */
import { COLORS } from '../../charts/theme.js';
import { displayName } from '../../lib/displayName.js';
import { HEALTH_COLORS, SCALE_STEPS, VIRIDIS } from './colorScale.js';
import { count } from './count.js';
import { CELL_ABSENT, CELL_FRESH, CELL_MISSING, type FleetFrame } from './fleetCells.js';
import type { FleetGeometry } from './fleetGeometry.js';

export interface PaintOptions {
  /**
   * Colour by category (a state metric: health, throttle reasons), each cell the colour of its
   * category, instead of the continuous scale.
   */
  palette?: readonly string[] | undefined;
  /** Per cell, its worst open diagnosis as a badge level (BADGE_*), or BADGE_NONE. */
  badges?: Int8Array | undefined;
  selected: number;
  hovered: number;
}

/** Badge levels: a shape each, so severity does not rest on colour alone. */
export const BADGE_NONE = -1;
/** Critical: a red diamond. */
export const BADGE_CRITICAL = 0;
/** Error: an orange triangle. */
export const BADGE_ERROR = 1;
/** Warning: a yellow circle. */
export const BADGE_WARNING = 2;

/** Faded, but still readable as a colour: a stale value is old, not gone. */
const STALE_ALPHA = 0.3;
/** Cells outside the filter stay in place (columns keep their meaning) but step back. */
const UNMATCHED_ALPHA = 0.12;
export const LABEL_FONT = '11px Inter, "Segoe UI", system-ui, sans-serif';
const TITLE_FONT = '600 12px Inter, "Segoe UI", system-ui, sans-serif';

/**
 * The layer that changes only with the layout: section titles and node labels. fillText is the
 * costliest canvas call here (~5 µs each); 512 labels on every repaint would double its time.
 */
export function paintLabels(
  ctx: CanvasRenderingContext2D,
  g: FleetGeometry,
  labels: readonly string[],
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
    ctx.fillText(count(s.devices, 'device'), w + 10, s.y + 11);
  }
  ctx.font = LABEL_FONT;
  ctx.fillStyle = COLORS.textSecondary;
  for (let r = 0; r < g.rows.length; r++) {
    const row = g.rows[r]!;
    ctx.fillText(labels[r] ?? displayName(row.node), row.x, row.y + g.cell / 2 + 0.5);
  }
}

/** Colour steps cells are bucketed into, so fillStyle is set per bucket, not per cell. */
const BUCKETS = 64;
/** Bucket groups by opacity: fresh, stale, outside the filter. */
const ALPHAS = [1, STALE_ALPHA, UNMATCHED_ALPHA];

/**
 * The cells: sorted into colour buckets (a counting sort, no allocation per cell) and painted
 * bucket by bucket, so fillStyle is set ~64 times instead of 4,096; then the cells without a
 * value; then the hover and selection outlines.
 */
export function paintFleet(
  ctx: CanvasRenderingContext2D,
  g: FleetGeometry,
  frame: FleetFrame,
  opts: PaintOptions,
): void {
  ctx.clearRect(0, 0, g.width, g.height);
  const size = g.cell;
  const n = g.cells.length;
  const palette = opts.palette;
  const groups = BUCKETS * ALPHAS.length;
  const bucketOf = new Int16Array(n);
  const starts = new Int32Array(groups + 1);
  for (let i = 0; i < n; i++) {
    const state = frame.state[i]!;
    if (state === CELL_ABSENT || state === CELL_MISSING) {
      bucketOf[i] = -1;
      continue;
    }
    const t = frame.t[i]!;
    const level = palette
      ? Math.min(palette.length - 1, Math.max(0, Math.round(t * (palette.length - 1))))
      : Math.round(t * (BUCKETS - 1));
    const group = !g.cells[i]!.match ? 2 : state === CELL_FRESH ? 0 : 1;
    const b = group * BUCKETS + level;
    bucketOf[i] = b;
    starts[b + 1]! += 1;
  }
  for (let b = 0; b < groups; b++) starts[b + 1]! += starts[b]!;
  const order = new Int32Array(starts[groups]!);
  const fill = starts.slice(0, groups);
  for (let i = 0; i < n; i++) {
    const b = bucketOf[i]!;
    if (b >= 0) order[fill[b]!++] = i;
  }
  for (let b = 0; b < groups; b++) {
    if (starts[b] === starts[b + 1]) continue;
    const level = b % BUCKETS;
    ctx.globalAlpha = ALPHAS[Math.floor(b / BUCKETS)]!;
    ctx.fillStyle = palette
      ? palette[level]!
      : VIRIDIS[Math.round((level / (BUCKETS - 1)) * (SCALE_STEPS - 1))]!;
    for (let k = starts[b]!; k < starts[b + 1]!; k++) {
      const i = order[k]!;
      ctx.fillRect(g.cellX[i]!, g.cellY[i]!, size, size);
    }
  }
  ctx.strokeStyle = COLORS.noDataBorder;
  ctx.fillStyle = COLORS.noData;
  ctx.lineWidth = 1;
  for (let i = 0; i < n; i++) {
    if (bucketOf[i] !== -1) continue;
    const x = g.cellX[i]!;
    const y = g.cellY[i]!;
    ctx.globalAlpha = g.cells[i]!.match ? 1 : UNMATCHED_ALPHA;
    ctx.fillRect(x, y, size, size);
    ctx.beginPath();
    if (frame.state[i] === CELL_ABSENT) {
      // Hatched: the device said it cannot give this value (unsupported, denied…).
      ctx.moveTo(x + 1, y + size - 1);
      ctx.lineTo(x + size - 1, y + 1);
    }
    ctx.rect(x + 0.5, y + 0.5, size - 1, size - 1);
    ctx.stroke();
  }
  ctx.globalAlpha = 1;
  if (size >= CELL_TEXT_MIN) paintCellNames(ctx, g, frame, palette !== undefined);
  if (opts.badges) paintBadges(ctx, g, opts.badges);
  outline(ctx, g, opts.hovered, COLORS.textSecondary, 1);
  outline(ctx, g, opts.selected, '#ffffff', 2);
}

/** Tiles this large (px) carry their device's name ("GPU 0"): a few devices, not a fleet. */
const CELL_TEXT_MIN = 40;

/**
 * Each tile's device name, dark on the light end of the scale (viridis above ~60 %, every
 * category colour) and light on the dark end, so it reads on any value.
 */
function paintCellNames(
  ctx: CanvasRenderingContext2D,
  g: FleetGeometry,
  frame: FleetFrame,
  categorical: boolean,
): void {
  ctx.font = LABEL_FONT;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  const half = g.cell / 2;
  for (let i = 0; i < g.cells.length; i++) {
    const state = frame.state[i]!;
    const coloured = state !== CELL_ABSENT && state !== CELL_MISSING;
    const light = coloured && (categorical || frame.t[i]! > 0.6);
    ctx.fillStyle = light ? '#111217' : COLORS.text;
    ctx.globalAlpha = g.cells[i]!.match ? 1 : UNMATCHED_ALPHA;
    ctx.fillText(g.cells[i]!.device.label, g.cellX[i]! + half, g.cellY[i]! + half, g.cell - 4);
  }
  ctx.globalAlpha = 1;
  ctx.textAlign = 'start';
  ctx.textBaseline = 'alphabetic';
}

const BADGE_COLORS = [HEALTH_COLORS.critical, HEALTH_COLORS.error, HEALTH_COLORS.warning];

/**
 * A marker in each diagnosed cell's top-right corner, its shape and colour by severity, outlined
 * dark so it reads on any cell colour: 45 % of the cell, at least 5 px.
 */
function paintBadges(ctx: CanvasRenderingContext2D, g: FleetGeometry, badges: Int8Array): void {
  const r = Math.max(2.5, g.cell * 0.225);
  ctx.lineWidth = 1;
  ctx.strokeStyle = '#111217';
  for (let i = 0; i < g.cells.length; i++) {
    const level = badges[i]!;
    if (level < 0) continue;
    ctx.globalAlpha = g.cells[i]!.match ? 1 : UNMATCHED_ALPHA;
    const cx = g.cellX[i]! + g.cell - r;
    const cy = g.cellY[i]! + r;
    badgePath(ctx, level, cx, cy, r);
    ctx.fillStyle = BADGE_COLORS[level]!;
    ctx.fill();
    ctx.stroke();
  }
  ctx.globalAlpha = 1;
}

/** The badge's shape: diamond (critical), triangle (error), circle (warning). */
export function badgePath(
  ctx: CanvasRenderingContext2D,
  level: number,
  cx: number,
  cy: number,
  r: number,
): void {
  ctx.beginPath();
  if (level === BADGE_CRITICAL) {
    ctx.moveTo(cx, cy - r);
    ctx.lineTo(cx + r, cy);
    ctx.lineTo(cx, cy + r);
    ctx.lineTo(cx - r, cy);
    ctx.closePath();
  } else if (level === BADGE_ERROR) {
    ctx.moveTo(cx, cy - r);
    ctx.lineTo(cx + r, cy + r * 0.8);
    ctx.lineTo(cx - r, cy + r * 0.8);
    ctx.closePath();
  } else {
    ctx.arc(cx, cy, r * 0.85, 0, Math.PI * 2);
  }
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
    const name = displayName(row.node);
    if (ctx.measureText(name).width <= width) return name;
    let s = name;
    while (s.length > 1 && ctx.measureText(`${s}…`).width > width) s = s.slice(0, -1);
    return `${s}…`;
  });
}
