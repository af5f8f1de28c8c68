/** The fleet view's model: what prepareFleetLayout hands the heatmap, the toolbar and the drawer. */
import type { DeviceState } from '../../../../collector/core/diagnosis/severity.js';
import type { Vendor } from '../../../../collector/core/model.js';
import type { LiveStore } from '../../store/LiveStore.js';

/** What the fleet's pure functions read from the store. */
export type FleetReader = Pick<
  LiveStore,
  | 'nodes'
  | 'node'
  | 'find'
  | 'latest'
  | 'seriesOf'
  | 'reportedDevices'
  | 'ageOf'
  | 'events'
  | 'diagnosisEvents'
>;

/** A device's state in the core's vocabulary (severity.ts): ok, warning, error, critical, unknown. */
export type Health = DeviceState;
export type FleetGroup = 'none' | 'model' | 'vendor' | 'health';
export type FleetSort = 'node' | 'model' | 'vendor' | 'health' | 'value';

export interface FleetFilter {
  vendor?: Vendor;
  model?: string;
  health?: Health;
  /** Case-insensitive; matches node names, device UUIDs/ids and models. */
  search?: string;
}

export interface FleetOptions {
  /** Canonical device metric the cells are coloured by (and sorted by, with sort 'value'). */
  metric: string;
  group: FleetGroup;
  sort: FleetSort;
  filter: FleetFilter;
}

/** One device as the fleet shows it: from the inventory, or inferred from its samples. */
export interface FleetDevice {
  id: string;
  /** "GPU 3", "NPU 3·1"; "device 3" for a device known only from its samples. */
  label: string;
  /** "NVIDIA H100 80GB HBM3"; "unknown model" before the inventory. */
  model: string;
  vendor?: Vendor;
  uuid?: string;
  memoryTotalBytes?: number;
  /** Known only from its samples: the node's inventory has not arrived yet. */
  inferred: boolean;
  /** Listed by an earlier inventory of the node, missing from its latest. */
  lost?: boolean;
}

export interface FleetCell {
  node: string;
  device: FleetDevice;
  /** Column: the device's place on its node (by index). */
  col: number;
  /** Whether it passes the filter and search (others are drawn dimmed). */
  match: boolean;
}

export interface FleetRow {
  node: string;
  cells: FleetCell[];
}

export interface FleetSection {
  key: string;
  /** "NVIDIA H100 80GB HBM3", "Critical"; empty when not grouped. */
  title: string;
  rows: FleetRow[];
  devices: number;
}

export interface FleetLayout {
  sections: FleetSection[];
  /** Cells across: the most devices on a shown node. */
  columns: number;
  /** Nodes and devices shown, and how many of those devices match. */
  nodes: number;
  devices: number;
  matching: number;
  /** Everything known, before filtering. */
  totalNodes: number;
  totalDevices: number;
  /** Nodes whose inventory has not arrived (their devices are inferred from samples). */
  withoutInventory: number;
}
