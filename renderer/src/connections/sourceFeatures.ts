/**
 * What a live page offers, from its source's capabilities (SourceFactory.ts): the UI shows only
 * what the active source can do. Latency needs `history`; Record needs `record` and a running
 * source to record from (a Prometheus-only connection has none).
 */
import { viewsFor, type ViewId } from '../shell/views/viewsFor.js';
import type { SourceCapabilities } from '../sources/SourceFactory.js';

export interface LivePageFeatures {
  views: ViewId[];
  record: boolean;
}

export function livePageFeatures(
  capabilities: SourceCapabilities,
  hasSource: boolean,
): LivePageFeatures {
  return { views: viewsFor(capabilities), record: capabilities.record && hasSource };
}
