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
import { SERIES_OVERHEAD_BYTES } from './budget.js';
import { GridLayout, type Miss } from './GridLayout.js';
import { NodeTicks } from './NodeTicks.js';
import { Series } from './Series.js';
import { labelsKey, sameLabels, type Labels } from './seriesKey.js';
import type { SeriesBudget } from './StoreBudget.js';
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

/**
 * A grid refused by the budget is resolved again when something was released, or after this long
 * (a silent node may have become evictable): not on every message, since a refused 65,536-cell
 * grid costs ~65,536 lookups to resolve.
 */
const RETRY_REFUSED_MS = 10_000;

/**
 * Histories are cut from slabs holding this many series' values, growing with the node (twice
 * what it held, up to SLAB_MAX): one typed array per series cost ~4 µs and a backing store each,
 * where a view of a slab costs ~0.5 µs, so creating a node's series takes a fraction of the time.
 * A slab is charged to the budget whole when it is allocated, its unused tail included.
 */
const SLAB_MIN = 8;
const SLAB_MAX = 256;

const NO_LABELS: Labels = Object.freeze({});
const HOST = '';

/** No global limit: for a NodeSeries used on its own. */
const UNLIMITED: SeriesBudget = {
  claim: () => undefined,
  takeSeries: () => 'ok',
  creationsLeft: () => Number.POSITIVE_INFINITY,
  hasRoom: () => true,
  charge: () => undefined,
  releases: 0,
  now: 0,
};

export class NodeSeries {
  readonly ticks: NodeTicks;
  private readonly byDevice = new Map<string, Map<string, Slot>>();
  private readonly layouts: (GridLayout | undefined)[] = [];
  private count = 0;
  private held = 0;
  /** History bytes of one series: capacity × bytes per value. */
  private readonly valueBytes: number;
  private slab: ValueArray | undefined;
  private slabNext = 0;
  private slabSize = 0;
  private miss: Miss = 'node';
  /** Samples dropped because the node reached MAX_SERIES_PER_NODE. */
  dropped = 0;
  /** Samples refused because the store's budget (StoreBudget) was full. */
  refused = 0;
  /** Samples skipped while their series wait for a later batch to be created. */
  deferred = 0;

  constructor(
    readonly node: string,
    capacity: number,
    private readonly makeValues: (capacity: number) => ValueArray,
    private readonly budget: SeriesBudget = UNLIMITED,
  ) {
    this.ticks = new NodeTicks(capacity);
    this.valueBytes = capacity * makeValues(0).BYTES_PER_ELEMENT;
    this.held = capacity * Float64Array.BYTES_PER_ELEMENT;
    budget.charge(this.held);
  }

  /** Series held. */
  get size(): number {
    return this.count;
  }

  /** Bytes held (estimated as the budget counts them): history, tick times, labels, objects. */
  get bytes(): number {
    return this.held;
  }

  /**
   * How large the budget takes this node to be: the series it holds, or the series its latest
   * message asks for if more, so a sender of 65,536-series grids counts as large from its first.
   */
  private asking = 0;

