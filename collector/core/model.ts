/**
 * The normalized model every part of Osprey speaks: clusters hold nodes, nodes hold devices, and
 * every measurement is a sample of a canonical metric (see catalog.ts). The wire messages in
 * protocol/spec.ts carry these shapes; their TypeScript types are derived from the schemas there.
 */
import type {
  DeviceInfo,
  EventRecord,
  HostInfo,
  ProbeStatus,
  Sample,
  SampleStatus,
} from './protocol/spec.js';

export type {
  DeviceInfo,
  EventRecord,
  HostInfo,
  ProbeStatus,
  Sample,
  SampleStatus,
} from './protocol/spec.js';

/** Accelerator vendors Osprey knows how to probe and diagnose. */
export type Vendor = DeviceInfo['vendor'];

/** Where a node lives: one cluster name, one node name; "local" for the embedded collector. */
export interface NodeRef {
  cluster: string;
  node: string;
}

/**
 * The key a device is known by across messages (DeviceInfo.id): its UUID when the tool gives one,
 * else `vendor:index` (plus `:chip` for multi-chip Ascend cards).
 */
export function deviceKey(device: Pick<DeviceInfo, 'vendor' | 'index' | 'uuid' | 'chip'>): string {
  if (device.uuid) return device.uuid;
  const base = `${device.vendor}:${device.index}`;
  return device.chip === undefined ? base : `${base}:${device.chip}`;
}

/** A sample that carries a number. */
export function okSample(m: string, v: number, extra?: Partial<Sample>): Sample {
  return { m, v, ...extra };
}

/**
 * A sample whose value the source could not give. `raw` keeps the tool's own words
 * (e.g. "[N/A]") for tooltips, so "not supported" never turns into 0.
 */
export function absentSample(
  m: string,
  s: SampleStatus,
  raw?: string,
  extra?: Partial<Sample>,
): Sample {
  return raw === undefined ? { m, v: null, s, ...extra } : { m, v: null, s, raw, ...extra };
}

/** A snapshot of one node: what it is, what it holds, and what its probes could do. */
export interface NodeInventory {
  host: HostInfo;
  devices: DeviceInfo[];
  probes: ProbeStatus[];
}

/** Everything the collector knows at one instant, as printed by `osprey collect --once --json`. */
export interface NodeSnapshot extends NodeInventory {
  ts: number;
  samples: Sample[];
  events: EventRecord[];
}
