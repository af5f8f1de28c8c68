/**
 * The series behind each cell of one grid (spec.ts, Grid), resolved once, and the rows and columns
 * they were resolved for, so the next message's grid can be checked for the same layout in ~50
 * string comparisons instead of ~150 map lookups.
 */
import { cellLabels } from '../../../collector/core/protocol/grids.js';
import type { Grid, GridColumn, GridRow } from '../../../collector/core/protocol/spec.js';
import type { Series } from './Series.js';
import { sameLabels, type Labels } from './seriesKey.js';

export type Resolve = (
  m: string,
  d: string | undefined,
  l: Labels | undefined,
) => Series | undefined;

/**
 * Why a cell has no series: its node's own limit, the store's global budget, or the store's
 * per-batch creation limit (`later`: the node's next message creates it).
 */
export type Miss = 'node' | 'budget' | 'later';

const NO_LABELS: Labels = Object.freeze({});

export class GridLayout {
  private readonly rows: readonly GridRow[];
  private readonly cols: readonly GridColumn[];
  /** Row-major as the grid's values; undefined where a limit refused the cell's series. */
  readonly series: (Series | undefined)[];
  /** Cells without a series, by why: their samples are counted on every message. */
  overNode = 0;
  overBudget = 0;
  deferred = 0;
  /** The budget's time and release count when resolved: refused cells try again once they move. */
  builtAt = 0;
  builtReleases = 0;

  /** `resolve` returns a series, or undefined and says why through `lastMiss`. */
  constructor(grid: Grid, resolve: Resolve, lastMiss: () => Miss) {
    this.rows = grid.rows;
    this.cols = grid.cols;
    this.series = [];
    for (const row of grid.rows) {
      for (const col of grid.cols) {
        // Once the batch may create no more, the rest waits unresolved: looking up 65,536 cells
        // only to learn that costs ~20 ms; fill() takes them up with the next message.
        if (this.deferred > 0) {
          this.series.push(undefined);
          this.deferred += 1;
          continue;
        }
        const s = resolve(col.m, row.d, cellLabels(row, col));
        if (s === undefined) this.count(lastMiss());
        this.series.push(s);
      }
    }
  }

  /** Resolves again only the cells without a series (the budget may have room now). */
  fill(resolve: Resolve, lastMiss: () => Miss): void {
    this.overNode = 0;
    this.overBudget = 0;
    this.deferred = 0;
    const width = this.cols.length;
    const series = this.series;
    for (let k = 0; k < series.length; k++) {
      if (series[k] !== undefined) continue;
      if (this.deferred > 0) {
        this.deferred += 1;
        continue;
      }
      const row = this.rows[Math.floor(k / width)]!;
      const col = this.cols[k % width]!;
      const s = resolve(col.m, row.d, cellLabels(row, col));
      if (s === undefined) this.count(lastMiss());
      else series[k] = s;
    }
  }

  private count(miss: Miss): void {
    if (miss === 'node') this.overNode += 1;
    else if (miss === 'budget') this.overBudget += 1;
    else this.deferred += 1;
  }

  /** Whether `grid` has the rows and columns this layout was resolved for. */
  fits(grid: Grid): boolean {
    const { rows, cols } = grid;
    if (rows.length !== this.rows.length || cols.length !== this.cols.length) return false;
    for (let i = 0; i < rows.length; i++) {
      const a = rows[i]!;
      const b = this.rows[i]!;
      if (a.d !== b.d || !sameLabels(a.l ?? NO_LABELS, b.l ?? NO_LABELS)) return false;
    }
    for (let i = 0; i < cols.length; i++) {
      const a = cols[i]!;
      const b = this.cols[i]!;
      if (a.m !== b.m || !sameLabels(a.l ?? NO_LABELS, b.l ?? NO_LABELS)) return false;
    }
    return true;
  }
}
