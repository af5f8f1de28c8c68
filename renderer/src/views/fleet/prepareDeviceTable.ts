/**
 * Inventory + latest values → the device table under the heatmap: every device with all four
 * heatmap metrics as text with units, so the numbers can be read (and copied) without hovering.
 */
import { HEATMAP_METRICS } from '../../../../collector/core/catalog.js';
import { displayName } from '../../lib/displayName.js';
import { formatAge, formatBytes, formatValue } from '../../lib/format.js';
import { deviceLabel, sortDevices } from '../../lib/devices.js';
import { readDeviceValue, type DeviceValue, type StoreReader } from './deviceValues.js';
import type { FleetLayout } from './types.js';

export interface DeviceRow {
  key: string;
  /** The node's key in the store, and its name as text. */
  node: string;
  nodeName: string;
  /** The device's id (what the drawer is opened with). */
  device: string;
  label: string;
  name: string;
  uuid?: string;
  values: DeviceValue[];
  /** "19.4 GiB of 79.6 GiB" beside the memory %. */
  memoryDetail?: string;
  /** "90.3 % of 700 W" beside the power draw: its share of this board's own limit. */
  powerLimit?: string;
  /** Age of the newest of the row's values. */
  updated: string;
  stale: boolean;
}

/**
 * One row per device; with `layout`, only the devices the heatmap shows as matching its filters
 * and search, in its order (group, sort), so the table and the heatmap above it agree.
 */
export function prepareDeviceTable(
  reader: StoreReader,
  now: number,
  layout?: FleetLayout,
): DeviceRow[] {
  const rows = reader.nodes().flatMap((node) =>
    sortDevices(node.devices).map((device) => {
      const values = HEATMAP_METRICS.map((m) =>
        readDeviceValue(reader, node.node, device, m, node.interval, now),
      );
      const ages = values.map((v) => v.ageMs).filter((a): a is number => a !== undefined);
      const used = reader.latest(node.node, 'device.memory.used', device.id)?.v;
      const total =
        reader.latest(node.node, 'device.memory.total', device.id)?.v ?? device.memoryTotalBytes;
      const limit = reader.latest(node.node, 'device.power.limit', device.id)?.v;
      const row: DeviceRow = {
        key: `${node.node}/${device.id}`,
        node: node.node,
        nodeName: displayName(node.node),
        device: device.id,
        label: deviceLabel(device),
        name: displayName(device.name),
        values,
        updated: ages.length ? formatAge(Math.min(...ages)) : 'never',
        stale: values.some((v) => v.stale),
      };
      if (device.uuid) row.uuid = displayName(device.uuid);
      if (typeof used === 'number' && total) {
        row.memoryDetail = `${formatBytes(used)} of ${formatBytes(total)}`;
      }
      const power = values.find((v) => v.metric === 'device.power')?.value;
      if (typeof limit === 'number' && limit > 0) {
        row.powerLimit =
          typeof power === 'number'
            ? `${formatValue((100 * power) / limit, 'percent')} of ${Math.round(limit)} W`
            : `of ${Math.round(limit)} W`;
      }
      return row;
    }),
  );
  if (!layout) return rows;
  const byKey = new Map(rows.map((r) => [r.key, r]));
  return layout.sections.flatMap((section) =>
    section.rows.flatMap((row) =>
      row.cells.flatMap((cell) => {
        const r = cell.match ? byKey.get(`${cell.node}/${cell.device.id}`) : undefined;
        return r ? [r] : [];
      }),
    ),
  );
}
