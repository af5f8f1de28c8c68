/**
 * The fleet's values at one instant, read per drawn frame into typed arrays (no objects per cell):
 * each cell's place on the colour scale and its state. A value is stale by the console's one rule
 * (core/time/stale.ts: older than 2 sender intervals + 1 s); while the source is not live no value
 * counts as fresh.
 */
import { metricDef } from '../../../../collector/core/catalog.js';
import { ageMs, staleAfterMs } from '../../../../collector/core/time/stale.js';
import type { NodeState, SeriesState } from '../../store/LiveStore.js';
import { fleetScale, RELATIVE_SCALES, type FleetScale } from './fleetScale.js';
import { deviceHealth } from './fleetMetrics.js';
import type { FleetCell, FleetReader, Health } from './types.js';

/** A value, recent and from a live source. */
export const CELL_FRESH = 0;
/** A stale value (isStale), or any value while the source is not live. */
export const CELL_STALE = 1;
/** The sender said it has no value (v: null with a reason: unsupported, denied, …). */
export const CELL_ABSENT = 2;
/** Never reported. */
export const CELL_MISSING = 3;

export interface FleetFrame {
  /** Position on the colour scale, 0–1 (clamped); NaN without a value. */
  readonly t: Float32Array;
  readonly state: Uint8Array;
  /**
   * The colour scale's ends: in the metric's unit (absolute), in % of each device's own limit
   * (relative), or the first and last category's index (categorical).
   */
  range: [number, number];
  /** How the metric is coloured (fleetScale.ts). */
  scale: FleetScale;
  /**
   * Each cell's series (and its limit's, for a relative scale), found once per layout and metric
   * (a series never moves once it exists): three map lookups per cell per repaint were most of
   * this function's time.
   */
  refs: {
    cells: readonly FleetCell[];
    metric: string;
    series: Array<SeriesState | undefined>;
    limits: Array<SeriesState | undefined>;
  };
}

/** The value a cell shows: the metric's own, or memory % from used and total bytes. */
export function cellValue(
  reader: FleetReader,
  cell: FleetCell,
  metric: string,
): { value: number; time: number; status?: string; raw?: string } | undefined {
  const s = reader.find(cell.node, metric, cell.device.id);
  if (s) {
    const out: { value: number; time: number; status?: string; raw?: string } = {
      value: s.value,
      time: s.time,
    };
    if (s.status !== undefined) out.status = s.status;
    if (s.raw !== undefined) out.raw = s.raw;
    return out;
  }
  if (metric !== 'device.memory.usage') return undefined;
  const used = reader.find(cell.node, 'device.memory.used', cell.device.id);
  if (!used) return undefined;
  const total =
    reader.find(cell.node, 'device.memory.total', cell.device.id)?.value ??
    cell.device.memoryTotalBytes;
  if (total === undefined || !(total > 0)) return undefined;
  return { value: (100 * used.value) / total, time: used.time };
}

/** Device states as health levels 0–3 (unknown has none). */
const STATE_LEVEL: Partial<Record<Health, number>> = { ok: 0, warning: 1, error: 2, critical: 3 };

