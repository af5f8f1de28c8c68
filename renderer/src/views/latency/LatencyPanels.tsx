/**
 * The grid of panels for one plan and window: runs the queries (the visible panels' first), prepares
 * each panel as its own answers arrive, adds the SLO lines and the live edge, says a server-wide
 * failure once above the grid (serverFailure.ts), and marks the load settled for the benchmark.
 */
import { useEffect, useMemo, useState } from 'react';

import { useStoreClock } from '../../hooks/useStoreClock.js';
import type { Discovery } from '../../../../collector/core/prometheus/discovery.js';
import type { LatencyStage } from '../../../../collector/core/prometheus/families.js';
import type { LatencyPlan } from '../../../../collector/core/prometheus/latencyQueries.js';
import type { RangePlan } from '../../../../collector/core/prometheus/step.js';
import type { PrometheusSource } from '../../sources/prometheus/PrometheusSource.js';
import type { LiveStoreSnapshot } from '../../store/LiveStore.js';
import type { InstanceOption } from './instances.js';
import { LatencyPanel } from './LatencyPanel.js';
import { liveEdge } from './liveEdge.js';
import { QuantilePicker, SloInput, StagePicker } from './PanelControls.js';
import { PanelVisibility } from './panelVisibility.js';
import { captionFor, PANELS, type PanelSpec } from './panels.js';
import { preparePanel, type PanelView } from './preparePanel.js';
import type { Point } from './types.js';
import {
  heatmapStages,
  selectQueries,
  unavailableReason,
  type PanelChoices,
} from './selectQueries.js';
import { notLoaded } from './notLoaded.js';
import { serverFailure } from './serverFailure.js';
import { ServerBanner } from './ServerBanner.js';
import { loadSlos, saveSlos, type SloKey, type SloPrefs } from './sloPrefs.js';
import { useLatencyQueries } from './useLatencyQueries.js';
import { useSettledMark } from './useSettledMark.js';

export interface LatencyPanelsProps {
  source: PrometheusSource;
  plan: LatencyPlan;
  discovery: Discovery;
  range: RangePlan;
  choices: PanelChoices;
  onChoices: (c: PanelChoices) => void;
  onZoom: (from: number, to: number) => void;
  /** Whether the range moves with the clock (then the live edge may extend it). */
  relative: boolean;
  live: LiveStoreSnapshot | undefined;
  model: string | undefined;
  instance: InstanceOption | undefined;
  /** What the panels read of the fleet ("all", or the busiest instances): part of a load's key. */
  scopeKey: string;
  /** The plan waits for the window's traffic answer (fleet scale): queries not sent yet. */
  waiting?: boolean;
  /** Why the selectors' lists could not be read. */
  selectorError?: string | undefined;
  /** Asks again what failed (the banner's Retry). */
  onRetry: () => void;
}

const SLO_PANELS: Partial<Record<PanelSpec['id'], [SloKey, string]>> = {
  ttft: ['ttft', 'TTFT'],
  inter_token: ['inter_token', 'Inter-token'],
  e2e: ['e2e', 'E2E'],
};

