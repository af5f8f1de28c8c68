/**
 * How the heatmap colours a metric: a magnitude on its own scale (utilization 0–100 %), a
 * magnitude as a share of the device's own limit (power against that board's power limit, memory
 * against its capacity: one absolute scale across 350 W and 700 W boards paints every 350 W board
 * cold at full load), or a state by category (deviceStates.ts).
 */
import { THRESHOLDS } from '../../../../collector/core/diagnosis/thresholds.js';
import { categoricalScale, type CategoricalScale } from './deviceStates.js';
import type { FleetCell, FleetReader } from './types.js';

export interface RelativeScale {
  /** The metric holding each device's limit. */
  limit: string;
  /** The limit in words, for tooltips: "power limit", "capacity". */
  word: string;
  /**
   * Where no shown device reports its limit, colour on the metric's absolute scale instead (a
   * heatmap of nothing but "no limit reported" would hide every value).
   */
  optional?: boolean;
  /**
   * The limit for a device that reports none, with its words for tooltips: temperature against
   * the diagnosis rules' own default (core diagnosis/thresholds.ts), so an Ascend NPU beside
   * GPUs that report theirs keeps a colour and is judged on the same line the rules use.
   */
  fallback?: { value: number; word: string };
}

/**
 * Metrics coloured as a share of the device's own limit. Temperature against the slowdown
 * temperature the device reports (`device.temperature.slowdown`, nvidia-smi -q "GPU Slowdown
 * Temp", the name core/diagnosis/thresholds.ts reads); until a probe reports it, on the catalog's
 * absolute 20–100 °C scale rather than a guessed model limit.
 */
export const RELATIVE_SCALES: Readonly<Record<string, RelativeScale>> = {
  'device.power': { limit: 'device.power.limit', word: 'power limit' },
  'device.memory.used': { limit: 'device.memory.total', word: 'capacity' },
  'device.temperature': {
    limit: 'device.temperature.slowdown',
    word: 'slowdown temperature',
    optional: true,
    fallback: { value: THRESHOLDS.defaultHotC, word: 'Osprey’s default hot line' },
  },
};

export type FleetScale =
  | { kind: 'absolute' }
  | { kind: 'relative'; relative: RelativeScale }
  | { kind: 'categorical'; categorical: CategoricalScale };

/**
 * The metric's scale. `reader` and `cells`: an optional relative scale applies only where some
 * shown node reports the limit (read on each node's first cell: one probe reports for all of a
 * node's devices, and 512 reads beat 4,096 on every repaint).
 */
export function fleetScale(
  metric: string,
  reader?: FleetReader,
  cells?: readonly FleetCell[],
): FleetScale {
  const categorical = categoricalScale(metric);
  if (categorical) return { kind: 'categorical', categorical };
  const relative = RELATIVE_SCALES[metric];
  if (!relative) return { kind: 'absolute' };
  if (!relative.optional) return { kind: 'relative', relative };
  if (reader && cells && anyLimit(reader, cells, relative)) return { kind: 'relative', relative };
  return { kind: 'absolute' };
}

/**
 * The scale one cell is shown on (its tooltip): the heatmap's, which depends on every node, not
 * on whether this device reports its own limit.
 */
export function cellScale(metric: string, reader: FleetReader): FleetScale {
  const scale = fleetScale(metric);
  const relative = RELATIVE_SCALES[metric];
  if (scale.kind !== 'absolute' || !relative?.optional) return scale;
  for (const node of reader.nodes()) {
    const first = node.devices[0];
    if (first && reader.find(node.node, relative.limit, first.id) !== undefined) {
      return { kind: 'relative', relative };
    }
  }
  return scale;
}

function anyLimit(reader: FleetReader, cells: readonly FleetCell[], r: RelativeScale): boolean {
  let node: string | undefined;
  for (const c of cells) {
    if (c.node === node) continue;
    node = c.node;
    if (reader.find(c.node, r.limit, c.device.id) !== undefined) return true;
  }
  return false;
}

/** A device's limit for a relative metric: its own reported value, else the inventory's capacity. */
export function limitOf(
  reader: FleetReader,
  cell: FleetCell,
  relative: RelativeScale,
): number | undefined {
  const v = reader.find(cell.node, relative.limit, cell.device.id)?.value;
  if (v !== undefined && v > 0) return v;
  if (relative.limit === 'device.memory.total') {
    const total = cell.device.memoryTotalBytes;
    if (total !== undefined && total > 0) return total;
  }
  return relative.fallback?.value;
}
