/**
 * The Host view: CPU, memory, network and disk of one node over the last minutes, for any node
 * that publishes host metrics (the local collector's machine, or an agent's node in a fleet). A
 * fleet picks its node from a list; the URL keeps it (`host=`).
 */
import { useMemo, useState } from 'react';

import { displayName } from '../../lib/displayName.js';
import { readNavigation } from '../../shell/navigation/location.js';
import { useNavigationSync } from '../../shell/navigation/useNavigation.js';
import type { LiveStoreSnapshot } from '../../store/LiveStore.js';
import { HostCharts } from './HostCharts.js';
import { chooseHostNode, prepareHostNodes } from './prepareHostNodes.js';
import { prepareHostCharts } from './prepareHostCharts.js';
import './host.css';

export function HostView({ live }: { live: LiveStoreSnapshot }) {
  const [asked, setAsked] = useState<string | undefined>(() => readNavigation().host);
  const nodes = useMemo(() => prepareHostNodes(live.store), [live]);
  const node = chooseHostNode(nodes, asked);
  useNavigationSync({ host: nodes.length > 1 ? node : undefined });
  const charts = useMemo(
    () => (node === undefined ? [] : prepareHostCharts(live.store, node)),
    [live, node],
  );
  if (node === undefined) {
    return <div className="panel placeholder">No node publishes host metrics yet.</div>;
  }
  return (
    <div className="host-view">
      <div className="host-bar">
        <span className="host-label">Node</span>
        {nodes.length > 1 ? (
          <select aria-label="Node" value={node} onChange={(e) => setAsked(e.target.value)}>
            {nodes.map((n) => (
              <option key={n} value={n}>
                {displayName(n)}
              </option>
            ))}
          </select>
        ) : (
          <span className="host-node" data-testid="host-node">
            {displayName(node)}
          </span>
        )}
        {nodes.length > 1 ? (
          <span className="panel-meta">
            {nodes.length.toLocaleString('en')} nodes publish host metrics
          </span>
        ) : null}
      </div>
      <HostCharts charts={charts} />
    </div>
  );
}
