/**
 * The real factories, what `<App>` uses unless a test injects others: the local collector, NATS
 * cluster connections, and snapshot files.
 */
import { createConnectionSource } from '../connections/connectionSource.js';
import { snapshotSourceFactory, type Recording } from '../recording/snapshotSource.js';
import { createCollectorSource } from './CollectorSource.js';
import { PrometheusFleetSource } from './prometheus/PrometheusFleetSource.js';
import {
  capabilities,
  type LocalSourceFactory,
  type NatsSourceFactory,
  type PrometheusFleetSourceFactory,
  type SourceFactories,
} from './SourceFactory.js';

export const localSourceFactory: LocalSourceFactory = {
  id: 'local',
  kind: 'live',
  displayName: 'This machine',
  // Profiles of this machine's processes through the collector's API.
  capabilities: capabilities('record', 'profiles'),
  create: (endpoint) => createCollectorSource(endpoint),
};

export const natsSourceFactory: NatsSourceFactory = {
  id: 'nats',
  kind: 'live',
  displayName: 'NATS cluster connection',
  // History through the connection's Prometheus, when it has one (the Latency tab says how to add
  // one otherwise); profiles from the nodes' agents (answered where started --allow-profiling).
  capabilities: capabilities('record', 'history', 'profiles'),
  create: ({ config, secret }) => createConnectionSource(config, secret),
};

export const prometheusFleetSourceFactory: PrometheusFleetSourceFactory = {
  id: 'prometheus-fleet',
  kind: 'live',
  displayName: 'Prometheus-only cluster connection',
  capabilities: capabilities('record', 'history'),
  create: ({ config, prometheus }) =>
    new PrometheusFleetSource({
      id: config.id,
      displayName: config.name,
      prometheus,
      ...(config.cluster ? { cluster: config.cluster } : {}),
      ...(config.prometheus?.nodeLabel ? { nodeLabel: config.prometheus.nodeLabel } : {}),
    }),
};

export function defaultSourceFactories(): SourceFactories<Recording> {
  return {
    local: localSourceFactory,
    nats: natsSourceFactory,
    prometheusFleet: prometheusFleetSourceFactory,
    files: [snapshotSourceFactory()],
  };
}
