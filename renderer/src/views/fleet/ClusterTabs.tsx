/** A cluster connection's main area: the Fleet heatmap and the Engines table, as tabs. */
import { useState } from 'react';

import type { PresenceState } from '../../sources/Source.js';
import type { LiveStoreSnapshot } from '../../store/LiveStore.js';
import { EnginesView } from '../engines/EnginesView.js';
import { FleetView } from './FleetView.js';

export type ClusterTab = 'fleet' | 'engines';

export interface ClusterTabsProps {
  live: LiveStoreSnapshot;
  presence: PresenceState;
  initialTab?: ClusterTab;
}

const TABS: Array<[ClusterTab, string]> = [
  ['fleet', 'Fleet'],
  ['engines', 'Engines'],
];

export function ClusterTabs({ live, presence, initialTab = 'fleet' }: ClusterTabsProps) {
  const [tab, setTab] = useState<ClusterTab>(initialTab);
  return (
    <div className="cluster">
      <div className="tabs" role="tablist" aria-label="Cluster views">
        {TABS.map(([id, label]) => (
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
          <FleetView live={live} presence={presence} />
        ) : (
          <EnginesView live={live} presence={presence} />
        )}
      </div>
    </div>
  );
}
