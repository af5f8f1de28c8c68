/**
 * A sortable column header: the label as a button, `aria-sort` on the cell, ▼/▲ on the active
 * column. The tables (engines, top functions, what changed most) decide the order; this only
 * draws it and reports the click.
 */
import type { ReactNode } from 'react';

export interface SortHeaderProps {
  label: ReactNode;
  numeric: boolean;
  /** Whether the table is sorted by this column. */
  active: boolean;
  descending: boolean;
  onSort: () => void;
  /** Cells that are not sortable omit `aria-sort` rather than saying "none". */
  noneSort?: 'none' | undefined;
}

export function SortHeader({
  label,
  numeric,
  active,
  descending,
  onSort,
  noneSort,
}: SortHeaderProps) {
  return (
    <th
      scope="col"
      className={numeric ? 'num' : undefined}
      aria-sort={active ? (descending ? 'descending' : 'ascending') : noneSort}
    >
      <button type="button" className={active ? 'sort active' : 'sort'} onClick={onSort}>
        {label}
        <span className="sort-mark" aria-hidden="true">
          {active ? (descending ? '▼' : '▲') : ''}
        </span>
      </button>
    </th>
  );
}