  /**
   * Records one metrics message stamped `ts`: its grids' cells, then its samples. A sample's own
   * time `t` goes through `sampleTime` when given (NodeClock.sampleTime: moved with its message).
   */
  record(
    ts: number,
    samples: readonly Sample[],
    grids?: readonly Grid[],
    sampleTime?: (t: number) => number,
  ): void {
    const tick = this.ticks.advance(ts);
    let asked = samples.length;
    if (grids !== undefined) for (const grid of grids) asked += grid.v.length;
    this.asking = Math.max(this.count, asked);
    this.budget.claim(this.node, this.asking);
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
        metrics = this.byDevice.get(device);
        lastDevice = device;
      }
      const series = this.find(metrics, device, sample.m, sample.d, sample.l, tick);
      if (series === undefined) {
        if (this.miss === 'node') this.dropped += 1;
        else if (this.miss === 'budget') this.refused += 1;
        else this.deferred += 1;
        continue;
      }
      const t = sample.t === undefined ? ts : sampleTime ? sampleTime(sample.t) : sample.t;
      series.record(tick, t, sample.v, sample.s, sample.raw);
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
    const resolve = (m: string, d: string | undefined, l: Labels | undefined) =>
      this.resolve(m, d, l, tick);
    if (layout === undefined || !layout.fits(grid)) {
      // A node the store holds nothing of, and no room for: refused whole, without resolving
      // (65,536 cells of a bomb cost ~10 ms to look up, for nothing).
      if (this.count === 0 && !this.budget.hasRoom(this.node, this.count, this.asking)) {
        this.refused += grid.v.length;
        return;
      }
      // Nothing can be created in this batch any more: resolving 65,536 cells to learn that
      // would be wasted; the node's next message tries again.
      if (this.budget.creationsLeft(this.asking) === 0) {
        this.deferred += grid.v.length;
        return;
      }
      layout = new GridLayout(grid, resolve, () => this.miss);
      layout.builtAt = this.budget.now;
      layout.builtReleases = this.budget.releases;
      this.layouts[index] = layout;
    } else if (this.mayRetry(layout)) {
      layout.fill(resolve, () => this.miss);
      layout.builtAt = this.budget.now;
      layout.builtReleases = this.budget.releases;
    }
    this.dropped += layout.overNode;
    this.refused += layout.overBudget;
    this.deferred += layout.deferred;
    const series = layout.series;
    const v = grid.v;
    for (let k = 0; k < series.length; k++) {
      const s = series[k];
      if (s === undefined) continue;
      const value = v[k]!;
      s.record(tick, ts, value, value === null ? NULL_CELL_STATUS : undefined, undefined);
    }
  }

  /** Whether a layout with refused cells should be resolved again: the budget may have room. */
  private mayRetry(layout: GridLayout): boolean {
    if (layout.deferred === 0 && layout.overBudget === 0) return false;
    const budget = this.budget;
    if (budget.creationsLeft(this.asking) === 0) return false;
    if (!budget.hasRoom(this.node, this.count, this.asking)) {
      // Nothing can be had now: what waited to be created is refused until something is released.
      layout.overBudget += layout.deferred;
      layout.deferred = 0;
      return false;
    }
    if (layout.deferred > 0) return true;
    return (
      budget.releases !== layout.builtReleases || budget.now - layout.builtAt >= RETRY_REFUSED_MS
    );
  }

  /** The series of (metric, device, labels), created when new; undefined past the limit. */
  private resolve(
    m: string,
    d: string | undefined,
    l: Labels | undefined,
    tick: number,
  ): Series | undefined {
    const device = d ?? HOST;
    return this.find(this.byDevice.get(device), device, m, d, l, tick);
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

  /**
   * The series, or a new one. Maps and slots are made only for a series that is created, so
   * samples refused by a limit leave nothing behind.
   */
  private find(
    metrics: Map<string, Slot> | undefined,
    device: string,
    m: string,
    d: string | undefined,
    labels: Labels | undefined,
    tick: number,
  ): Series | undefined {
    const slot = metrics?.get(m);
    if (labels === undefined || isEmpty(labels)) {
      return slot?.plain ?? this.create(device, m, d, NO_LABELS, tick);
    }
    return (slot && lookup(slot, labels)) ?? this.create(device, m, d, { ...labels }, tick);
  }

  private create(
    device: string,
    m: string,
    d: string | undefined,
    labels: Labels,
    tick: number,
  ): Series | undefined {
    if (this.count >= MAX_SERIES_PER_NODE) {
      this.miss = 'node';
      return undefined;
    }
    const newSlab =
      this.slabNext < this.slabSize ? 0 : Math.min(SLAB_MAX, Math.max(SLAB_MIN, this.count));
    const bytes = newSlab * this.valueBytes + SERIES_OVERHEAD_BYTES + labelBytes(labels);
    const answer = this.budget.takeSeries(this.node, bytes, this.count, this.asking);
    if (answer !== 'ok') {
      this.miss = answer === 'full' ? 'budget' : 'later';
      return undefined;
    }
    const capacity = this.ticks.capacity;
    if (newSlab > 0) {
      this.slab = this.makeValues(newSlab * capacity);
      this.slabSize = newSlab;
      this.slabNext = 0;
    }
    const at = this.slabNext++ * capacity;
    const values = this.slab!.subarray(at, at + capacity);
    this.count += 1;
    this.held += bytes;
    // A sample of an older message (tick -1) starts its history at the next tick.
    const first = tick >= 0 ? tick : this.ticks.newest + 1;
    const series = new Series(this.node, d, m, labels, this.ticks, first, values);
    const slot = slotOf(this.metricsOf(device), m);
    slot.members.push(series);
    if (isEmpty(labels)) slot.plain = series;
    else {
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

/** Label text as UTF-16 in the heap, with a map entry's worth per label. */
function labelBytes(labels: Labels): number {
  let n = 0;
  for (const k in labels) n += 2 * (k.length + labels[k]!.length) + 32;
  return n;
}

function isEmpty(labels: Labels): boolean {
  for (const _ in labels) return false;
  return true;
}
