/**
 * One opened profile set: which of its profiles (thread, process, device) is in focus, its flame
 * graph (flame or icicle, zoom with a breadcrumb, search, colour by kind or module), the node
 * budget, exports, and below it the top-functions table or a function's sandwich.
 *
 * Two trees per profile: the whole one (buildCallTree) for everything exact — table, search
 * share, sandwich, folded export — and the budgeted one (limitNodes) for what d3-flame-graph
 * draws.
 */
import { useCallback, useDeferredValue, useMemo, useRef, useState } from 'react';

import { buildCallTree, limitNodes } from '../../../../collector/core/profile/callTree.js';
import { topFunctions } from '../../../../collector/core/profile/functions.js';
import {
  functionKey,
  totalWeight,
  type ProfileSet,
} from '../../../../collector/core/profile/model.js';
import { toFolded } from '../../../../collector/core/profile/writers/folded.js';
import { displayName } from '../../lib/displayName.js';
import { formatNumber } from '../../lib/format.js';
import type { Platform } from '../../platform/Platform.js';
import { Breadcrumb } from './Breadcrumb.js';
import { describeNode } from './describeNode.js';
import { fileStem, flameSvg, paintFrames } from './exportFlame.js';
import { FlameArea } from './FlameArea.js';
import type { ColorBy } from './flameColors.js';
import type { FlameGraphHandle } from './FlameGraph.js';
import { parseSearch, searchText, searchTree } from './flameSearch.js';
import { FunctionTable } from './FunctionTable.js';
import {
  breadcrumb,
  budgetInfo,
  heaviestNodeOf,
  nodeColors,
  nodesOf,
  toFlameInput,
} from './prepareFlame.js';
import { SandwichView } from './SandwichView.js';
import { formatWeight } from './units.js';

export interface ProfileSetViewProps {
  readonly set: ProfileSet;
  readonly saveFile: Platform['saveFile'];
}

/** What the file says about itself: "folded · py-spy · 10 s · 100 Hz". */
function metaText(set: ProfileSet): string {
  const parts: string[] = [set.format];
  if (set.meta.source) parts.push(displayName(set.meta.source));
  if (set.meta.durationNs !== undefined) parts.push(`${formatNumber(set.meta.durationNs / 1e9)} s`);
  if (set.meta.rateHz !== undefined) parts.push(`${formatNumber(set.meta.rateHz)} Hz`);
  return parts.join(' · ');
}

function Segmented<T extends string>({
  label,
  value,
  options,
  onChange,
}: {
  label: string;
  value: T;
  options: ReadonlyArray<readonly [T, string]>;
  onChange: (value: T) => void;
}) {
  return (
    <div className="segmented" role="group" aria-label={label}>
      {options.map(([v, text]) => (
        <button
          key={v}
          type="button"
          className={v === value ? 'active' : undefined}
          aria-pressed={v === value}
          onClick={() => onChange(v)}
        >
          {text}
        </button>
      ))}
    </div>
  );
}

