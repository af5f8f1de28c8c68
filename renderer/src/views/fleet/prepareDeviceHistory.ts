/**
 * The device drawer's history section: which Prometheus series describe this device (Osprey's
 * own, DCGM exporter or NPU exporter, as discovery found them) and their results as drawer charts
 * with units, each saying which series it came from. The live NATS history above stays as it is.
 */
import type { Discovery } from '../../../../collector/core/prometheus/discovery.js';
import {
  deviceHistoryQueries,
  type DeviceHistoryPlan,
  type DeviceRef,
} from '../../../../collector/core/prometheus/deviceQueries.js';
import { formatValue } from '../../lib/format.js';
import type { MatrixSeries } from '../../sources/prometheus/PrometheusSource.js';
import { toPoints } from '../../sources/prometheus/matrixPoints.js';
import { metricLabel } from './fleetMetrics.js';
import type { DrawerMetric } from './prepareDeviceDrawer.js';
import type { FleetDevice } from './types.js';

export const HISTORY_SPANS = [
  { id: '1h', label: '1h', ms: 3_600_000 },
  { id: '6h', label: '6h', ms: 6 * 3_600_000 },
  { id: '24h', label: '24h', ms: 24 * 3_600_000 },
] as const;
export type HistorySpan = (typeof HISTORY_SPANS)[number]['id'];

/** The device as the exporters name it; undefined for a vendor no exporter covers. */
export function deviceRef(node: string, device: FleetDevice): DeviceRef | undefined {
  if (device.vendor !== 'nvidia' && device.vendor !== 'ascend') return undefined;
  const ref: DeviceRef = { vendor: device.vendor, node };
  // Ids are the UUID when known, else `vendor:index` (spec.ts DeviceInfo.id).
  const index = /^[a-z]+:(\d+)$/.exec(device.id)?.[1];
  if (index !== undefined) ref.index = index;
  if (device.uuid) ref.uuid = device.uuid;
  return ref;
}

export function historyPlan(
  discovery: Discovery,
  node: string,
  device: FleetDevice,
): DeviceHistoryPlan | undefined {
  const ref = deviceRef(node, device);
  return ref ? deviceHistoryQueries(discovery, ref) : undefined;
}

/**
 * One chart per quantity with data; `undefined` results are still loading and left out. Points
 * outside the asked range are dropped and blank values (DCGM's sentinels, NaN) are gaps
 * (matrixPoints.ts), so a chart never quotes a value it does not draw.
 */
export function prepareDeviceHistory(
  plan: DeviceHistoryPlan,
  results: ReadonlyMap<string, readonly MatrixSeries[]>,
  stepMs: number,
  range?: readonly [number, number],
): DrawerMetric[] {
  const out: DrawerMetric[] = [];
  for (const q of plan.queries) {
    const series = results.get(q.quantity)?.[0];
    if (!series) continue;
    const points = toPoints(series.times, series.values, stepMs, 1, range);
    const last = [...points].reverse().find(([, v]) => v !== null);
    out.push({
      metric: q.quantity,
      label: metricLabel(q.quantity),
      unit: q.unit,
      state: last ? 'fresh' : 'absent',
      text: last ? formatValue(last[1]!, q.unit) : 'no data in range',
      ageText: `from ${q.source}`,
      ts: last?.[0] ?? 0,
      points,
    });
  }
  return out;
}
