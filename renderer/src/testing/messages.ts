/**
 * Wire messages for tests, shaped as the collector sends them (every builder's output passes
 * decodeMessage; messages.test.ts checks that). Device values follow the real H100 capture in
 * e2e/fixtures.
 */
import type {
  DeviceInfo,
  EventRecord,
  InventoryMessage,
  MetricsMessage,
  ProbeStatus,
  Sample,
  EventsMessage,
} from '../../../collector/core/protocol/spec.js';

export const H100: DeviceInfo = {
  id: 'GPU-00000000-0000-0000-0000-000000000000',
  uuid: 'GPU-00000000-0000-0000-0000-000000000000',
  vendor: 'nvidia',
  index: 0,
  name: 'NVIDIA H100 80GB HBM3',
  pciBusId: '00000000:00:00.0',
  memoryTotalBytes: 81559 * 1024 * 1024,
};

export const HOST = {
  hostname: 'box',
  os: 'linux',
  arch: 'x64',
  cpuCores: 8,
  memoryTotalBytes: 32 * 1024 ** 3,
};

const envelope = (node: string, ts: number, seq: number) => ({
  v: 1 as const,
  cluster: 'local',
  node,
  ts,
  seq,
});

export function inventory(
  devices: DeviceInfo[],
  probes: ProbeStatus[] = [{ probe: 'nvidia-smi', state: 'ok', since: 0 }],
  opts: { node?: string; ts?: number; seq?: number } = {},
): InventoryMessage {
  return {
    ...envelope(opts.node ?? 'box', opts.ts ?? 1000, opts.seq ?? 0),
    type: 'inventory',
    host: HOST,
    devices,
    probes,
  };
}

export function metrics(
  ts: number,
  samples: Sample[],
  opts: { node?: string; seq?: number; interval?: number } = {},
): MetricsMessage {
  return {
    ...envelope(opts.node ?? 'box', ts, opts.seq ?? 1),
    type: 'metrics',
    interval: opts.interval ?? 1000,
    samples,
  };
}

export function events(ts: number, list: EventRecord[], node = 'box'): EventsMessage {
  return { ...envelope(node, ts, 2), type: 'events', events: list };
}
