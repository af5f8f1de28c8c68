/**
 * Every engine instance of the cluster in one live, sortable table. Only the rows in view are
 * rendered (1,024 engines × 12 columns re-rendered four times a second would cost more than the
 * whole ingest), with spacer rows keeping the scroll height true.
 */
import { useContext, useMemo, useState, type ReactNode } from 'react';

import { useStoreClock } from '../../hooks/useStoreClock.js';
import { displayName } from '../../lib/displayName.js';
import { ProfileCaptureContext } from '../../profiles/captureProfile.js';
import type { EngineRun } from '../../profiles/engineProfiles.js';
import { ProfilesContext } from '../../profiles/profilesContext.js';
import type { PresenceState } from '../../sources/Source.js';
import type { LiveStoreSnapshot } from '../../store/LiveStore.js';
import {
  ENGINE_COLUMNS,
  prepareEngines,
  searchEngines,
  sortEngines,
  type EngineSort,
  type EngineRow,
  type EngineSortKey,
} from './prepareEngines.js';
import { canProfileEngine, engineProfilePlan } from './prepareEngineProfile.js';
import { STATUS_LABEL, statusRules, type EngineStatus } from './engineStatus.js';
import { ProfileEngineButton } from './ProfileEngineButton.js';
import './engines.css';
import { SortHeader } from '../../lib/SortHeader.js';

export interface EnginesViewProps {
  live: LiveStoreSnapshot;
  presence: PresenceState;
}

const ROW_HEIGHT = 30;
const OVERSCAN = 12;
const VIEW_HEIGHT = 640;

/** One "Profile all nodes" run per model and framework (per engine for a row without a model). */
const runKey = (r: EngineRow): string => `${r.framework}\u0000${r.model || r.key}`;

/** The rule of each status, shown on hover over the header and over each row's status. */
const RULES = statusRules();
const ALL_RULES = (Object.keys(STATUS_LABEL) as EngineStatus[]).map((s) => RULES[s]).join('\n');

/** A shape per status, so it does not rest on colour alone. */
const STATUS_MARK: Record<EngineStatus, string> = {
  down: '✕',
  stalled: '■',
  saturated: '▲',
  serving: '●',
  unknown: '○',
};

const TEXT_COLUMNS: Array<[EngineSortKey, string]> = [
  ['node', 'Node'],
  ['engine', 'Engine'],
  ['model', 'Model'],
  ['framework', 'Framework'],
];

