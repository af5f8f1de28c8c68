/**
 * What a live cluster page offers, from its source's capabilities (SourceFactory.ts): the UI shows
 * only what the active source can do. Latency needs `history`; Record needs `record` and a
 * running source to record from (a Prometheus-only connection has none).
 */
import type { SourceCapabilities } from '../sources/SourceFactory.js';
import type { ClusterTab } from '../views/fleet/ClusterTabs.js';

export interface ClusterPageFeatures {
  tabs: ClusterTab[];
  record: boolean;
}

export function clusterPageFeatures(
  capabilities: SourceCapabilities,
  hasSource: boolean,
): ClusterPageFeatures {
  return {
    tabs: capabilities.history ? ['fleet', 'engines', 'latency'] : ['fleet', 'engines'],
    record: capabilities.record && hasSource,
  };
}
