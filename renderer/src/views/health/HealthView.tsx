/**
 * Health of one connection: its devices by state per cluster, then its incidents — open first,
 * newest first — each with evidence, advice and what it did to the engines on that node.
 * Acknowledge and resolve are kept per connection (HealthMarks) and survive a reload. A notice's
 * link lands here with `focus` set to its incident, which is scrolled to and outlined.
 */
import { useEffect, useMemo, useRef, useState } from 'react';

import { useStoreClock } from '../../hooks/useStoreClock.js';
import { useDiagnoses, useHealthMarks } from '../../lib/health/useHealth.js';
import type { PrometheusSource } from '../../sources/prometheus/PrometheusSource.js';
import type { PresenceState } from '../../sources/Source.js';
import type { LiveStoreSnapshot } from '../../store/LiveStore.js';
import { IncidentCard } from './IncidentCard.js';
import type { ClusterStates } from './deviceStates.js';
import type { ImpactAsk } from './impactHistory.js';
import { prepareHealth } from './prepareHealth.js';
import { useImpactHistory } from './useImpactHistory.js';
import './health.css';

export interface HealthViewProps {
  live: LiveStoreSnapshot;
  presence: PresenceState;
  /** Whose marks these are: the connection's id (`local` for This machine). */
  connectionId: string;
  /** The incident a notice pointed at (IncidentView.key), with a counter so a second click scrolls again. */
  focus?: { key: string; seq: number } | undefined;
  /** The connection's Prometheus: the impact of incidents older than the store's history. */
  prometheus?: PrometheusSource | undefined;
}

export function HealthView({ live, presence, connectionId, focus, prometheus }: HealthViewProps) {
  const now = useStoreClock(live.store);
  const diagnoses = useDiagnoses(live);
  const { marks, version } = useHealthMarks(connectionId);
  // What the model says the store lacks, asked of Prometheus; its answers go back into the model.
  const [asks, setAsks] = useState<{ text: string; list: ImpactAsk[] }>({ text: '[]', list: [] });
  const history = useImpactHistory(prometheus, asks.list, now);
  const model = useMemo(
    () => prepareHealth(live.store, diagnoses, marks, now, history),
    // `version` changes with every mark: the same `marks` object answers differently.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [live, diagnoses, marks, version, now, history],
  );
  const wanted = prometheus
    ? model.incidents.flatMap((i) => (i.impact.ask ? [i.impact.ask] : []))
    : [];
  // Set while rendering (React's derived-state pattern): a new list only when the asks change.
  const wantedText = JSON.stringify(wanted);
  if (wantedText !== asks.text) setAsks({ text: wantedText, list: wanted });
  const refs = useRef(new Map<string, HTMLElement>());
  useEffect(() => {
    if (focus === undefined) return;
    refs.current.get(focus.key)?.scrollIntoView({ block: 'start', behavior: 'smooth' });
  }, [focus]);

  return (
    <div className="overview health" data-testid="health-view">
      <section className="panel" aria-labelledby="health-devices-title">
        <header className="panel-header">
          <h2 id="health-devices-title">Devices by state</h2>
          <span className="panel-meta">tool health and open diagnoses, the worse of the two</span>
        </header>
        {model.clusters.length === 0 ? (
          <div className="placeholder" data-testid="health-no-data">
            {presence === 'live'
              ? 'No data yet: no node has reported since the console connected.'
              : 'No data yet: waiting for the connection.'}
          </div>
        ) : (
          <div className="health-clusters">
            {model.clusters.map((c) => (
              <ClusterRow
                key={c.cluster}
                cluster={c}
                named={model.clusters.length > 1 || c.name !== ''}
              />
            ))}
          </div>
        )}
      </section>
      <section className="panel" aria-labelledby="health-incidents-title">
        <header className="panel-header">
          <h2 id="health-incidents-title">Incidents</h2>
          <span className="panel-meta" data-testid="health-incident-count">
            {model.total === 0
              ? 'none'
              : `${model.open.toLocaleString('en')} open of ${model.total.toLocaleString('en')} · open first, newest first` +
                (model.total > model.incidents.length
                  ? ` · the first ${model.incidents.length.toLocaleString('en')} shown`
                  : '')}
          </span>
        </header>
        {model.status === 'no-data' ? (
          <div className="placeholder">Nothing to diagnose until devices report.</div>
        ) : model.status === 'no-diagnoses' ? (
          <div className="empty-state health-empty" data-testid="health-no-diagnoses">
            <div className="empty-title">No diagnoses</div>
            <p className="empty-detail">
              No hardware fault or threshold has been diagnosed on this connection&rsquo;s devices
              since the console connected. Kernel Xids, device health, temperature and power limits
              are checked as they arrive.
            </p>
          </div>
        ) : (
          <div className="health-incidents">
            {model.incidents.map((i) => (
              <IncidentCard
                key={i.key}
                ref={(el) => {
                  if (el) refs.current.set(i.key, el);
                  else refs.current.delete(i.key);
                }}
                incident={i}
                focused={focus?.key === i.key}
                onMark={(ids, state) =>
                  state === 'open' ? marks.clear(ids) : marks.mark(ids, state, now)
                }
              />
            ))}
          </div>
        )}
      </section>
    </div>
  );
}

function ClusterRow({ cluster, named }: { cluster: ClusterStates; named: boolean }) {
  return (
    <div className="health-cluster" data-testid="health-cluster" data-cluster={cluster.cluster}>
      {named ? (
        <span className="health-cluster-name">{cluster.name || '(unnamed cluster)'}</span>
      ) : null}
      <span className="health-cluster-total">
        {cluster.devices.toLocaleString('en')} {cluster.devices === 1 ? 'device' : 'devices'}
      </span>
      <ul className="health-states" aria-label="Devices by state">
        {cluster.counts.map((s) => (
          <li
            key={s.state}
            className={`health-state state-${s.state}${s.count === 0 ? ' zero' : ''}`}
            data-state={s.state}
            data-count={s.count}
          >
            <span className="health-state-count">{s.count.toLocaleString('en')}</span>
            <span className="health-state-word">{s.word}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
