/**
 * The top-functions table (core functions.ts topFunctions): filtered by a text box, sorted by a
 * column, cut to what the page shows. Pure.
 */
import type { FunctionRow } from '../../../../collector/core/profile/functions.js';
import type { ChangeRow } from '../../../../collector/core/profile/diff.js';

export type FunctionSortKey = 'name' | 'self' | 'total' | 'calls';
export interface FunctionSort {
  readonly key: FunctionSortKey;
  readonly descending: boolean;
}

/** Rows drawn at most: a Python process has thousands of functions; the filter finds the rest. */
export const MAX_TABLE_ROWS = 300;

/** Rows whose name, file or module holds `text` (case-insensitive). */
export function filterFunctions<R extends { name: string; file?: string | undefined }>(
  rows: readonly R[],
  text: string,
): R[] {
  const q = text.trim().toLowerCase();
  if (q === '') return rows.slice();
  return rows.filter(
    (r) =>
      r.name.toLowerCase().includes(q) ||
      (r.file !== undefined && r.file.toLowerCase().includes(q)) ||
      ('module' in r && typeof r.module === 'string' && r.module.toLowerCase().includes(q)),
  );
}

export function sortFunctions(rows: readonly FunctionRow[], sort: FunctionSort): FunctionRow[] {
  const dir = sort.descending ? -1 : 1;
  return rows.slice().sort((a, b) => {
    const primary = sort.key === 'name' ? a.name.localeCompare(b.name) : a[sort.key] - b[sort.key];
    return primary * dir || b.self - a.self || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
  });
}

export type ChangeSortKey = 'name' | 'selfDelta' | 'totalDelta';

/** Changes by |delta| (largest first) or by name. */
export function sortChanges(
  rows: readonly ChangeRow[],
  key: ChangeSortKey,
  descending: boolean,
): ChangeRow[] {
  const dir = descending ? -1 : 1;
  return rows.slice().sort((a, b) => {
    const primary =
      key === 'name' ? a.name.localeCompare(b.name) : Math.abs(a[key]) - Math.abs(b[key]);
    return primary * dir || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
  });
}
