/**
 * Every series of one node, interned by (device or host, metric, labels) in nested maps, so a
 * sample finds its series with two map lookups and no key building. Label sets are told apart by
 * comparison while a metric has few of them (engines, quantiles) and by a canonical key beyond.
 * A grid (spec.ts) resolves its cells' series once and keeps them while the next message's grid
 * at the same place has the same rows and columns, as a sender's does tick after tick: then a
 * cell costs one array read and one write.
 */
import { NULL_CELL_STATUS } from '../../../collector/core/protocol/grids.js';
import type { Grid, Sample } from '../../../collector/core/protocol/spec.js';
import { GridLayout } from './GridLayout.js';
import { NodeTicks } from './NodeTicks.js';
import { Series } from './Series.js';
import { labelsKey, sameLabels, type Labels } from './seriesKey.js';
import type { ValueArray } from './TickHistory.js';

/** All series of one metric on one device: one without labels, any number with. */
interface Slot {
  plain?: Series;
  members: Series[];
  byKey?: Map<string, Series>;
}

/** Past this many label sets a linear scan costs more than building a key. */
const SCAN_LIMIT = 8;
/** What one sender may make the console hold: 1,024 devices × 64 metrics, with room to spare. */
export const MAX_SERIES_PER_NODE = 65_536;

const NO_LABELS: Labels = Object.freeze({});
const HOST = '';

export class NodeSeries {
  readonly ticks: NodeTicks;
  private readonly byDevice = new Map<string, Map<string, Slot>>();
  private readonly layouts: (GridLayout | undefined)[] = [];
  private count = 0;
  /** Samples dropped because the node reached MAX_SERIES_PER_NODE. */
  dropped = 0;

  constructor(
    readonly node: string,
    capacity: number,
    private readonly makeValues: (capacity: number) => ValueArray,
  ) {
    this.ticks = new NodeTicks(capacity);
  }

  /** Records one metrics message stamped `ts`: its grids' cells, then its samples. */
  record(ts: number, samples: readonly Sample[], grids?: readonly Grid[]): void {
    const tick = this.ticks.advance(ts);
    if (grids !== undefined) {
      for (let g = 0; g < grids.length; g++) this.recordGrid(g, grids[g]!, tick, ts);
    }
    let lastDevice: string | undefined;
    let metrics: Map<string, Slot> | undefined;
    for (let i = 0; i < samples.length; i++) {
      const sample = samples[i]!;
      const device = sample.d ?? HOST;
      // Senders group samples by device: most samples reuse the previous lookup.
      if (device !== lastDevice || metrics === undefined) {
        metrics = this.metricsOf(device);
        lastDevice = device;
      }
      const series = this.find(slotOf(metrics, sample.m), sample.m, sample.d, sample.l, tick);
      if (series === undefined) {
        this.dropped += 1;
        continue;
      }
      series.record(tick, sample.t ?? ts, sample.v, sample.s, sample.raw);
    }
  }

  /** The series of (device, metric, labels), or undefined. */
  get(metric: string, device: string | undefined, labels?: Labels): Series | undefined {
    const slot = this.byDevice.get(device ?? HOST)?.get(metric);
    if (slot === undefined) return undefined;
    if (labels === undefined || isEmpty(labels)) return slot.plain;
    return lookup(slot, labels);
  }

  /** Every series of one metric on a device (or the host), one per label set. */
  group(metric: string, device: string | undefined): readonly Series[] {
    return this.byDevice.get(device ?? HOST)?.get(metric)?.members ?? [];
  }

  /** Devices that reported samples, in the order they first did (the sender's order). */
  devices(): string[] {
    const out: string[] = [];
    for (const key of this.byDevice.keys()) if (key !== HOST) out.push(key);
    return out;
  }

  /** Every series of a device (or of the host with `undefined`). */
  all(device: string | undefined): Series[] {
    const slots = this.byDevice.get(device ?? HOST);
    if (!slots) return [];
    const out: Series[] = [];
    for (const slot of slots.values()) out.push(...slot.members);
    return out;
  }

  private recordGrid(index: number, grid: Grid, tick: number, ts: number): void {
    let layout = this.layouts[index];
    if (layout === undefined || !layout.fits(grid)) {
      layout = new GridLayout(grid, (m, d, l) => this.resolve(m, d, l, tick));
      this.layouts[index] = layout;
    }
    const series = layout.series;
    const v = grid.v;
    for (let k = 0; k < series.length; k++) {
      const s = series[k];
      if (s === undefined) {
        this.dropped += 1;
        continue;
      }
      const value = v[k]!;
      s.record(tick, ts, value, value === null ? NULL_CELL_STATUS : undefined, undefined);
    }
  }

  /** The series of (metric, device, labels), created when new; undefined past the limit. */
  private resolve(
    m: string,
    d: string | undefined,
    l: Labels | undefined,
    tick: number,
  ): Series | undefined {
    return this.find(slotOf(this.metricsOf(d ?? HOST), m), m, d, l, tick);
  }

  /** The slots of one device (or the host), created when new. */
  private metricsOf(device: string): Map<string, Slot> {
    let metrics = this.byDevice.get(device);
    if (metrics === undefined) {
      metrics = new Map();
      this.byDevice.set(device, metrics);
    }
    return metrics;
  }

  private find(
    slot: Slot,
    m: string,
    d: string | undefined,
    labels: Labels | undefined,
    tick: number,
  ): Series | undefined {
    if (labels === undefined || isEmpty(labels)) {
      return slot.plain ?? (slot.plain = this.create(slot, m, d, NO_LABELS, tick));
    }
    return lookup(slot, labels) ?? this.create(slot, m, d, { ...labels }, tick);
  }

  private create(
    slot: Slot,
    m: string,
    d: string | undefined,
    labels: Labels,
    tick: number,
  ): Series | undefined {
    if (this.count >= MAX_SERIES_PER_NODE) return undefined;
    this.count += 1;
    // A sample of an older message (tick -1) starts its history at the next tick.
    const first = tick >= 0 ? tick : this.ticks.newest + 1;
    const capacity = this.ticks.capacity;
    const series = new Series(
      this.node,
      d,
      m,
      labels,
      this.ticks,
      first,
      this.makeValues(capacity),
    );
    slot.members.push(series);
    if (!isEmpty(labels)) {
      if (slot.byKey) slot.byKey.set(labelsKey(labels), series);
      else if (slot.members.length > SCAN_LIMIT) {
        slot.byKey = new Map(slot.members.map((s) => [labelsKey(s.labels), s]));
      }
    }
    return series;
  }
}

function slotOf(metrics: Map<string, Slot>, m: string): Slot {
  let slot = metrics.get(m);
  if (slot === undefined) {
    slot = { members: [] };
    metrics.set(m, slot);
  }
  return slot;
}

function lookup(slot: Slot, labels: Labels): Series | undefined {
  if (slot.byKey) return slot.byKey.get(labelsKey(labels));
  const members = slot.members;
  for (let i = 0; i < members.length; i++) {
    const s = members[i]!;
    if (s !== slot.plain && sameLabels(s.labels, labels)) return s;
  }
  return undefined;
}

function isEmpty(labels: Labels): boolean {
  for (const _ in labels) return false;
  return true;
}
