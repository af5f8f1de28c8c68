/**
 * Top functions: self, total and calls per function over the whole profile (not the budgeted
 * tree: the table is exact), sortable and filtered by a text box. Linked with the graph: a row
 * click selects the function (its frames light up), "Zoom" zooms to its heaviest frame,
 * "Sandwich" shows its callers and callees; a click in the graph selects its row.
 */
import { memo, useEffect, useMemo, useRef, useState } from 'react';

import type { FunctionRow } from '../../../../collector/core/profile/functions.js';
import type { WeightUnit } from '../../../../collector/core/profile/model.js';
import { displayName } from '../../lib/displayName.js';
import {
  filterFunctions,
  MAX_TABLE_ROWS,
  sortFunctions,
  type FunctionSort,
  type FunctionSortKey,
} from './prepareFunctions.js';
import { formatCount, formatShare, formatWeight } from './units.js';
import { SortHeader } from '../../lib/SortHeader.js';

export interface FunctionTableProps {
  readonly rows: readonly FunctionRow[];
  readonly unit: WeightUnit;
  /** The profile's total, for the % columns. */
  readonly total: number;
  readonly selected: string | undefined;
  readonly onSelect: (key: string | undefined) => void;
  readonly onZoom: (key: string) => void;
  readonly onSandwich: (key: string) => void;
}

const COLUMNS: ReadonlyArray<[FunctionSortKey, string, boolean]> = [
  ['name', 'Function', false],
  ['self', 'Self', true],
  ['total', 'Total', true],
  ['calls', 'Calls', true],
];

export function FunctionTable(props: FunctionTableProps) {
  const { rows, unit, total, selected, onSelect, onZoom, onSandwich } = props;
  const [sort, setSort] = useState<FunctionSort>({ key: 'self', descending: true });
  const [filter, setFilter] = useState('');
  const shown = useMemo(
    () => sortFunctions(filterFunctions(rows, filter), sort),
    [rows, filter, sort],
  );
  const scroller = useRef<HTMLDivElement>(null);

  // A frame clicked in the graph: its row comes into view, scrolling the table only (the
  // page's scroll stays where the graph is; scrollIntoView would move the page too).
  useEffect(() => {
    const box = scroller.current;
    const row = box?.querySelector<HTMLElement>('tbody tr.selected');
    if (!box || !row) return;
    const head = box.querySelector('thead')?.getBoundingClientRect().height ?? 0;
    const top = row.getBoundingClientRect().top - box.getBoundingClientRect().top + box.scrollTop;
    const bottom = top + row.getBoundingClientRect().height;
    if (top - head < box.scrollTop) box.scrollTop = top - head;
    else if (bottom > box.scrollTop + box.clientHeight) box.scrollTop = bottom - box.clientHeight;
  }, [selected, shown]);

  // With samples, "calls" counts the samples the function was on the stack in.
  const callsLabel = unit === 'samples' ? 'Calls (samples)' : 'Calls';
  return (
    <div className="function-table">
      <div className="function-table-bar">
        <input
          type="search"
          className="profiles-input"
          placeholder="Filter functions"
          aria-label="Filter functions"
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
        />
        <span className="panel-meta">
          {shown.length > MAX_TABLE_ROWS
            ? `first ${formatCount(MAX_TABLE_ROWS)} of ${formatCount(shown.length)} functions`
            : `${formatCount(shown.length)} of ${formatCount(rows.length)} functions`}
        </span>
      </div>
      <div className="function-table-scroll" ref={scroller}>
        <table className="data-table profiles-table" aria-label="Top functions">
          <thead>
            <tr>
              {COLUMNS.map(([key, label, numeric]) => (
                <SortHeader
                  key={key}
                  label={key === 'calls' ? callsLabel : label}
                  numeric={numeric}
                  active={sort.key === key}
                  descending={sort.descending}
                  noneSort="none"
                  onSort={() =>
                    setSort({
                      key,
                      descending: sort.key === key ? !sort.descending : key !== 'name',
                    })
                  }
                />
              ))}
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {shown.slice(0, MAX_TABLE_ROWS).map((r) => (
              <Row
                key={r.key}
                row={r}
                unit={unit}
                total={total}
                selected={r.key === selected}
                onSelect={onSelect}
                onZoom={onZoom}
                onSandwich={onSandwich}
              />
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

/**
 * One row, memoized: selecting a row (or a frame in the graph) re-renders the two rows whose
 * selection changed, not all 300 (that kept a zoom click above 100 ms).
 */
const Row = memo(function Row({
  row: r,
  unit,
  total,
  selected,
  onSelect,
  onZoom,
  onSandwich,
}: {
  row: FunctionRow;
  unit: WeightUnit;
  total: number;
  selected: boolean;
  onSelect: (key: string | undefined) => void;
  onZoom: (key: string) => void;
  onSandwich: (key: string) => void;
}) {
  const pct = (v: number) => formatShare(total > 0 ? v / total : 0);
  return (
    <tr
      className={selected ? 'selected' : undefined}
      aria-selected={selected}
      onClick={() => onSelect(selected ? undefined : r.key)}
    >
      <td className="fn-name">
        <span className="fn-label">{displayName(r.name)}</span>
        {r.file ? <span className="fn-file">{displayName(r.file)}</span> : null}
      </td>
      <td className="num">
        <span className="value">{formatWeight(r.self, unit)}</span>
        <span className="share">{pct(r.self)}</span>
      </td>
      <td className="num">
        <span className="value">{formatWeight(r.total, unit)}</span>
        <span className="share">{pct(r.total)}</span>
      </td>
      <td className="num">{formatCount(r.calls)}</td>
      <td className="row-actions">
        <button
          type="button"
          className="mini-button"
          onClick={(e) => {
            e.stopPropagation();
            onSelect(r.key);
            onZoom(r.key);
          }}
        >
          Zoom
        </button>
        <button
          type="button"
          className="mini-button"
          onClick={(e) => {
            e.stopPropagation();
            onSelect(r.key);
            onSandwich(r.key);
          }}
        >
          Sandwich
        </button>
      </td>
    </tr>
  );
});