export function EnginesView({ live, presence }: EnginesViewProps) {
  const now = useStoreClock(live.store);
  // Worst first: a down, stalled or saturated engine is what the table is opened for.
  const [sort, setSort] = useState<EngineSort>({ key: 'status', descending: false });
  const [query, setQuery] = useState('');
  const [scrollTop, setScrollTop] = useState(0);
  const all = useMemo(
    () => prepareEngines(live.store, now, presence === 'live'),
    [live, now, presence],
  );
  const rows = useMemo(() => sortEngines(searchEngines(all, query), sort), [all, query, sort]);
  // "Profile all nodes" where the page's source can capture (capability `profiles`).
  const capturePort = useContext(ProfileCaptureContext);
  const profiles = useContext(ProfilesContext);
  const canCapture = capturePort !== undefined && profiles !== undefined;
  const [runs, setRuns] = useState<Record<string, EngineRun>>({});

  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(rows.length, Math.ceil((scrollTop + VIEW_HEIGHT) / ROW_HEIGHT) + OVERSCAN);
  const visible = rows.slice(first, last);

  const header = (key: EngineSortKey, label: ReactNode, numeric: boolean) => (
    <SortHeader
      key={key}
      label={label}
      numeric={numeric}
      active={sort.key === key}
      descending={sort.descending}
      noneSort="none"
      onSort={() => setSort({ key, descending: sort.key === key ? !sort.descending : numeric })}
    />
  );

  return (
    <section className="panel engines" aria-labelledby="engines-title">
      <header className="panel-header engines-toolbar">
        <h2 id="engines-title">Engines</h2>
        <span className="panel-meta" data-testid="engines-count">
          {rows.length === all.length
            ? `${all.length.toLocaleString('en')} instances`
            : `${rows.length.toLocaleString('en')} of ${all.length.toLocaleString('en')} instances`}
        </span>
        <div className="spacer" />
        <input
          className="search"
          type="search"
          placeholder="Search node, engine or model"
          aria-label="Search engines"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
        />
      </header>
      {all.length === 0 ? (
        <div className="placeholder engines-empty">
          No engine has reported yet. Engines publish engine.* metrics labelled with their instance.
        </div>
      ) : (
        <div
          className="engines-scroll"
          style={{ maxHeight: VIEW_HEIGHT }}
          onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
        >
          <table
            className="data-table engines-table"
            aria-label="Engines"
            aria-rowcount={rows.length + 1}
          >
            <thead>
              <tr>
                {header(
                  'status',
                  <span title={ALL_RULES} data-testid="engines-status-rules">
                    Status
                  </span>,
                  false,
                )}
                {TEXT_COLUMNS.map(([k, label]) => header(k, label, false))}
                {ENGINE_COLUMNS.map((c) => header(c.key, c.label, true))}
                {header('age', 'Updated', true)}
                {canCapture ? (
                  <th scope="col" className="engines-profile-col">
                    Profile
                  </th>
                ) : null}
              </tr>
            </thead>
            <tbody>
              {first > 0 ? <tr aria-hidden style={{ height: first * ROW_HEIGHT }} /> : null}
              {visible.map((r, i) => (
                <tr
                  key={r.key}
                  className={`status-${r.status}${r.stale && r.status !== 'down' ? ' stale' : ''}`}
                  aria-rowindex={first + i + 2}
                  data-node={r.node}
                  data-engine={r.engine}
                  data-status={r.status}
                >
                  <td
                    className="engine-status"
                    title={`${RULES[r.status]}\nNow: ${r.statusReason}`}
                  >
                    <span className="status-mark" aria-hidden="true">
                      {STATUS_MARK[r.status]}
                    </span>
                    {STATUS_LABEL[r.status]}
                  </td>
                  <th scope="row">{displayName(r.node)}</th>
                  <td className="mono">{displayName(r.engine)}</td>
                  <td className="model" title={displayName(r.model)}>
                    {displayName(r.model)}
                  </td>
                  <td>{displayName(r.framework)}</td>
                  {r.status === 'down' ? (
                    // Not a row of dashes that reads like an idle engine: one cell saying why.
                    <td colSpan={ENGINE_COLUMNS.length} className="engine-down-why">
                      Down: {r.statusReason}
                    </td>
                  ) : (
                    ENGINE_COLUMNS.map((c) => (
                      <td
                        key={c.key}
                        className={r.values[c.key].value === null ? 'num no-data' : 'num'}
                        data-metric={c.metric}
                      >
                        {r.values[c.key].text}
                      </td>
                    ))
                  )}
                  <td className="num sub-cell">
                    {r.ageText === 'never'
                      ? 'no value yet'
                      : r.status === 'down'
                        ? r.ageText
                        : r.stale
                          ? `stale · ${r.ageText}`
                          : r.ageText}
                  </td>
                  {canCapture ? (
                    <td className="engines-profile-col">
                      {canProfileEngine(r) ? (
                        <ProfileEngineButton
                          plan={engineProfilePlan(all, r)}
                          run={runs[runKey(r)]}
                          onStart={(run) => setRuns((m) => ({ ...m, [runKey(r)]: run }))}
                          now={now}
                        />
                      ) : null}
                    </td>
                  ) : null}
                </tr>
              ))}
              {last < rows.length ? (
                <tr aria-hidden style={{ height: (rows.length - last) * ROW_HEIGHT }} />
              ) : null}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
