/**
 * The device drawer's Prometheus history (1 h, 6 h or 24 h) below its live charts, from whichever
 * device exporter the connection's Prometheus holds; each chart names the series it read.
 */
import { useQueries } from '@tanstack/react-query';
import { useMemo, useState } from 'react';

import { planRange } from '../../../../collector/core/prometheus/step.js';
import { EChart } from '../../charts/EChart.js';
import type { PrometheusSource } from '../../sources/prometheus/PrometheusSource.js';
import { rangeQueryOptions } from '../../sources/prometheus/queries.js';
import { useDiscovery } from '../../sources/prometheus/useDiscovery.js';
import { drawerChartOption } from './drawerChartOption.js';
import type { DrawerMetric } from './prepareDeviceDrawer.js';
import {
  HISTORY_SPANS,
  historyPlan,
  prepareDeviceHistory,
  type HistorySpan,
} from './prepareDeviceHistory.js';
import type { FleetDevice } from './types.js';

/** The drawer's charts are ~340 px wide: one point per 2 px is plenty. */
const CHART_WIDTH_PX = 340;

export function DeviceHistory({
  source,
  node,
  device,
  now,
}: {
  source: PrometheusSource;
  node: string;
  device: FleetDevice;
  /** The store clock's time: the window ends there (recording time for a recording). */
  now: number;
}) {
  // The window is anchored when opened or changed, not on every tick: each anchor is a new query.
  const [span, setSpan] = useState<{ id: HistorySpan; at: number }>(() => ({
    id: '1h',
    at: now,
  }));
  const discovered = useDiscovery(source);
  const plan = useMemo(
    () => (discovered.data ? historyPlan(discovered.data.discovery, node, device) : undefined),
    [discovered.data, node, device],
  );
  const ms = HISTORY_SPANS.find((s) => s.id === span.id)!.ms;
  const range = planRange({
    startMs: span.at - ms,
    endMs: span.at,
    widthPx: CHART_WIDTH_PX,
    minStepS: discovered.data?.scrapeIntervalS ?? 15,
  });
  const params = { start: range.startMs, end: range.endMs, step: range.stepS };
  const results = useQueries({
    queries: (plan?.queries ?? []).map((q) => rangeQueryOptions(source, q.query, params)),
  });
  const byQuantity = new Map(
    (plan?.queries ?? []).flatMap((q, i) => {
      const d = results[i]?.data;
      return d && !results[i]!.isPlaceholderData ? [[q.quantity, d.data] as const] : [];
    }),
  );
  const charts = plan
    ? prepareDeviceHistory(plan, byQuantity, range.stepS * 1000, [range.startMs, range.endMs])
    : [];
  const error = discovered.error ?? results.find((r) => r.error)?.error;
  const loading = discovered.isPending || results.some((r) => r.isPending || r.isPlaceholderData);
  const timeRange: [number, number] = [range.startMs, range.endMs];

  return (
    <section className="drawer-section" aria-label="Device history" data-testid="device-history">
      <div className="drawer-history-head">
        <h3>History · Prometheus</h3>
        <div className="segmented" role="group" aria-label="History range">
          {HISTORY_SPANS.map((s) => (
            <button
              key={s.id}
              type="button"
              className={s.id === span.id ? 'active' : ''}
              aria-pressed={s.id === span.id}
              onClick={() => setSpan({ id: s.id, at: now })}
            >
              {s.label}
            </button>
          ))}
        </div>
      </div>
      {error ? (
        <div className="drawer-history-note error" role="alert">
          {error.message}
        </div>
      ) : plan?.problem ? (
        <div className="drawer-history-note">No device history: {plan.problem}.</div>
      ) : !plan && !loading ? (
        <div className="drawer-history-note">No exporter names this kind of device.</div>
      ) : charts.length === 0 ? (
        <div className="drawer-history-note">{loading ? 'Loading history…' : 'No history.'}</div>
      ) : (
        charts.map((m) => <HistoryBlock key={m.metric} m={m} range={timeRange} />)
      )}
    </section>
  );
}

function HistoryBlock({ m, range }: { m: DrawerMetric; range: [number, number] }) {
  const option = useMemo(() => drawerChartOption(m, range), [m, range]);
  return (
    <div className={`drawer-metric state-${m.state}`} data-history-metric={m.metric} data-ts={m.ts}>
      <div className="drawer-metric-head">
        <span className="drawer-metric-label">{m.label}</span>
        <span className="value">{m.text}</span>
        <span className="drawer-metric-age mono">{m.ageText}</span>
      </div>
      {m.state !== 'absent' ? (
        <EChart option={option} height={64} ariaLabel={`${m.label} history, ${m.ageText}`} />
      ) : null}
    </div>
  );
}
