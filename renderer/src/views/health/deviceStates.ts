/**
 * Devices by state per cluster, in the core's one vocabulary (severity.ts deviceState): the worse
 * of what each device's tool reports (device.health; a device gone from the inventory is
 * critical) and its incidents not resolved.
 */
import {
  DEVICE_STATE_LABEL,
  DEVICE_STATES,
  deviceState,
  type DeviceState,
} from '../../../../collector/core/diagnosis/severity.js';
import type { Severity } from '../../../../collector/core/protocol/spec.js';
import { displayName } from '../../lib/displayName.js';
import type { Incident } from '../../lib/health/incidents.js';
import type { LiveStore } from '../../store/LiveStore.js';

export interface StateCount {
  state: DeviceState;
  word: string;
  count: number;
}

export interface ClusterStates {
  cluster: string;
  /** The cluster's name as text; '' when the connection names none. */
  name: string;
  devices: number;
  counts: StateCount[];
}

/**
 * Each device's state (severity.ts deviceState): the worse of what its tool reports
 * (device.health; a device gone from the inventory is critical) and its incidents not resolved.
 */
export function clusterStates(
  reader: Pick<LiveStore, 'nodes' | 'find'>,
  incidents: readonly Incident[],
): ClusterStates[] {
  const open = new Map<string, Severity[]>();
  for (const incident of incidents) {
    if (incident.state === 'resolved') continue;
    for (const d of incident.diagnoses) {
      if (d.device === undefined || d.resolved !== undefined) continue;
      const key = `${d.nodeKey}\u0000${d.device}`;
      open.set(key, [...(open.get(key) ?? []), d.severity]);
    }
  }
  const byCluster = new Map<string, Map<DeviceState, number>>();
  for (const node of reader.nodes()) {
    const counts = byCluster.get(node.cluster) ?? new Map<DeviceState, number>();
    byCluster.set(node.cluster, counts);
    const devices = [
      ...node.devices.map((d) => ({ id: d.id, lost: false })),
      ...node.lostDevices.map((d) => ({ id: d.id, lost: true })),
    ];
    for (const device of devices) {
      const health = reader.find(node.node, 'device.health', device.id)?.value;
      const state = deviceState(health, open.get(`${node.node}\u0000${device.id}`), device.lost);
      counts.set(state, (counts.get(state) ?? 0) + 1);
    }
  }
  return [...byCluster]
    .sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true }))
    .map(([cluster, counts]) => ({
      cluster,
      name: displayName(cluster),
      devices: [...counts.values()].reduce((a, b) => a + b, 0),
      counts: DEVICE_STATES.map((state) => ({
        state,
        word: DEVICE_STATE_LABEL[state],
        count: counts.get(state) ?? 0,
      })),
    }));
}
