/**
 * Where every fleet cell goes on the canvas. Node rows are set like newspaper columns ("bands"):
 * down the first band, then the next, so 512 nodes × 8 devices fit a laptop screen's width at
 * 12 px a cell instead of a 7,000 px column. Cells shrink from 28 px towards 12 px only as far as
 * needed to fit the height budget; past that the page scrolls. A workstation or a few nodes (up to
 * 64 devices) get tiles of up to 56 px that carry their device's name: one GPU is a tile, not a dot.
 */
import type { FleetCell, FleetLayout } from './types.js';

export interface GeometryOptions {
  width: number;
  /** Height the heatmap should fit in, if cells can be made small enough. */
  heightBudget: number;
  /** Widest node label (px) at the label font. */
  labelWidth: number;
}

export interface SectionBox {
  title: string;
  devices: number;
  /** Top of the section (its header, when it has one). */
  y: number;
  rowsPerBand: number;
}

export interface RowBox {
  node: string;
  /** Left of the label; cells start at x + labelWidth + LABEL_GAP. */
  x: number;
  y: number;
}

export interface FleetGeometry {
  width: number;
  height: number;
  cell: number;
  pitch: number;
  labelWidth: number;
  bandWidth: number;
  bands: number;
  sections: SectionBox[];
  rows: RowBox[];
  /** Every cell in drawing order, with its top-left corner. */
  cells: FleetCell[];
  cellX: Float32Array;
  cellY: Float32Array;
}

export const HEADER_HEIGHT = 26;
export const LABEL_GAP = 8;
export const BAND_GAP = 24;
const SECTION_GAP = 10;
const MAX_CELL = 28;
/** Tiles for a few devices: room for "GPU 0" / "NPU 3·1" at the 11 px label font inside. */
export const LARGE_CELL = 56;
/** Up to this many devices the tiles are large (the device value table shows as many rows). */
export const FEW_DEVICES = 64;
/** Below 12 px a row is shorter than its 11 px label and names run into each other. */
const MIN_CELL = 12;

/** The gap between cells grows with them: 1 px at 12 px, 3 px at 28 px. */
function gapFor(cell: number): number {
  return cell >= 40 ? 6 : cell >= 22 ? 3 : cell >= 14 ? 2 : 1;
}

export function fleetGeometry(layout: FleetLayout, opts: GeometryOptions): FleetGeometry {
  let chosen: FleetGeometry | undefined;
  const largest = layout.totalDevices <= FEW_DEVICES ? LARGE_CELL : MAX_CELL;
  for (let cell = largest; cell >= MIN_CELL; cell -= 1) {
    chosen = place(layout, opts, cell);
    if (chosen.height <= opts.heightBudget) break;
  }
  return chosen!;
}

function place(layout: FleetLayout, opts: GeometryOptions, cell: number): FleetGeometry {
  const pitch = cell + gapFor(cell);
  const labelWidth = opts.labelWidth;
  const bandWidth = labelWidth + LABEL_GAP + layout.columns * pitch;
  const bands = Math.max(1, Math.floor((opts.width + BAND_GAP) / (bandWidth + BAND_GAP)));
  const grouped = layout.sections.some((s) => s.title !== '');
  const sections: SectionBox[] = [];
  const rows: RowBox[] = [];
  const cells: FleetCell[] = [];
  const xs: number[] = [];
  const ys: number[] = [];
  let y = 0;
  for (const section of layout.sections) {
    const rowsPerBand = Math.ceil(section.rows.length / bands);
    sections.push({ title: section.title, devices: section.devices, y, rowsPerBand });
    const top = y + (grouped ? HEADER_HEIGHT : 0);
    section.rows.forEach((row, r) => {
      const band = Math.floor(r / rowsPerBand);
      const x = band * (bandWidth + BAND_GAP);
      const rowY = top + (r % rowsPerBand) * pitch;
      rows.push({ node: row.node, x, y: rowY });
      for (const c of row.cells) {
        cells.push(c);
        xs.push(x + labelWidth + LABEL_GAP + c.col * pitch);
        ys.push(rowY);
      }
    });
    y = top + rowsPerBand * pitch + SECTION_GAP;
  }
  return {
    width: opts.width,
    height: Math.max(0, y - SECTION_GAP),
    cell,
    pitch,
    labelWidth,
    bandWidth,
    bands,
    sections,
    rows,
    cells,
    cellX: Float32Array.from(xs),
    cellY: Float32Array.from(ys),
  };
}

/** The index of the cell under (x, y) in canvas CSS pixels, or -1. */
export function cellAt(g: FleetGeometry, x: number, y: number): number {
  // Cells are few per row and rows are sorted by band, then y: a linear scan of 4,096 cells costs
  // ~10 µs, far below a mouse event's budget, and needs no index to keep in step.
  for (let i = 0; i < g.cells.length; i++) {
    const cx = g.cellX[i]!;
    const cy = g.cellY[i]!;
    if (x >= cx && x < cx + g.cell && y >= cy && y < cy + g.cell) return i;
  }
  return -1;
}
