/**
 * Device metrics as the fleet names them, which of them have data, and device health as words.
 */
import { METRICS, metricDef, type MetricUnit } from '../../../../collector/core/catalog.js';
import {
  DEVICE_STATE_LABEL,
  DEVICE_STATE_ORDER,
  deviceState,
  healthState,
} from '../../../../collector/core/diagnosis/severity.js';
import { deviceDiagnoses, deviceKeyOf } from '../../lib/diagnoses.js';
import type { FleetDevice, FleetReader, Health } from './types.js';

const LABELS: Record<string, string> = {
  'device.utilization': 'Utilization',
  'device.memory.used': 'Memory used',
  'device.memory.total': 'Memory total',
  'device.memory.usage': 'Memory used %',
  'device.memory.bandwidth.utilization': 'Memory bandwidth',
  'device.temperature': 'Temperature',
  'device.memory.temperature': 'Memory temperature',
  'device.power': 'Power',
  'device.power.limit': 'Power limit',
  'device.clock.sm': 'SM / AI Core clock',
  'device.throttle.reasons': 'Throttle reasons',
  'device.ecc.uncorrected': 'Uncorrected ECC errors',
  'device.pcie.link.gen': 'PCIe generation',
  'device.fan': 'Fan',
  'device.pstate': 'Performance state',
  'device.health': 'Health',
  'device.aicpu.utilization': 'AI CPU utilization',
  'device.aivector.utilization': 'AI Vector utilization',
};

/** Catalog order: the menu lists device metrics as the catalog does. */
const DEVICE_METRICS = METRICS.filter((m) => m.scope === 'device').map((m) => m.name);

export function metricLabel(metric: string): string {
  return LABELS[metric] ?? metric.replace(/^device\./, '').replace(/[._]/g, ' ');
}

export function metricUnit(metric: string): MetricUnit {
  return metricDef(metric)?.unit ?? 'none';
}

/**
 * The catalog's device metrics some device reported, in catalog order. Reads the first device of
 * every node: nodes of one model report the same metrics, and 512 reads beat 49,152.
 */
export function metricsWithData(reader: FleetReader): string[] {
  const seen = new Set<string>();
  for (const node of reader.nodes()) {
    const devices = reader.reportedDevices(node.node);
    const modelsSeen = new Set<string>();
    for (const id of devices) {
      // One device per distinct model on the node is enough.
      const model = node.devices.find((d) => d.id === id)?.name ?? '';
      if (modelsSeen.has(model)) continue;
      modelsSeen.add(model);
      for (const s of reader.seriesOf(node.node, id)) seen.add(s.metric);
    }
  }
  return DEVICE_METRICS.filter((m) => seen.has(m));
}

/** A device's state in the core's one vocabulary (severity.ts): OK, Warning, Error, Critical. */
export const HEALTH_LABEL: Readonly<Record<Health, string>> = DEVICE_STATE_LABEL;

/** Worst first: the order health groups and sorts take. */
export const HEALTH_ORDER: readonly Health[] = DEVICE_STATE_ORDER;

/** device.health 0–3 as a state; anything else (absent, out of range) is unknown. */
export const healthOf: (value: number | null | undefined) => Health = healthState;

/**
 * A device's state (core severity.ts `deviceState`): the worse of its reported health and its open
 * diagnoses, so an Xid 48 the event list calls critical is Critical on its cell too. A device
 * missing from the node's latest inventory is critical whatever it said before: a GPU that fell
 * off the bus (Xid 79) vanishes from nvidia-smi, whose last row for it reads "[GPU is lost]" with
 * no value, so its health series would otherwise read "no data" exactly when it matters most.
 */
export function deviceHealth(
  reader: FleetReader,
  node: string,
  device: Pick<FleetDevice, 'id' | 'lost'>,
): Health {
  if (device.lost === true) return 'critical';
  const s = reader.find(node, 'device.health', device.id);
  const open = deviceDiagnoses(reader).get(deviceKeyOf(node, device.id));
  return deviceState(
    s === undefined || Number.isNaN(s.value) ? undefined : s.value,
    open?.map((d) => d.severity),
  );
}
