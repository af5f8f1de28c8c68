/**
 * Inventory + latest values → the device heatmap's cells: one cell per GPU/NPU, one row per node
 * (wrapped at 8 when a node holds more than 16), coloured on the metric's natural range. Absent
 * values stay absent, with the tool's reason, and old values are marked stale.
 */
import {
  metricDef,
  type HEATMAP_METRICS,
  type MetricUnit,
} from '../../../../collector/core/catalog.js';
import type { ProbeStatus } from '../../../../collector/core/protocol/spec.js';
import { displayName } from '../../lib/displayName.js';
import { formatAge, formatValue } from '../../lib/format.js';
import {
  deviceLabel,
  readDeviceValue,
  sortDevices,
  type DeviceValue,
  type StoreReader,
} from './deviceValues.js';

export type HeatmapMetric = (typeof HEATMAP_METRICS)[number];

export const HEATMAP_METRIC_LABELS: Record<HeatmapMetric, string> = {
  'device.utilization': 'Utilization',
  'device.memory.usage': 'Memory used',
  'device.temperature': 'Temperature',
  'device.power': 'Power',
};

export interface HeatmapCell extends DeviceValue {
  node: string;
  deviceId: string;
  /** "GPU 0" */
  label: string;
  /** "NVIDIA H100 80GB HBM3" */
  name: string;
  row: number;
  col: number;
  /** Position of the value in the colour range, 0–1 (clamped); undefined without a value. */
  t?: number;
  /** Tooltip lines, plain text. */
  tooltip: string[];
}

export interface HeatmapModel {
  metric: HeatmapMetric;
  metricLabel: string;
  unit: MetricUnit;
  /** Row labels, top to bottom. */
  rows: string[];
  cols: number;
  cells: HeatmapCell[];
  range: [number, number];
  /** "0 %", "100 %": the colour scale's ends with units. */
  rangeText: [string, string];
  /** No inventory has arrived yet. */
  waiting: boolean;
  /** Inventories arrived and hold no device: show the probes' states instead. */
  empty: boolean;
  probes: Array<ProbeStatus & { node: string }>;
}

/** Nodes with up to this many devices get one row each; larger ones wrap at WRAP. */
const MAX_ROW = 16;
const WRAP = 8;

export function prepareHeatmap(
  reader: StoreReader,
  metric: HeatmapMetric,
  now: number,
): HeatmapModel {
  const nodes = reader.nodes().filter((n) => n.hasInventory);
  const maxDevices = Math.max(0, ...nodes.map((n) => n.devices.length));
  const cols = Math.max(1, maxDevices <= MAX_ROW ? maxDevices : WRAP);
  const rows: string[] = [];
  const cells: HeatmapCell[] = [];
  for (const node of nodes) {
    const devices = sortDevices(node.devices);
    const first = rows.length;
    for (let i = 0; i < devices.length; i += cols) {
      const slice = devices.slice(i, i + cols);
      const wrapped = devices.length > cols;
      const name = displayName(node.node);
      rows.push(wrapped ? `${name} · ${slice[0]!.index}–${slice.at(-1)!.index}` : name);
    }
    devices.forEach((device, i) => {
      const value = readDeviceValue(reader, node.node, device, metric, node.interval, now);
      cells.push({
        ...value,
        node: node.node,
        deviceId: device.id,
        label: deviceLabel(device),
        name: displayName(device.name),
        row: first + Math.floor(i / cols),
        col: i % cols,
        tooltip: tooltipLines(device.name, deviceLabel(device), device.uuid, value, metric),
      });
    });
  }
  const unit = metricDef(metric)?.unit ?? 'none';
  const range = colourRange(reader, metric, cells);
  for (const cell of cells) {
    if (cell.value === null) continue;
    const span = range[1] - range[0];
    cell.t = span > 0 ? Math.min(1, Math.max(0, (cell.value - range[0]) / span)) : 0;
  }
  return {
    metric,
    metricLabel: HEATMAP_METRIC_LABELS[metric],
    unit,
    rows,
    cols,
    cells,
    range,
    rangeText: [formatValue(range[0], unit), formatValue(range[1], unit)],
    waiting: nodes.length === 0,
    empty: nodes.length > 0 && cells.length === 0,
    probes: reader.nodes().flatMap((n) => n.probes.map((p) => ({ ...p, node: n.node }))),
  };
}

/**
 * The catalog's natural range where there is one (0–100 %, 20–100 °C). Power has none, so it is
 * scaled to the largest enforced power limit, else to the largest draw seen.
 */
function colourRange(reader: StoreReader, metric: string, cells: HeatmapCell[]): [number, number] {
  const natural = metricDef(metric)?.range;
  if (natural) return [natural[0], natural[1]];
  const limits = cells
    .map((c) => reader.latest(c.node, `${metric}.limit`, c.deviceId)?.v)
    .filter((v): v is number => typeof v === 'number' && v > 0);
  const values = cells.map((c) => c.value).filter((v): v is number => v !== null);
  const top = Math.max(0, ...limits, ...values);
  return [0, top > 0 ? top : 1];
}

function tooltipLines(
  name: string,
  label: string,
  uuid: string | undefined,
  value: DeviceValue,
  metric: HeatmapMetric,
): string[] {
  const lines = [`${label} · ${displayName(name)}`];
  if (uuid) lines.push(displayName(uuid));
  const metricLabel = HEATMAP_METRIC_LABELS[metric];
  lines.push(
    value.value === null
      ? `${metricLabel}: no data: ${value.noData}`
      : `${metricLabel}: ${value.text}`,
  );
  if (value.ageMs !== undefined) {
    lines.push(`updated ${formatAge(value.ageMs)}${value.stale ? ' (stale)' : ''}`);
  }
  return lines;
}
