/**
 * One device metric as the device value table shows it: a number with its unit, or "no data" with the reason,
 * plus how old it is and whether that is too old to trust.
 */
import { metricDef, type MetricUnit } from '../../../../collector/core/catalog.js';
import type { DeviceInfo, SampleStatus } from '../../../../collector/core/protocol/spec.js';
import { isStale } from '../../../../collector/core/time/stale.js';
import { formatNoData, formatValue } from '../../lib/format.js';
import type { LatestValue, LiveStore } from '../../store/LiveStore.js';

/** What prepare functions read from the store (a LiveStore, or anything shaped like it). */
export type StoreReader = Pick<LiveStore, 'nodes' | 'latest' | 'series' | 'ageOf'>;

export interface DeviceValue {
  metric: string;
  unit: MetricUnit;
  value: number | null;
  /** "100 %", or "no data" when value is null. */
  text: string;
  /** Why there is no value: "unsupported ([N/A])", "not reported". */
  noData?: string;
  status?: SampleStatus;
  ageMs?: number;
  stale: boolean;
}

export function readDeviceValue(
  reader: StoreReader,
  node: string,
  device: DeviceInfo,
  metric: string,
  interval: number | undefined,
  now: number,
): DeviceValue {
  const unit = metricDef(metric)?.unit ?? 'none';
  const latest =
    reader.latest(node, metric, device.id) ??
    (metric === 'device.memory.usage' ? memoryUsage(reader, node, device) : undefined);
  if (!latest) {
    return {
      metric,
      unit,
      value: null,
      text: 'no data',
      noData: formatNoData('missing', undefined),
      stale: false,
    };
  }
  const ageMs = reader.ageOf(node, latest.ts, now);
  const stale = isStale(ageMs, interval);
  if (latest.v === null) {
    const out: DeviceValue = {
      metric,
      unit,
      value: null,
      text: 'no data',
      noData: formatNoData(latest.s, latest.raw),
      ageMs,
      stale,
    };
    if (latest.s !== undefined) out.status = latest.s;
    return out;
  }
  return { metric, unit, value: latest.v, text: formatValue(latest.v, unit), ageMs, stale };
}

/** Memory used % from used and total bytes, for sources that report only those. */
function memoryUsage(
  reader: StoreReader,
  node: string,
  device: DeviceInfo,
): LatestValue | undefined {
  const used = reader.latest(node, 'device.memory.used', device.id);
  if (!used || used.v === null) return used;
  const total = reader.latest(node, 'device.memory.total', device.id)?.v ?? device.memoryTotalBytes;
  if (!total) return undefined;
  return { v: (100 * used.v) / total, ts: used.ts };
}