export function LatencyPanels(p: LatencyPanelsProps) {
  const { plan, range, choices } = p;
  const [slos, setSlos] = useState<SloPrefs>(() => loadSlos(globalThis.localStorage));
  const selected = useMemo(() => selectQueries(plan, choices), [plan, choices]);
  const params = useMemo(
    () => ({ start: range.startMs, end: range.endMs, step: range.stepS }),
    [range.startMs, range.endMs, range.stepS],
  );
  // Visible panels' queries leave first (PanelVisibility), read by the queue as slots free.
  const [visibility] = useState(() => new PanelVisibility(PANELS.map((s) => s.id)));
  const [grid, setGrid] = useState<HTMLDivElement | null>(null);
  useEffect(() => (grid ? visibility.observe(grid) : undefined), [grid, visibility]);
  const outcomes = useLatencyQueries(
    p.source,
    selected,
    p.waiting ? undefined : params,
    visibility.priority,
  );
  const banner = serverFailure([...outcomes.values()].flat());
  // The live edge is re-read once a second, not on every store update: eleven charts redraw with it.
  const tick = useStoreClock(p.live?.store);
  const store = p.live?.store;
  const live = useMemo(
    () => (store ? liveEdge(store, p.model, p.instance, plan.family) : undefined),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- re-read on the clock
    [store, p.model, p.instance, plan.family, tick],
  );
  // A relative range runs up to the newest live point, so the live edge is on screen; every
  // chart shares that end, so the crosshair stays on one time.
  const liveEnd = p.relative && live ? newestTime(live) : undefined;
  const end = Math.max(range.endMs, liveEnd ?? 0);
  // Each panel's view is re-prepared only when its own inputs change: otherwise every answer
  // (22 per 24 h load) redrew all eleven charts (e2e/bench/latency.mjs profile: renderer CPU per
  // load 4.6 s → 2.0 s with this cache).
  const [cache] = useState(() => new Map<string, { deps: unknown[]; view: PanelView }>());
  const prepared = PANELS.map((spec): [PanelSpec, PanelView] => {
    const slo = SLO_PANELS[spec.id];
    const ms = slo ? slos[slo[0]] : null;
    const own = outcomes.get(spec.id) ?? [];
    const deps: unknown[] = [
      unavailableReason(plan, spec.id),
      range.startMs,
      end,
      range.stepS,
      ms,
      live,
      ...own.flatMap((o) => [o.query, o.status, o.data, o.error, o.warnings]),
    ];
    const hit = cache.get(spec.id);
    if (hit && hit.deps.length === deps.length && hit.deps.every((d, i) => Object.is(d, deps[i])))
      return [spec, hit.view];
    const view = preparePanel({
      spec,
      outcomes: outcomes.get(spec.id) ?? [],
      ...optional('unavailable', unavailableReason(plan, spec.id)),
      range: [range.startMs, end],
      stepMs: range.stepS * 1000,
      ...optional('slo', ms === null ? undefined : { value: ms / 1000, label: 'SLO' }),
      ...optional('live', live),
    });
    cache.set(spec.id, { deps, view });
    return [spec, view];
  });
  const views = prepared.map(([spec, view]): [PanelSpec, PanelView] => [
    spec,
    notLoaded(view, outcomes.get(spec.id) ?? [], banner),
  ]);
  useSettledMark(
    views.map(([, v]) => v.state),
    `${plan.family}|${p.model ?? ''}|${p.instance?.id ?? ''}|${p.scopeKey}|${params.start}|${params.end}|${params.step}`,
  );
  const engine = p.discovery.engines[plan.family]!;
  const stages = heatmapStages(plan);
  const setSlo = (key: SloKey, ms: number | null) => {
    const next = { ...slos, [key]: ms };
    setSlos(next);
    saveSlos(globalThis.localStorage, next);
  };

  return (
    <>
      {banner ? <ServerBanner message={banner.message} onRetry={p.onRetry} /> : null}
      {p.selectorError && !banner ? (
        <p className="latency-note warn">Selectors unavailable: {p.selectorError}</p>
      ) : null}
      <div className="latency-grid" ref={setGrid}>
        {views.map(([spec, view]) => {
          const names =
            spec.id === 'heatmap'
              ? (engine.quantities[choices.heatmapStage]?.names ?? []).map((n) => `${n}_bucket`)
              : spec.quantities.flatMap((q) => engine.quantities[q]?.names ?? []);
          const slo = SLO_PANELS[spec.id];
          return (
            <LatencyPanel
              key={spec.id}
              spec={spec}
              view={view}
              caption={captionFor(names)}
              onZoom={p.onZoom}
              controls={
                slo ? (
                  <SloInput
                    label={slo[1]}
                    valueMs={slos[slo[0]]}
                    onChange={(ms) => setSlo(slo[0], ms)}
                  />
                ) : spec.id === 'stages' && view.state !== 'unavailable' ? (
                  <QuantilePicker
                    value={choices.stageQuantile}
                    onChange={(q) => p.onChoices({ ...choices, stageQuantile: q })}
                  />
                ) : spec.id === 'heatmap' && stages.length > 0 ? (
                  <StagePicker
                    stages={stages}
                    value={choices.heatmapStage}
                    onChange={(s: LatencyStage) => p.onChoices({ ...choices, heatmapStage: s })}
                  />
                ) : null
              }
            />
          );
        })}
      </div>
    </>
  );
}

function newestTime(live: Readonly<Record<string, readonly Point[]>>): number | undefined {
  let newest: number | undefined;
  for (const points of Object.values(live)) {
    const t = points.at(-1)?.[0];
    if (t !== undefined && (newest === undefined || t > newest)) newest = t;
  }
  return newest;
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
