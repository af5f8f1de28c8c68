/**
 * The nodes the Host view can show: those that publish host metrics (an agent or `osprey serve`
 * does; a Prometheus-only or engine-only node does not), in name order.
 */
import type { LiveStore } from '../../store/LiveStore.js';

export type HostNodesReader = Pick<LiveStore, 'nodes' | 'series'>;

/** Any of these marks a node as publishing host metrics (collector/probes/host). */
const HOST_METRICS = ['host.cpu.utilization', 'host.memory.used', 'host.memory.usage'] as const;

export function prepareHostNodes(reader: HostNodesReader): string[] {
  return reader
    .nodes()
    .filter((n) => HOST_METRICS.some((m) => reader.series(n.node, m).length > 0))
    .map((n) => n.node)
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
}

/** The node to show: the one asked for while it publishes host metrics, else the first. */
export function chooseHostNode(
  nodes: readonly string[],
  asked: string | undefined,
): string | undefined {
  return asked !== undefined && nodes.includes(asked) ? asked : nodes[0];
}