export function ProfileSetView({ set, saveFile }: ProfileSetViewProps) {
  const [focus, setFocus] = useState(0);
  const [icicle, setIcicle] = useState(true);
  const [colorBy, setColorBy] = useState<ColorBy>('kind');
  const [query, setQuery] = useState('');
  const [zoomed, setZoomed] = useState(0);
  const [selected, setSelected] = useState<string | undefined>(undefined);
  // The function whose frames are lit: chosen in the table. A click in the graph selects its row
  // without lighting (each highlight is one more redraw of every frame).
  const [lit, setLit] = useState<string | undefined>(undefined);
  const [bottom, setBottom] = useState<'functions' | 'sandwich'>('functions');
  const [status, setStatus] = useState<string | undefined>(undefined);
  const graph = useRef<FlameGraphHandle>(null);

  const profile = set.profiles[Math.min(focus, set.profiles.length - 1)]!;
  const full = useMemo(() => buildCallTree(profile), [profile]);
  const tree = useMemo(() => limitNodes(full), [full]);
  const frameKeys = useMemo(() => tree.frames.map(functionKey), [tree]);
  const data = useMemo(
    () => toFlameInput(tree, { colors: nodeColors(tree, colorBy) }),
    [tree, colorBy],
  );
  // The table after the graph: its first paint waits for the graph only (topFunctions walks the
  // whole tree, ~90 ms at 2.9M nodes), the table follows in a deferred render.
  const tableTree = useDeferredValue(full, undefined);
  const functions = useMemo(
    () => (tableTree === undefined ? undefined : topFunctions(tableTree)),
    [tableTree],
  );
  const search = useMemo(() => parseSearch(query), [query]);
  const matches = useMemo(() => {
    if (search.kind !== 'match') return undefined;
    // The share from the whole tree (exact); the lit nodes from the drawn one.
    return {
      share: searchTree(full, search.test, { collect: false }),
      drawn: searchTree(tree, search.test).nodes,
    };
  }, [search, full, tree]);
  const highlighted = useMemo(() => {
    const nodes = new Set<number>(matches?.drawn ?? []);
    if (lit !== undefined) for (const n of nodesOf(tree, frameKeys, lit)) nodes.add(n);
    return nodes;
  }, [matches, lit, tree, frameKeys]);
  const describe = useCallback((n: number) => describeNode(tree, n), [tree]);
  const total = full.total[0]!;

  const choose = (i: number) => {
    setFocus(i);
    setZoomed(0);
    setSelected(undefined);
    setLit(undefined);
  };
  const selectRow = useCallback((key: string | undefined) => {
    setSelected(key);
    setLit(key);
  }, []);
  const zoomToRow = useCallback(
    (key: string) => setZoomed(heaviestNodeOf(tree, frameKeys, key) ?? 0),
    [tree, frameKeys],
  );
  const showSandwich = useCallback(() => setBottom('sandwich'), []);
  const onZoom = useCallback(
    (n: number) => {
      setZoomed(n);
      const f = tree.frame[n]!;
      if (f >= 0) setSelected(frameKeys[f]);
    },
    [tree, frameKeys],
  );

  const title = set.profiles.length > 1 ? `${set.name} · ${profile.name}` : set.name;
  const stem = fileStem(
    (set.profiles.length > 1 ? `${set.name} - ${profile.name}` : set.name).replace(
      /\.[A-Za-z0-9]{1,12}$/,
      '',
    ),
  );
  const save = async (name: string, data: Uint8Array | Blob) => {
    try {
      setStatus((await saveFile(name, data)) ? `Saved ${name}` : 'Save cancelled');
    } catch (e) {
      setStatus(`Could not save ${name}: ${e instanceof Error ? e.message : String(e)}`);
    }
  };
  const exportSvg = () => {
    const drawn = graph.current?.drawn();
    if (!drawn) return;
    const svg = flameSvg(drawn.frames, drawn.width, drawn.height, title);
    void save(`${stem}.svg`, new Blob([svg], { type: 'image/svg+xml' }));
  };
  const exportPng = () => {
    const drawn = graph.current?.drawn();
    if (!drawn || drawn.width === 0) return;
    const scale = 2;
    const canvas = document.createElement('canvas');
    canvas.width = Math.ceil(drawn.width * scale);
    canvas.height = Math.ceil(drawn.height * scale);
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    paintFrames(ctx, drawn.frames, drawn.width, drawn.height, scale);
    canvas.toBlob((blob) => {
      if (blob) void save(`${stem}.png`, blob);
    }, 'image/png');
  };
  const exportFolded = () => {
    void save(`${stem}.folded.txt`, new TextEncoder().encode(toFolded(profile)));
  };

  const crumbs = breadcrumb(tree, zoomed < tree.size ? zoomed : 0);
  return (
    <div className="profile-set" data-testid="profile-set">
      <div className="panel">
        <div className="panel-header profile-toolbar">
          <h2 className="profile-title" title={displayName(title)}>
            {displayName(set.name)}
          </h2>
          <span className="panel-meta">{metaText(set)}</span>
          {set.profiles.length > 1 ? (
            <label className="profile-focus">
              <span className="panel-meta">Focus</span>
              <select
                className="profiles-input"
                aria-label="Profile in focus"
                value={focus}
                onChange={(e) => choose(Number(e.target.value))}
              >
                {set.profiles.map((p, i) => (
                  <option key={i} value={i}>
                    {displayName(p.name)} — {formatWeight(totalWeight(p), p.unit)}
                  </option>
                ))}
              </select>
            </label>
          ) : profile.name !== set.name ? (
            <span className="panel-meta">{displayName(profile.name)}</span>
          ) : null}
          <span className="spacer" />
          <span className="panel-stat" data-testid="profile-total">
            {formatWeight(total, profile.unit)} of {profile.measure}
          </span>
        </div>
        <div className="profile-controls">
          <Segmented
            label="Orientation"
            value={icicle ? 'icicle' : 'flame'}
            options={[
              ['icicle', 'Icicle'],
              ['flame', 'Flame'],
            ]}
            onChange={(v) => setIcicle(v === 'icicle')}
          />
          <Segmented
            label="Colour by"
            value={colorBy}
            options={[
              ['kind', 'Colour by kind'],
              ['module', 'by module'],
            ]}
            onChange={setColorBy}
          />
          <input
            type="search"
            className="profiles-input profile-search"
            placeholder="Search frames (text or /regex/)"
            aria-label="Search frames"
            value={query}
            onChange={(e) => setQuery(e.target.value)}
          />
          <span
            className={search.kind === 'error' ? 'search-result error' : 'search-result'}
            data-testid="search-result"
            role="status"
          >
            {search.kind === 'error'
              ? `Not a regular expression: ${search.message}`
              : matches
                ? searchText(matches.share, profile.unit)
                : ''}
          </span>
          <span className="spacer" />
          <div className="export-buttons" role="group" aria-label="Export">
            <button type="button" className="mini-button" onClick={exportPng}>
              PNG
            </button>
            <button type="button" className="mini-button" onClick={exportSvg}>
              SVG
            </button>
            <button type="button" className="mini-button" onClick={exportFolded}>
              Folded
            </button>
          </div>
        </div>
        <div className="profile-subbar">
          <Breadcrumb crumbs={crumbs} onZoom={setZoomed} />
          <span className="spacer" />
          {status ? (
            <span className="panel-meta" role="status">
              {status}
            </span>
          ) : null}
          <span className="panel-meta" data-testid="node-budget">
            {budgetInfo(tree).text}
          </span>
        </div>
        <FlameArea
          ref={graph}
          data={data}
          icicle={icicle}
          highlighted={highlighted}
          zoomed={zoomed}
          onZoom={onZoom}
          describe={describe}
          label={`Flame graph of ${displayName(title)}`}
          testId="flame-graph"
          maxHeight={460}
          className={icicle ? undefined : 'flame-bottom'}
        />
        {set.warnings.length > 0 ? (
          <details className="profile-warnings">
            <summary>
              {set.warnings.length === 1 ? '1 warning' : `${set.warnings.length} warnings`} while
              reading
            </summary>
            <ul>
              {set.warnings.map((w, i) => (
                <li key={i}>{displayName(w)}</li>
              ))}
            </ul>
          </details>
        ) : null}
      </div>
      <div className="panel">
        <div className="tabs profile-tabs" role="tablist" aria-label="Details">
          <button
            type="button"
            role="tab"
            aria-selected={bottom === 'functions'}
            className={bottom === 'functions' ? 'tab active' : 'tab'}
            onClick={() => setBottom('functions')}
          >
            Top functions
          </button>
          <button
            type="button"
            role="tab"
            aria-selected={bottom === 'sandwich'}
            className={bottom === 'sandwich' ? 'tab active' : 'tab'}
            onClick={() => setBottom('sandwich')}
          >
            Sandwich
          </button>
        </div>
        {bottom === 'functions' ? (
          functions === undefined || tableTree !== full ? (
            <div className="placeholder">Counting functions…</div>
          ) : (
            <FunctionTable
              rows={functions}
              unit={profile.unit}
              total={total}
              selected={selected}
              onSelect={selectRow}
              onZoom={zoomToRow}
              onSandwich={showSandwich}
            />
          )
        ) : selected !== undefined ? (
          <SandwichView tree={full} functionKey={selected} colorBy={colorBy} />
        ) : (
          <div className="placeholder">
            Choose a function in Top functions, or click a frame, to see its callers and callees.
          </div>
        )}
      </div>
    </div>
  );
}
