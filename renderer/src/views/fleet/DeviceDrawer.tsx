/**
 * The device drawer: a side panel with one device's every metric, current value and live history,
 * its events, and (with a Prometheus) its longer history. Escape or the close button closes it.
 */
import { useEffect, useMemo, type ReactNode } from 'react';

import { EChart } from '../../charts/EChart.js';
import { displayName } from '../../lib/displayName.js';
import type { PrometheusSource } from '../../sources/prometheus/PrometheusSource.js';
import { DeviceHistory } from './DeviceHistory.js';
import { drawerChartOption } from './drawerChartOption.js';
import { HEALTH_COLORS } from './colorScale.js';
import { BADGE_MARKS } from './fleetBadges.js';
import { HEALTH_LABEL } from './fleetMetrics.js';
import { SEVERITY_LABEL } from '../../../../collector/core/diagnosis/severity.js';
import { StateStrip } from './StateStrip.js';
import { ProfileButton } from './ProfileButton.js';
import type { DeviceDrawerModel, DrawerMetric } from './prepareDeviceDrawer.js';

export interface DeviceDrawerProps {
  model: DeviceDrawerModel;
  onClose: () => void;
  /** The connection's Prometheus: adds a history section below the live charts. */
  prometheus?: PrometheusSource | undefined;
  /** The store clock's time: where the history's window ends when opened or changed. */
  now: number;
  /** Shows the Health view (its incidents, evidence and advice); absent: no link. */
  onOpenHealth?: (() => void) | undefined;
}

export function DeviceDrawer({ model, onClose, prometheus, now, onOpenHealth }: DeviceDrawerProps) {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);
  const { device } = model;
  return (
    <aside
      className="drawer"
      aria-label={`${displayName(model.node)} ${device.label} details`}
      data-testid="device-drawer"
      data-node={model.node}
      data-device={device.id}
    >
      <header className="drawer-header">
        <div className="drawer-title">
          <h2>
            {displayName(model.node)} · {device.label}
          </h2>
          <div className="drawer-sub">{displayName(device.model)}</div>
          {device.uuid ? <div className="drawer-sub mono">{displayName(device.uuid)}</div> : null}
          {device.inferred ? <div className="drawer-sub">inventory not received yet</div> : null}
          {model.state !== 'unknown' ? (
            <div
              className={`drawer-state severity-${model.state}`}
              data-testid="drawer-state"
              data-state={model.state}
            >
              <span
                className="state-dot"
                style={{ background: HEALTH_COLORS[model.state] }}
                aria-hidden="true"
              />
              {HEALTH_LABEL[model.state]}
            </div>
          ) : null}
        </div>
        <button
          type="button"
          className="drawer-close"
          aria-label="Close device details"
          onClick={onClose}
        >
          ×
        </button>
      </header>
      {model.diagnoses.length > 0 ? (
        <section
          className="drawer-section drawer-diagnoses"
          aria-label="Device diagnoses"
          data-testid="drawer-diagnoses"
        >
          <h3>Diagnoses</h3>
          <ul>
            {model.diagnoses.map((d) => (
              <li key={d.id} className={`drawer-diagnosis severity-${d.severity}`}>
                <div className="diagnosis-head">
                  <span className="diagnosis-severity">
                    <span className="badge-mark" aria-hidden="true">
                      {BADGE_MARKS[d.severity]}
                    </span>
                    {SEVERITY_LABEL[d.severity]}
                  </span>
                  <span className="diagnosis-title">{d.title}</span>
                  {d.count > 1 ? <span className="diagnosis-count">×{d.count}</span> : null}
                </div>
                {d.advice ? <div className="diagnosis-advice">{d.advice}</div> : null}
              </li>
            ))}
          </ul>
          {onOpenHealth ? (
            <button type="button" className="mini-button" onClick={onOpenHealth}>
              Evidence and steps in Health
            </button>
          ) : null}
        </section>
      ) : null}
      {model.events.length > 0 ? (
        <section className="drawer-section" aria-label="Device events">
          <h3>Events</h3>
          <ul className="drawer-events">
            {model.events.map((e) => (
              <li key={e.key} className={`severity-${e.severity}`}>
                <time dateTime={new Date(e.at).toISOString()}>
                  {new Date(e.at).toLocaleTimeString()}
                </time>
                <span className="event-severity">{e.severityText}</span>
                <span className="event-kind">
                  {displayName(e.kind)}
                  {e.code ? ` ${displayName(e.code)}` : ''}
                </span>
                <span className="event-message">{displayName(e.message)}</span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <section className="drawer-section" aria-label="Device metrics">
        <h3>Metrics</h3>
        {model.metrics.length === 0 ? (
          <div className="placeholder">No metrics received for this device yet.</div>
        ) : (
          model.metrics.map((m) => (
            <MetricBlock key={`${m.metric} ${m.label}`} m={m} range={model.timeRange}>
              {m.metric === PROCESS_MEMORY && m.labels?.pid && /^\d+$/.test(m.labels.pid) ? (
                <ProfileButton
                  pid={Number(m.labels.pid)}
                  cluster={model.cluster}
                  node={model.nodeName}
                  now={now}
                />
              ) : null}
            </MetricBlock>
          ))
        )}
      </section>
      {prometheus ? (
        <DeviceHistory source={prometheus} node={model.nodeName} device={model.device} now={now} />
      ) : null}
    </aside>
  );
}

/** Per-process device memory: its rows name a pid, which can be profiled. */
const PROCESS_MEMORY = 'process.device.memory.used';

function MetricBlock({
  m,
  range,
  children,
}: {
  m: DrawerMetric;
  range: [number, number] | undefined;
  children?: ReactNode;
}) {
  // The model is rebuilt every second for its ages; the chart only when its points or range
  // moved (13 charts re-set each second took a fifth of the main thread at 512 × 8 × 2 Hz).
  const last = m.points[m.points.length - 1];
  const key = `${m.points.length}:${last?.[0]}:${last?.[1]}:${range?.[0]}:${range?.[1]}:${m.unit}`;
  // eslint-disable-next-line react-hooks/exhaustive-deps -- key stands for m's points and range
  const option = useMemo(() => drawerChartOption(m, range), [key]);
  const hasValues = !m.states && m.points.some(([, v]) => v !== null);
  return (
    <div
      className={`drawer-metric state-${m.state}`}
      data-metric={m.metric}
      data-mig={m.labels?.mig}
      data-ts={m.ts}
    >
      <div className="drawer-metric-head">
        <span className="drawer-metric-label">{m.label}</span>
        <span className="value">{m.text}</span>
        <span className="drawer-metric-age">{m.ageText}</span>
      </div>
      {m.detail ? <div className="drawer-metric-detail">{m.detail}</div> : null}
      {children}
      {m.states && m.states.spans.length > 0 ? (
        <StateStrip label={m.label} states={m.states} range={range} />
      ) : null}
      {hasValues ? (
        <EChart
          option={option}
          height={72}
          ariaLabel={`${m.label} history: ${m.points.length} points, now ${m.text}`}
        />
      ) : null}
    </div>
  );
}
