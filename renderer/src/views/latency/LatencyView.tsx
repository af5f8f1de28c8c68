/**
 * Request latency by stage, per model and instance, from the connection's Prometheus: what the
 * server holds decides the panels (discovery), the chart width decides the step, and the time
 * controls the window. Where the connection's NATS feed is live, the gauges' newest edge comes
 * from it.
 *
 * At fleet scale (643 instances: 26–41 s per range before) the window's traffic answer comes
 * first, and with more than TOP_K instances the panels read the busiest TOP_K (one aggregated
 * query per panel line, as for the whole fleet, but over ~1/60 of the series); "Show all"
 * reads the whole fleet on demand. Back reads the window it left (backWindow.ts), from the cache.
 */
import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useMemo, useState } from 'react';

import { latencyPlan } from '../../../../collector/core/prometheus/latencyQueries.js';
import { planRange } from '../../../../collector/core/prometheus/step.js';
import { useElementWidth } from '../../hooks/useElementWidth.js';
import type { PrometheusSource } from '../../sources/prometheus/PrometheusSource.js';
import { useDiscovery } from '../../sources/prometheus/useDiscovery.js';
import type { LiveStoreSnapshot } from '../../store/LiveStore.js';
import type { StoreClock } from '../../store/StoreClock.js';
import { CrosshairGroup } from '../../time/crosshair.js';
import { CrosshairContext } from '../../time/TimeChart.js';
import { useTimeControls } from '../../time/useTimeControls.js';
import { BackWindowTracker } from './backWindow.js';
import { FleetScope } from './FleetScope.js';
import { LatencyPanels } from './LatencyPanels.js';
import { NoEngines } from './NoEngines.js';
import { LatencyToolbar } from './LatencyToolbar.js';
import { instanceChoices, toSelection } from './instances.js';
import { DEFAULT_CHOICES, type PanelChoices } from './selectQueries.js';
import { scopedSelection, topScope, trafficQuery } from './traffic.js';
import { useLatencySelection } from './useLatencySelection.js';
import { useTraffic } from './useTraffic.js';
import './latency.css';
import './fleetScale.css';

export interface LatencyViewProps {
  source: PrometheusSource;
  /** The connection's live store, when its NATS feed is live. */
  live?: LiveStoreSnapshot;
  /**
   * The connection's store clock, live or not: "now" of a relative range ("last 1 h"), so a
   * recording's range ends at recording time.
   */
  clock: StoreClock;
}

/** The plot area is the panel width less the grid margins (lineChartOption TIME_GRID). */
const PLOT_MARGIN_PX = 76;
/**
 * The width the step is chosen from, in whole multiples of this: a scrollbar appearing as panels
 * fill (15 px) must not change the step, which would change every query's key and refetch all.
 */
const WIDTH_QUANTUM_PX = 100;

