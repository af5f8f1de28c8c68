/**
 * The differential flame graph: two profiles of one unit and measure (two files, two captures,
 * two nodes, two threads) as one tree (core diff.ts), each frame coloured by its change in share
 * of total — red grew, blue shrank, grey unchanged, intensity relative to the largest change —
 * drawn with the after totals ("after with changes") or the before ones ("before with changes"),
 * and the functions that changed most (core changedMost), linked to the graph.
 */
import { useCallback, useMemo, useState } from 'react';

import { changedMost, diffProfiles } from '../../../../collector/core/profile/diff.js';
import { functionKey } from '../../../../collector/core/profile/model.js';
import { displayName } from '../../lib/displayName.js';
import type { ProfileEntry } from '../../profiles/ProfileLibrary.js';
import { Breadcrumb } from './Breadcrumb.js';
import { describeDiffNode } from './describeNode.js';
import { FlameArea } from './FlameArea.js';
import { breadcrumb, budgetInfo, diffColors, nodesOf, toFlameInput } from './prepareFlame.js';
import { profileChoices, whyNotComparable, type ProfileChoice } from './prepareDiff.js';
import {
  filterFunctions,
  MAX_TABLE_ROWS,
  sortChanges,
  type ChangeSortKey,
} from './prepareFunctions.js';
import { formatCount, formatDelta, formatShare, formatWeight } from './units.js';
import { SortHeader } from '../../lib/SortHeader.js';

export interface DiffViewProps {
  readonly entries: readonly ProfileEntry[];
}

export function DiffView({ entries }: DiffViewProps) {
  const choices = useMemo(() => profileChoices(entries), [entries]);
  const [beforeId, setBeforeId] = useState<string | undefined>(undefined);
  const [afterId, setAfterId] = useState<string | undefined>(undefined);
  // Until chosen: the two most recent profiles, older as before.
  const before = choices.find((c) => c.id === beforeId) ?? choices.at(-2);
  const after = choices.find((c) => c.id === afterId) ?? choices.at(-1);

  const picker = (label: string, value: ProfileChoice | undefined, set: (id: string) => void) => (
    <label className="diff-pick">
      <span className="panel-meta">{label}</span>
      <select
        className="profiles-input"
        aria-label={label}
        value={value?.id ?? ''}
        onChange={(e) => set(e.target.value)}
      >
        {choices.map((c) => (
          <option key={c.id} value={c.id}>
            {c.label}
          </option>
        ))}
      </select>
    </label>
  );

  if (choices.length < 2) {
    return (
      <div className="panel empty-state" role="status">
        <div className="empty-title">Open two profiles to compare them</div>
        <p className="empty-detail">
          A diff shows two profiles of the same unit as one flame graph: before and after a change,
          a slow node beside a healthy one. {choices.length === 1 ? 'One is open.' : ''}
        </p>
      </div>
    );
  }
  const reason = before && after ? whyNotComparable(before.profile, after.profile) : undefined;
  return (
    <div className="diff-view" data-testid="diff-view">
      <div className="panel">
        <div className="panel-header">
          <h2>Compare</h2>
          {picker('Before', before, setBeforeId)}
          {picker('After', after, setAfterId)}
        </div>
        {reason !== undefined || !before || !after ? (
          <div className="profiles-error" role="alert" data-testid="diff-refused">
            {reason ?? 'Choose two profiles.'}
          </div>
        ) : (
          <DiffBody key={`${before.id}|${after.id}`} before={before} after={after} />
        )}
      </div>
    </div>
  );
}

