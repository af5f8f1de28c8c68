/**
 * History for one device in the drawer, from whichever device family the server holds: Osprey's
 * own /metrics (labels node, index, uuid — exposition.ts), the DCGM exporter (gpu, UUID, Hostname;
 * `uuid`/`hostname` in old-namespace mode and on dcgm-exporter main, contracts §2.2) or the NPU
 * exporter (id, vdie_id = chip UUID; it has no host label, so the node must come from a target
 * label the scrape config adds — `node` by default, contracts §4.3). Results are in catalog units
 * (percent, bytes, watts, °C, MHz) and reduced to one series with max(), which also merges the
 * twin series of a label rename; DCGM's blank sentinels and NaN are dropped first (blank.ts).
 */
import { metricDef, type MetricUnit } from '../catalog.js';
import { withoutBlanks } from './blank.js';
import type { Discovery } from './discovery.js';
import {
  DEVICE_QUANTITIES,
  type DeviceFamilyId,
  type DeviceQuantity,
  type DeviceSeries,
} from './families.js';
import { selector, type LabelFilter } from './promql.js';

export interface DeviceRef {
  vendor: 'nvidia' | 'ascend';
  /** The node name as Osprey knows it */
  node?: string;
  /** Index on the node (nvidia-smi index, NPU ID) */
  index?: number | string;
  /** GPU-… for NVIDIA, the chip's vdie_id for Ascend */
  uuid?: string;
}

export interface DeviceQueryOptions {
  /** Target label naming the node for NPU-exporter series; default `node` */
  npuNodeLabel?: string;
}

export interface DeviceHistoryQuery {
  quantity: DeviceQuantity;
  family: DeviceFamilyId;
  /** The source series, for the chart's "from …" note */
  source: string;
  query: string;
  unit: MetricUnit;
}

export interface DeviceHistoryPlan {
  queries: DeviceHistoryQuery[];
  /** Canonical quantities no family on the server provides for this device */
  unavailable: DeviceQuantity[];
  /** Why nothing at all can be asked, when that is so (no identity, no family) */
  problem?: string;
}

/** One or more label filters (alternatives for renamed labels), or undefined: cannot identify. */
function filters(
  family: DeviceFamilyId,
  d: DeviceRef,
  o: DeviceQueryOptions,
): LabelFilter[] | undefined {
  const index = d.index === undefined ? undefined : String(d.index);
  switch (family) {
    case 'osprey':
      if (d.uuid) return [{ uuid: d.uuid }];
      return d.node && index !== undefined ? [{ node: d.node, index }] : undefined;
    case 'dcgm':
      if (d.uuid) return [{ UUID: d.uuid }, { uuid: d.uuid }];
      if (!d.node || index === undefined) return undefined;
      return [
        { Hostname: d.node, gpu: index },
        { hostname: d.node, gpu: index },
      ];
    case 'nvidia_gpu_exporter':
      // It writes nvidia-smi's UUID without the `GPU-` (the fleet adds it back: FleetAssembler).
      if (d.uuid) return [{ uuid: d.uuid.replace(/^GPU-/, '') }];
      return undefined;
    case 'npu':
      if (d.uuid) return [{ vdie_id: d.uuid }];
      return d.node && index !== undefined
        ? [{ [o.npuNodeLabel ?? 'node']: d.node, id: index }]
        : undefined;
  }
}

/** Families to try, best first: Osprey's own (same identity as the live view), then the vendor's. */
function familyOrder(d: DeviceRef): DeviceFamilyId[] {
  return d.vendor === 'nvidia' ? ['osprey', 'dcgm', 'nvidia_gpu_exporter'] : ['osprey', 'npu'];
}

const ADDITIVE: ReadonlySet<DeviceQuantity> = new Set([
  'device.memory.used',
  'device.memory.total',
]);

function scaled(expr: string, s: DeviceSeries): string {
  return s.scale === 1 ? expr : `${s.scale} * ${expr}`;
}

export function deviceHistoryQueries(
  discovery: Discovery,
  device: DeviceRef,
  opts: DeviceQueryOptions = {},
): DeviceHistoryPlan {
  const queries: DeviceHistoryQuery[] = [];
  const unavailable: DeviceQuantity[] = [];
  const usable = familyOrder(device).filter((f) => discovery.devices[f]);
  const identified = usable.filter((f) => filters(f, device, opts) !== undefined);
  for (const quantity of DEVICE_QUANTITIES) {
    const family = identified.find((f) => discovery.devices[f]!.quantities[quantity]);
    if (!family) {
      unavailable.push(quantity);
      continue;
    }
    const s = discovery.devices[family]!.quantities[quantity]!;
    // Blanks go before max(): a blank beside a real value would win it (blank.ts).
    const alts = filters(family, device, opts)!.map((f) => withoutBlanks(selector(s.name, f)));
    // A MIG GPU's memory is the sum of its instances' (one series each, by GPU_I_ID; §2.2); max
    // per instance still merges the twins of a label rename.
    const query = ADDITIVE.has(quantity)
      ? scaled(`sum(max by (GPU_I_ID) (${alts.join(' or ')}))`, s)
      : scaled(`max(${alts.join(' or ')})`, s);
    queries.push({ quantity, family, source: s.name, query, unit: metricDef(quantity)!.unit });
  }
  const plan: DeviceHistoryPlan = { queries, unavailable };
  if (usable.length === 0)
    plan.problem = `the server holds no ${device.vendor === 'nvidia' ? 'DCGM exporter' : 'NPU exporter'} or Osprey device metrics`;
  else if (identified.length === 0)
    plan.problem = 'the device has neither a UUID nor a node and index to find it by';
  return plan;
}
