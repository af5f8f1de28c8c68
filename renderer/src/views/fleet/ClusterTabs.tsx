/**
 * A cluster connection's main area as tabs: the Fleet heatmap, the Engines table, and Latency
 * history (from the connection's Prometheus; without one it says how to add it).
 */
import { useState } from 'react';

import { readNavigation } from '../../shell/navigation/location.js';
import { useNavigationSync } from '../../shell/navigation/useNavigation.js';
import type { PrometheusSource } from '../../sources/prometheus/PrometheusSource.js';
import type { PresenceState } from '../../sources/Source.js';
import type { LiveStoreSnapshot } from '../../store/LiveStore.js';
import { EnginesView } from '../engines/EnginesView.js';
import { LatencyView } from '../latency/LatencyView.js';
import { NoPrometheus } from '../latency/NoPrometheus.js';
import { FleetView } from './FleetView.js';

export type ClusterTab = 'fleet' | 'engines' | 'latency';

export interface ClusterTabsProps {
  live: LiveStoreSnapshot;
  presence: PresenceState;
  /** The tab shown first; by default the URL's `view`, else Fleet. */
  initialTab?: ClusterTab;
  /** The connection's Prometheus, when it has one. */
  prometheus?: PrometheusSource | undefined;
  onEdit?: () => void;
  /** The tabs the source can show (SourceFactory capabilities: Latency only with `history`). */
  tabs?: readonly ClusterTab[];
}

const TABS: Array<[ClusterTab, string]> = [
  ['fleet', 'Fleet'],
  ['engines', 'Engines'],
  ['latency', 'Latency'],
];

export function ClusterTabs({
  live,
  presence,
  initialTab,
  prometheus,
  onEdit,
  tabs = ['fleet', 'engines', 'latency'],
}: ClusterTabsProps) {
  const [chosen, setTab] = useState<ClusterTab>(
    () => initialTab ?? readNavigation().view ?? 'fleet',
  );
  // A tab this source cannot show (a link from a connection with history) shows the first one.
  const tab = tabs.includes(chosen) ? chosen : (tabs[0] ?? 'fleet');
  useNavigationSync({ view: tab === 'fleet' ? undefined : tab });
  return (
    <div className="cluster">
      <div className="tabs" role="tablist" aria-label="Cluster views">
        {TABS.filter(([id]) => tabs.includes(id)).map(([id, label]) => (
          <button
            key={id}
            type="button"
            role="tab"
            id={`tab-${id}`}
            aria-selected={tab === id}
            aria-controls={`panel-${id}`}
            className={tab === id ? 'tab active' : 'tab'}
            onClick={() => setTab(id)}
          >
            {label}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`}>
        {tab === 'fleet' ? (
          <FleetView live={live} presence={presence} prometheus={prometheus} />
        ) : tab === 'engines' ? (
          <EnginesView live={live} presence={presence} />
        ) : prometheus ? (
          <LatencyView
            source={prometheus}
            clock={live.store.clock}
            {...(presence === 'live' ? { live } : {})}
          />
        ) : (
          <NoPrometheus {...(onEdit ? { onEdit } : {})} />
        )}
      </div>
    </div>
  );
}
