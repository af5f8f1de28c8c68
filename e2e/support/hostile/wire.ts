/**
 * Valid protocol v1 messages (collector/core/protocol/spec.ts) for made-up nodes: what every
 * hostile phase starts from, so each input differs from a good message in one thing only.
 */
import type {
  DeviceInfo,
  EventsMessage,
  Grid,
  InventoryMessage,
  MetricsMessage,
} from '../../../collector/core/protocol/spec.js';
import { subjectFor } from '../../../collector/core/protocol/subjects.js';
import type { Rng } from '../../../collector/simulator/prng.js';
import { jsonPublication, type Publication } from './publication.js';

export interface NodeIdentity {
  cluster: string;
  node: string;
  devices: DeviceInfo[];
}

/** The device metrics every made-up node sends, one grid column each. */
export const DEVICE_METRICS = [
  'device.utilization',
  'device.power',
  'device.temperature',
  'device.memory.usage',
] as const;

export function nvidiaDevices(
  count: number,
  rng: Rng,
  name = 'NVIDIA H100 80GB HBM3',
): DeviceInfo[] {
  return Array.from({ length: count }, (_, index) => {
    const uuid = `GPU-${rng.hex(8)}-${rng.hex(4)}-${rng.hex(4)}-${rng.hex(4)}-${rng.hex(12)}`;
    return {
      id: uuid,
      uuid,
      vendor: 'nvidia' as const,
      index,
      name,
      memoryTotalBytes: 85_520_809_984,
    };
  });
}

export function inventoryOf(id: NodeIdentity, ts: number, seq = 0): InventoryMessage {
  return {
    v: 1,
    type: 'inventory',
    cluster: id.cluster,
    node: id.node,
    ts,
    seq,
    host: { hostname: id.node, os: 'linux', arch: 'x64', cpuCores: 64, memoryTotalBytes: 2 ** 39 },
    devices: id.devices,
    probes: [{ probe: 'nvidia-smi', state: 'ok', since: 0 }],
  };
}

/** One grid of DEVICE_METRICS for every device, values from `rng` (or `value` for all). */
export function deviceGrid(id: NodeIdentity, rng: Rng, value?: number): Grid {
  const v: number[] = [];
  for (let d = 0; d < id.devices.length; d++) {
    v.push(value ?? Math.round(rng.range(0, 100)), value ?? Math.round(rng.range(100, 700)));
    v.push(value ?? Math.round(rng.range(30, 80)), value ?? Math.round(rng.range(0, 100)));
  }
  return {
    rows: id.devices.map((d) => ({ d: d.id })),
    cols: DEVICE_METRICS.map((m) => ({ m })),
    v,
  };
}

export function metricsOf(
  id: NodeIdentity,
  ts: number,
  seq: number,
  grids: Grid[],
): MetricsMessage {
  return {
    v: 1,
    type: 'metrics',
    cluster: id.cluster,
    node: id.node,
    ts,
    seq,
    interval: 1000,
    samples: [],
    grids,
  };
}

export function eventsOf(
  id: NodeIdentity,
  ts: number,
  seq: number,
  message: string,
  kind = 'xid',
): EventsMessage {
  return {
    v: 1,
    type: 'events',
    cluster: id.cluster,
    node: id.node,
    ts,
    seq,
    events: [{ ts, kind, severity: 'critical', message, d: id.devices[0]?.id, code: '79' }],
  };
}

/** The message on its own subject (what a well-behaved sender does). */
export function published(
  m: InventoryMessage | MetricsMessage | EventsMessage,
  what: string,
): Publication {
  return jsonPublication(subjectFor(m.type, m.cluster, m.node), m, what);
}