export function LatencyView({ source, live, clock }: LatencyViewProps) {
  const time = useTimeControls(clock);
  const queryClient = useQueryClient();
  const discovered = useDiscovery(source);
  const discovery = discovered.data?.discovery;
  const sel = useLatencySelection(source, discovery);
  const [choices, setChoices] = useState<PanelChoices>(DEFAULT_CHOICES);
  const [showAll, setShowAll] = useState(false);
  const [crosshair] = useState(() => new CrosshairGroup());
  const [gridRef, width] = useElementWidth<HTMLDivElement>();
  // Two panels a row above 1100 px (latency.css); each chart gets about half the grid.
  const plotWidth = Math.max(200, (width > 1100 ? width / 2 : width) - PLOT_MARGIN_PX);
  const stepWidth = Math.max(200, Math.floor(plotWidth / WIDTH_QUANTUM_PX) * WIDTH_QUANTUM_PX);

  // The window on screen: the reducer's, or after Back the one that was left.
  const [back] = useState(() => new BackWindowTracker());
  const shown = back.windowFor(time.state, time.resolved);

  const range = useMemo(
    () =>
      planRange({
        startMs: shown.start,
        endMs: shown.end,
        widthPx: stepWidth,
        minStepS: discovered.data?.scrapeIntervalS ?? 15,
      }),
    [shown, stepWidth, discovered.data?.scrapeIntervalS],
  );
  const models = useMemo(() => toSelection(sel.model, undefined), [sel.model]);
  // Asked once the width (so the step, so the window's end) is known: not twice on opening.
  const traffic = useTraffic(
    source,
    discovery && sel.family && width > 0
      ? trafficQuery(discovery, sel.family, models, (range.endMs - range.startMs) / 1000)
      : undefined,
    range.endMs,
  );
  const instances = useMemo(
    () => instanceChoices(sel.instanceSets, traffic.shown?.sets, sel.instanceId),
    [sel.instanceSets, traffic.shown, sel.instanceId],
  );
  const top = useMemo(() => topScope(traffic.ranking), [traffic.ranking]);
  const shownTop = useMemo(() => topScope(traffic.shown), [traffic.shown]);
  // The whole fleet when one instance is picked or asked for; else its busiest, once known.
  const scoped = !instances.selected && !showAll;
  const waiting = scoped && traffic.pending;
  const selection = useMemo(() => {
    const base = toSelection(sel.model, instances.selected);
    return scoped && top ? scopedSelection(base, top) : base;
  }, [sel.model, instances.selected, scoped, top]);
  const plan = useMemo(() => {
    if (!discovery || !sel.family) return undefined;
    return latencyPlan(discovery, sel.family, selection, {
      stepS: range.stepS,
      ...(discovered.data?.scrapeIntervalS !== undefined
        ? { scrapeIntervalS: discovered.data.scrapeIntervalS }
        : {}),
    });
  }, [discovery, sel.family, selection, range.stepS, discovered.data]);
  const retry = useCallback(() => {
    void queryClient.refetchQueries({
      predicate: (q) =>
        q.queryKey[0] === 'prometheus' &&
        q.queryKey[1] === source.connectionId &&
        q.state.status === 'error',
    });
  }, [queryClient, source.connectionId]);

  // The wrapper is always there: its width sets the step before the first query.
  return (
    <div className="latency" ref={gridRef}>
      {discovered.isError ? (
        <div className="latency-message" role="alert" data-testid="latency-error">
          <strong>Cannot read this Prometheus</strong>
          <span>{discovered.error.message}</span>
          <button type="button" onClick={() => void discovered.refetch()}>
            Retry
          </button>
        </div>
      ) : discovered.isPending ? (
        <div className="latency-message">Reading what this Prometheus holds…</div>
      ) : !sel.family || !plan ? (
        <NoEngines discovery={discovery} />
      ) : (
        <>
          <LatencyToolbar
            families={sel.families}
            family={sel.family}
            onFamily={sel.setFamily}
            models={sel.models}
            model={sel.model}
            onModel={sel.setModel}
            instances={instances.options}
            instancesComplete={instances.complete}
            instance={instances.selected?.id}
            onInstance={sel.setInstance}
            time={time}
          />
          {!instances.selected && shownTop ? (
            <FleetScope scope={shownTop} showAll={showAll} onShowAll={setShowAll} />
          ) : null}
          <CrosshairContext.Provider value={crosshair}>
            <LatencyPanels
              source={source}
              plan={plan}
              discovery={discovery!}
              range={range}
              choices={choices}
              onChoices={setChoices}
              onZoom={time.zoom}
              relative={time.state.range.kind === 'relative'}
              live={live}
              model={sel.model}
              instance={instances.selected}
              scopeKey={scoped && top ? `top:${top.values.join(',')}` : 'all'}
              waiting={waiting}
              selectorError={sel.error}
              onRetry={retry}
            />
          </CrosshairContext.Provider>
        </>
      )}
    </div>
  );
}
