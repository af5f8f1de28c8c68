/**
 * Inventory → the fleet heatmap's rows: one row per node, one column per device (by index),
 * grouped into sections (by model, vendor or worst health), sorted, filtered and searched. Values
 * are read per frame elsewhere (fleetCells.ts); this runs when the options or the fleet change.
 */
import { displayName } from '../../lib/displayName.js';
import type { NodeState } from '../../store/LiveStore.js';
import { deviceLabel, sortDevices } from '../../lib/devices.js';
import { deviceHealth, HEALTH_LABEL, HEALTH_ORDER } from './fleetMetrics.js';
import type {
  FleetCell,
  FleetDevice,
  FleetLayout,
  FleetOptions,
  FleetReader,
  FleetRow,
  FleetSection,
  Health,
} from './types.js';

const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

const VENDOR_TITLE = { nvidia: 'NVIDIA', ascend: 'Huawei Ascend' } as const;

/** The node's devices in index order: from its inventory, else from the samples it sent. */
export function fleetDevices(reader: FleetReader, node: NodeState): FleetDevice[] {
  if (node.hasInventory) {
    const lost = new Set(node.lostDevices.map((d) => d.id));
    return sortDevices([...node.devices, ...node.lostDevices]).map((d) => {
      const out: FleetDevice = {
        id: d.id,
        label: deviceLabel(d),
        model: d.name,
        vendor: d.vendor,
        inferred: false,
      };
      if (d.uuid !== undefined) out.uuid = d.uuid;
      if (d.memoryTotalBytes !== undefined) out.memoryTotalBytes = d.memoryTotalBytes;
      if (lost.has(d.id)) out.lost = true;
      return out;
    });
  }
  return reader.reportedDevices(node.node).map((id, i) => ({
    id,
    label: `device ${i}`,
    model: 'unknown model',
    inferred: true,
  }));
}

interface NodeEntry {
  node: string;
  devices: FleetDevice[];
  health: Health[];
  worst: Health;
  model: string;
  vendor: string;
  value: number;
}

export function prepareFleetLayout(reader: FleetReader, options: FleetOptions): FleetLayout {
  const entries: NodeEntry[] = [];
  let totalDevices = 0;
  let withoutInventory = 0;
  for (const state of reader.nodes()) {
    const devices = fleetDevices(reader, state);
    if (devices.length === 0) continue;
    if (!state.hasInventory) withoutInventory += 1;
    totalDevices += devices.length;
    const health = devices.map((d) => deviceHealth(reader, state.node, d));
    const models = new Set(devices.map((d) => d.model));
    entries.push({
      node: state.node,
      devices,
      health,
      worst: HEALTH_ORDER.find((h) => health.includes(h)) ?? 'unknown',
      model: models.size === 1 ? devices[0]!.model : 'Mixed models',
      vendor: devices[0]!.vendor ? VENDOR_TITLE[devices[0]!.vendor] : 'Vendor not yet known',
      value: options.sort === 'value' ? meanValue(reader, state.node, devices, options.metric) : 0,
    });
  }

  const matcher = deviceMatcher(options);
  const rows = new Map<NodeEntry, FleetRow>();
  let matching = 0;
  for (const e of entries) {
    const nodeHit = matcher.search !== undefined && e.node.toLowerCase().includes(matcher.search);
    const cells: FleetCell[] = e.devices.map((device, col) => ({
      node: e.node,
      device,
      col,
      match: matcher.test(device, e.health[col]!, nodeHit),
    }));
    const hits = cells.filter((c) => c.match).length;
    if (hits === 0) continue;
    matching += hits;
    rows.set(e, { node: e.node, cells });
  }

  const shown = [...rows.keys()].sort(comparator(options));
  const sections = new Map<string, FleetSection>();
  for (const e of shown) {
    const key = sectionKey(e, options);
    let section = sections.get(key);
    if (!section) {
      section = { key, title: sectionTitle(key, options), rows: [], devices: 0 };
      sections.set(key, section);
    }
    section.rows.push(rows.get(e)!);
    section.devices += e.devices.length;
  }
  const ordered = [...sections.values()].sort(sectionOrder(options));
  return {
    sections: ordered,
    columns: Math.max(1, ...shown.map((e) => e.devices.length)),
    nodes: shown.length,
    devices: shown.reduce((n, e) => n + e.devices.length, 0),
    matching,
    totalNodes: entries.length,
    totalDevices,
    withoutInventory,
  };
}

function deviceMatcher(options: FleetOptions) {
  const { vendor, model, health } = options.filter;
  const q = options.filter.search?.trim().toLowerCase();
  const search = q ? q : undefined;
  return {
    search,
    test(device: FleetDevice, h: Health, nodeHit: boolean): boolean {
      if (vendor !== undefined && device.vendor !== vendor) return false;
      if (model !== undefined && device.model !== model) return false;
      if (health !== undefined && h !== health) return false;
      if (search === undefined || nodeHit) return true;
      return [device.id, device.uuid ?? '', device.model].some((s) =>
        s.toLowerCase().includes(search),
      );
    },
  };
}

function meanValue(
  reader: FleetReader,
  node: string,
  devices: FleetDevice[],
  metric: string,
): number {
  let sum = 0;
  let n = 0;
  for (const d of devices) {
    const v = reader.find(node, metric, d.id)?.value;
    if (v !== undefined && !Number.isNaN(v)) {
      sum += v;
      n += 1;
    }
  }
  return n === 0 ? Number.NaN : sum / n;
}

function comparator(options: FleetOptions): (a: NodeEntry, b: NodeEntry) => number {
  const byName = (a: NodeEntry, b: NodeEntry) => collator.compare(a.node, b.node);
  switch (options.sort) {
    case 'node':
      return byName;
    case 'model':
      return (a, b) => collator.compare(a.model, b.model) || byName(a, b);
    case 'vendor':
      return (a, b) => collator.compare(a.vendor, b.vendor) || byName(a, b);
    case 'health':
      return (a, b) =>
        HEALTH_ORDER.indexOf(a.worst) - HEALTH_ORDER.indexOf(b.worst) || byName(a, b);
    case 'value':
      // Highest first; nodes without a value last.
      return (a, b) =>
        (Number.isNaN(a.value) ? 1 : 0) - (Number.isNaN(b.value) ? 1 : 0) ||
        (Number.isNaN(a.value) ? 0 : b.value - a.value) ||
        byName(a, b);
  }
}

function sectionKey(e: NodeEntry, options: FleetOptions): string {
  switch (options.group) {
    case 'none':
      return '';
    case 'model':
      return e.model;
    case 'vendor':
      return e.vendor;
    case 'health':
      return e.worst;
  }
}

function sectionTitle(key: string, options: FleetOptions): string {
  return options.group === 'health'
    ? `Worst device: ${HEALTH_LABEL[key as Health]}`
    : displayName(key);
}

function sectionOrder(options: FleetOptions): (a: FleetSection, b: FleetSection) => number {
  if (options.group === 'health') {
    return (a, b) => HEALTH_ORDER.indexOf(a.key as Health) - HEALTH_ORDER.indexOf(b.key as Health);
  }
  return (a, b) => b.devices - a.devices || collator.compare(a.title, b.title);
}
