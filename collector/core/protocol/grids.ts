/**
 * What a metrics message's grids mean (spec.ts, Grid): the shape rule a JSON Schema cannot state,
 * and the samples the grids stand for, for readers that want samples (tests, exporters, files).
 * The console's store reads grids in place (renderer NodeSeries), without building samples.
 */
import type { Grid, GridColumn, GridRow, MetricsMessage, Sample } from './spec.js';

/** The status of a null grid cell (spec.ts, Grid). */
export const NULL_CELL_STATUS = 'missing';

/** The labels of a cell: its row's, then its column's (a column's label wins on a clash). */
export function cellLabels(row: GridRow, col: GridColumn): Record<string, string> | undefined {
  return row.l || col.l ? { ...row.l, ...col.l } : undefined;
}

/** Grid cells one message may carry in all: as many as it may carry samples (spec.ts). */
export const MAX_GRID_CELLS = 65536;

/**
 * Why a message's grids break the rules a schema cannot state, or undefined: `v` holds rows ×
 * columns values, and all grids together no more cells than a message may carry samples (64 grids
 * of 65,536 would otherwise let one message make a reader resolve 4 M series lookups).
 */
export function gridShapeProblem(message: MetricsMessage): string | undefined {
  const grids = message.grids;
  if (grids === undefined) return undefined;
  let cells = 0;
  for (let i = 0; i < grids.length; i++) {
    const g = grids[i]!;
    const expected = g.rows.length * g.cols.length;
    if (g.v.length !== expected) {
      return (
        `/grids/${i}/v: holds ${g.v.length} values, expected ${g.rows.length} rows × ` +
        `${g.cols.length} columns = ${expected}`
      );
    }
    cells += expected;
  }
  if (cells > MAX_GRID_CELLS) {
    return `/grids: ${cells} values in all, more than the ${MAX_GRID_CELLS} a message may carry`;
  }
  return undefined;
}

/** Every sample of a message: its grids' cells first, then `samples`, which a reader applies last. */
export function metricsSamples(message: MetricsMessage): Sample[] {
  const out: Sample[] = [];
  for (const grid of message.grids ?? []) out.push(...gridSamples(grid));
  out.push(...message.samples);
  return out;
}

function gridSamples(grid: Grid): Sample[] {
  const out: Sample[] = [];
  const width = grid.cols.length;
  grid.rows.forEach((row, r) => {
    grid.cols.forEach((col, c) => {
      const v = grid.v[r * width + c] ?? null;
      const sample: Sample = { m: col.m, v };
      if (row.d !== undefined) sample.d = row.d;
      const labels = cellLabels(row, col);
      if (labels !== undefined) sample.l = labels;
      if (v === null) sample.s = NULL_CELL_STATUS;
      out.push(sample);
    });
  });
  return out;
}

/**
 * Packs samples into grids where they fit (a number, or null while `missing`, with no source text
 * or own time): one row per device and label set, one grid per set of metrics rows share. What
 * does not fit stays a sample, in order. metricsSamples(pack(x)) holds the same samples as x,
 * grid cells first.
 */
export function packGrids(samples: readonly Sample[]): { samples: Sample[]; grids: Grid[] } {
  const rows = new Map<string, { row: GridRow; cells: Map<string, number | null> }>();
  const rest: Sample[] = [];
  for (const s of samples) {
    const fits =
      s.raw === undefined &&
      s.t === undefined &&
      (s.v === null ? s.s === NULL_CELL_STATUS : s.s === undefined);
    const key = fits ? rowKey(s) : '';
    let entry = fits ? rows.get(key) : undefined;
    if (fits && entry === undefined) {
      const row: GridRow = {};
      if (s.d !== undefined) row.d = s.d;
      if (s.l !== undefined && Object.keys(s.l).length > 0) row.l = s.l;
      entry = { row, cells: new Map() };
      rows.set(key, entry);
    }
    if (entry === undefined || entry.cells.has(s.m)) rest.push(s);
    else entry.cells.set(s.m, s.v);
  }
  const grids = new Map<string, Grid>();
  for (const { row, cells } of rows.values()) {
    const metrics = [...cells.keys()];
    const key = metrics.join('\u0000');
    let grid = grids.get(key);
    if (grid === undefined) {
      grid = { rows: [], cols: metrics.map((m) => ({ m })), v: [] };
      grids.set(key, grid);
    }
    grid.rows.push(row);
    for (const v of cells.values()) grid.v.push(v);
  }
  return { samples: rest, grids: [...grids.values()] };
}

/** Device and labels in a canonical order; NUL never occurs in names real tools print. */
function rowKey(s: Sample): string {
  const l = s.l;
  if (l === undefined) return s.d ?? '';
  const parts = Object.keys(l)
    .sort()
    .map((k) => `${k}\u0001${l[k]}`);
  return `${s.d ?? ''}\u0000${parts.join('\u0000')}`;
}

/** How many samples a metrics message stands for: its grids' cells and its samples. */
export function sampleCount(message: Pick<MetricsMessage, 'samples' | 'grids'>): number {
  let n = message.samples.length;
  for (const g of message.grids ?? []) n += g.v.length;
  return n;
}