/** Reads every cell's value into `frame` (reused when the cells are unchanged). */
export function readFleetFrame(
  reader: FleetReader,
  cells: readonly FleetCell[],
  metric: string,
  now: number,
  live: boolean,
  previous?: FleetFrame,
): FleetFrame {
  const n = cells.length;
  const frame: FleetFrame =
    previous && previous.t.length === n
      ? previous
      : {
          t: new Float32Array(n),
          state: new Uint8Array(n),
          range: [0, 1],
          scale: fleetScale(metric, reader, cells),
          refs: { cells, metric, series: [], limits: [] },
        };
  if (frame.refs.cells !== cells || frame.refs.metric !== metric) {
    frame.refs = { cells, metric, series: [], limits: [] };
    frame.scale = fleetScale(metric, reader, cells);
  } else if (frame.scale.kind === 'absolute' && RELATIVE_SCALES[metric]?.optional) {
    // A limit may be reported later (a slow probe's first answer).
    frame.scale = fleetScale(metric, reader, cells);
  }
  const refs = frame.refs.series;
  const limitRefs = frame.refs.limits;
  const scale = frame.scale;
  const relative = scale.kind === 'relative' ? scale.relative : undefined;
  const classify = scale.kind === 'categorical' ? scale.categorical.classify : undefined;
  const health = metric === 'device.health';
  const values = new Float64Array(n);
  let node: NodeState | undefined;
  let limit = 0;
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    const cell = cells[i]!;
    if (node?.node !== cell.node) {
      node = reader.node(cell.node);
      // isStale's limit, once per node rather than per cell.
      limit = staleAfterMs(node?.interval);
    }
    let v: { value: number; time: number } | undefined = refs[i];
    if (v === undefined) {
      const found = reader.find(cell.node, metric, cell.device.id);
      refs[i] = found;
      v = found ?? cellValue(reader, cell, metric);
    }
    if (health) {
      // The device's state, not the tool's number alone: the worse of its health and its open
      // diagnoses, critical when lost (fleetMetrics.ts deviceHealth, core severity.ts).
      const level = STATE_LEVEL[deviceHealth(reader, cell.node, cell.device)];
      if (level !== undefined && (v === undefined || Number.isNaN(v.value))) {
        v = { value: level, time: now - (node?.clockOffset ?? 0) };
      } else if (level !== undefined) {
        v = { value: level, time: v!.time };
      }
    }
    if (v === undefined) {
      frame.state[i] = CELL_MISSING;
      values[i] = Number.NaN;
      continue;
    }
    let x = v.value;
    if (relative && !Number.isNaN(x)) {
      let lim = limitRefs[i];
      if (lim === undefined) {
        lim = reader.find(cell.node, relative.limit, cell.device.id);
        limitRefs[i] = lim;
      }
      const limit =
        lim !== undefined && lim.value > 0
          ? lim.value
          : relative.limit === 'device.memory.total'
            ? cell.device.memoryTotalBytes
            : relative.fallback?.value;
      // No limit known: no share of it to show (the tooltip says so, with the value).
      x = limit !== undefined && limit > 0 ? (100 * x) / limit : Number.NaN;
    } else if (classify && !Number.isNaN(x)) {
      x = classify(x);
    }
    values[i] = x;
    if (Number.isNaN(x)) {
      frame.state[i] = CELL_ABSENT;
      continue;
    }
    if (x > max) max = x;
    // ageOf, without looking the node up again.
    const age = ageMs(now, v.time, node?.clockOffset ?? 0);
    frame.state[i] = live && age <= limit ? CELL_FRESH : CELL_STALE;
  }
  frame.range =
    scale.kind === 'relative'
      ? [0, 100]
      : scale.kind === 'categorical'
        ? [0, scale.categorical.categories.length - 1]
        : colourRange(reader, cells, metric, max);
  const [lo, hi] = frame.range;
  const span = hi - lo;
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    frame.t[i] = Number.isNaN(v)
      ? Number.NaN
      : span > 0
        ? Math.min(1, Math.max(0, (v - lo) / span))
        : 0;
  }
  return frame;
}

/**
 * The catalog's natural range where there is one (0–100 %, 20–100 °C, health 0–3). Power is
 * scaled to the largest power limit, memory to the largest capacity, anything else from 0 to the
 * largest value shown.
 */
export function colourRange(
  reader: FleetReader,
  cells: readonly FleetCell[],
  metric: string,
  maxValue: number,
): [number, number] {
  const natural = metricDef(metric)?.range;
  if (natural) return [natural[0], natural[1]];
  let top = Number.isFinite(maxValue) ? maxValue : 0;
  const bound =
    metric === 'device.power'
      ? 'device.power.limit'
      : metric === 'device.memory.used'
        ? 'device.memory.total'
        : undefined;
  if (bound) {
    for (const c of cells) {
      const v = reader.find(c.node, bound, c.device.id)?.value;
      if (v !== undefined && v > top) top = v;
    }
  }
  return [0, top > 0 ? top : 1];
}
