/**
 * Request latency by stage, per model and instance, from the connection's Prometheus: what the
 * server holds decides the panels (discovery), the chart width decides the step, and the time
 * controls the window. Where the connection's NATS feed is live, the gauges' newest edge comes
 * from it.
 */
import { useMemo, useState } from 'react';

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
import { LatencyPanels } from './LatencyPanels.js';
import { LatencyToolbar } from './LatencyToolbar.js';
import { toSelection } from './instances.js';
import { DEFAULT_CHOICES, type PanelChoices } from './selectQueries.js';
import { useLatencySelection } from './useLatencySelection.js';
import './latency.css';

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

export function LatencyView({ source, live, clock }: LatencyViewProps) {
  const time = useTimeControls(clock);
  const discovered = useDiscovery(source);
  const discovery = discovered.data?.discovery;
  const sel = useLatencySelection(source, discovery);
  const [choices, setChoices] = useState<PanelChoices>(DEFAULT_CHOICES);
  const [crosshair] = useState(() => new CrosshairGroup());
  const [gridRef, width] = useElementWidth<HTMLDivElement>();
  // Two panels a row above 1100 px (latency.css); each chart gets about half the grid.
  const plotWidth = Math.max(200, (width > 1100 ? width / 2 : width) - PLOT_MARGIN_PX);

  const range = useMemo(
    () =>
      planRange({
        startMs: time.resolved.start,
        endMs: time.resolved.end,
        widthPx: plotWidth,
        minStepS: discovered.data?.scrapeIntervalS ?? 15,
      }),
    [time.resolved, plotWidth, discovered.data?.scrapeIntervalS],
  );
  const plan = useMemo(() => {
    if (!discovery || !sel.family) return undefined;
    return latencyPlan(discovery, sel.family, toSelection(sel.model, sel.instance), {
      stepS: range.stepS,
      ...(discovered.data?.scrapeIntervalS !== undefined
        ? { scrapeIntervalS: discovered.data.scrapeIntervalS }
        : {}),
    });
  }, [discovery, sel.family, sel.model, sel.instance, range.stepS, discovered.data]);

  // The wrapper is always there: its width sets the step before the first query.
  return (
    <div className="latency" ref={gridRef}>
      {discovered.isError ? (
        <div className="latency-message" role="alert" data-testid="latency-error">
          <strong>Cannot read this Prometheus</strong>
          <span>{discovered.error.message}</span>
        </div>
      ) : discovered.isPending ? (
        <div className="latency-message">Reading what this Prometheus holds…</div>
      ) : !sel.family || !plan ? (
        <div className="latency-message" data-testid="latency-no-engines">
          <strong>No vLLM or SGLang metrics on this Prometheus</strong>
          <span>
            It holds: {discovery?.families.join(', ') || 'no known metric family'}. The latency view
            reads vLLM (vllm:…) or SGLang (sglang:…) engine metrics: scrape the engines’ /metrics
            endpoints to see them here.
          </span>
        </div>
      ) : (
        <>
          <LatencyToolbar
            families={sel.families}
            family={sel.family}
            onFamily={sel.setFamily}
            models={sel.models}
            model={sel.model}
            onModel={sel.setModel}
            instances={sel.instances}
            instance={sel.instance?.id}
            onInstance={sel.setInstance}
            time={time}
          />
          {sel.error ? (
            <p className="latency-note warn">Selectors unavailable: {sel.error}</p>
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
              instance={sel.instance}
            />
          </CrosshairContext.Provider>
        </>
      )}
    </div>
  );
}