function DiffBody({ before, after }: { before: ProfileChoice; after: ProfileChoice }) {
  const [widths, setWidths] = useState<'after' | 'before'>('after');
  const [zoomed, setZoomed] = useState(0);
  const [selected, setSelected] = useState<string | undefined>(undefined);
  const [filter, setFilter] = useState('');
  const [sort, setSort] = useState<{ key: ChangeSortKey; descending: boolean }>({
    key: 'selfDelta',
    descending: true,
  });
  const diff = useMemo(
    () => diffProfiles(before.profile, after.profile),
    [before.profile, after.profile],
  );
  const changes = useMemo(
    () => changedMost(before.profile, after.profile),
    [before.profile, after.profile],
  );
  const frameKeys = useMemo(() => diff.frames.map(functionKey), [diff]);
  const { colors, maxAbs } = useMemo(() => diffColors(diff), [diff]);
  const data = useMemo(
    () =>
      toFlameInput(diff, {
        colors,
        values: widths === 'before' ? diff.beforeTotal : undefined,
      }),
    [diff, colors, widths],
  );
  const highlighted = useMemo(
    () => (selected === undefined ? undefined : nodesOf(diff, frameKeys, selected)),
    [diff, frameKeys, selected],
  );
  const describe = useCallback((n: number) => describeDiffNode(diff, n), [diff]);
  const onZoom = useCallback(
    (n: number) => {
      setZoomed(n);
      const f = diff.frame[n]!;
      if (f >= 0) setSelected(frameKeys[f]);
    },
    [diff, frameKeys],
  );
  const rows = useMemo(
    () => sortChanges(filterFunctions(changes, filter), sort.key, sort.descending),
    [changes, filter, sort],
  );
  const crumbs = breadcrumb(diff, zoomed);
  const unit = diff.unit;
  return (
    <>
      <div className="profile-controls">
        <div className="segmented" role="group" aria-label="Widths">
          {(
            [
              ['after', 'After with changes'],
              ['before', 'Before with changes'],
            ] as const
          ).map(([v, text]) => (
            <button
              key={v}
              type="button"
              className={widths === v ? 'active' : undefined}
              aria-pressed={widths === v}
              onClick={() => {
                setWidths(v);
                setZoomed(0);
              }}
            >
              {text}
            </button>
          ))}
        </div>
        <span className="diff-legend" aria-label="Colour scale">
          <span>shrank {formatDelta(-maxAbs)}</span>
          <span className="diff-scale" />
          <span>grew {formatDelta(maxAbs)}</span>
        </span>
        <span className="spacer" />
        <span className="panel-meta" data-testid="diff-totals">
          before {formatWeight(diff.beforeSum, unit)} · after {formatWeight(diff.afterSum, unit)}
        </span>
      </div>
      <div className="profile-subbar">
        <Breadcrumb crumbs={crumbs} onZoom={setZoomed} />
        <span className="spacer" />
        <span className="panel-meta">{budgetInfo(diff).text}</span>
      </div>
      <FlameArea
        data={data}
        icicle
        highlighted={highlighted}
        zoomed={zoomed}
        onZoom={onZoom}
        describe={describe}
        label={`Differential flame graph of ${before.label} and ${after.label}`}
        testId="diff-graph"
        maxHeight={420}
      />
      <div className="panel-header diff-table-head">
        <h2>What changed most</h2>
        <span className="panel-meta">
          change in share of each profile&apos;s total, in percentage points (pp)
        </span>
        <span className="spacer" />
        <input
          type="search"
          className="profiles-input"
          placeholder="Filter functions"
          aria-label="Filter changes"
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
        />
      </div>
      <div className="function-table-scroll">
        <table className="data-table profiles-table" aria-label="What changed most">
          <thead>
            <tr>
              {CHANGE_COLUMNS.map(([key, label]) => {
                const sortable = key === 'name' || key === 'selfDelta' || key === 'totalDelta';
                const active = sortable && sort.key === key;
                return sortable ? (
                  <SortHeader
                    key={key}
                    label={label}
                    numeric={key !== 'name'}
                    active={active}
                    descending={sort.descending}
                    onSort={() =>
                      setSort({ key, descending: active ? !sort.descending : key !== 'name' })
                    }
                  />
                ) : (
                  <th key={key} scope="col" className="num">
                    {label}
                  </th>
                );
              })}
            </tr>
          </thead>
          <tbody>
            {rows.slice(0, MAX_TABLE_ROWS).map((r) => (
              <tr
                key={r.key}
                className={r.key === selected ? 'selected' : undefined}
                aria-selected={r.key === selected}
                onClick={() => setSelected(r.key === selected ? undefined : r.key)}
              >
                <td className="fn-name">
                  <span className="fn-label">{displayName(r.name)}</span>
                  {r.file ? <span className="fn-file">{displayName(r.file)}</span> : null}
                </td>
                <td className="num">{shareOf(r.selfBefore, diff.beforeSum)}</td>
                <td className="num">{shareOf(r.selfAfter, diff.afterSum)}</td>
                <td className={`num delta ${sign(r.selfDelta)}`}>{formatDelta(r.selfDelta)}</td>
                <td className="num">{shareOf(r.totalBefore, diff.beforeSum)}</td>
                <td className="num">{shareOf(r.totalAfter, diff.afterSum)}</td>
                <td className={`num delta ${sign(r.totalDelta)}`}>{formatDelta(r.totalDelta)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="panel-meta diff-table-foot">
        {rows.length > MAX_TABLE_ROWS
          ? `first ${formatCount(MAX_TABLE_ROWS)} of ${formatCount(rows.length)} functions`
          : `${formatCount(rows.length)} functions`}
      </div>
    </>
  );
}

/** The table's columns; the name and the two changes sort (by size of the change). */
const CHANGE_COLUMNS: ReadonlyArray<[ChangeSortKey | 'sb' | 'sa' | 'tb' | 'ta', string]> = [
  ['name', 'Function'],
  ['sb', 'Self before'],
  ['sa', 'Self after'],
  ['selfDelta', 'Δ self'],
  ['tb', 'Total before'],
  ['ta', 'Total after'],
  ['totalDelta', 'Δ total'],
];

const shareOf = (v: number, sum: number): string => formatShare(sum > 0 ? v / sum : 0);
const sign = (d: number): string => (d > 0 ? 'grew' : d < 0 ? 'shrank' : 'same');
