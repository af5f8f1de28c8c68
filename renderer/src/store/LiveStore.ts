/**
 * What the console knows now: per node its inventory (host, devices, probe states), and per series
 * (node, device or host, metric, labels) the latest value with its time plus a bounded history.
 * Sources feed it batches; views read it after a version bump (useSyncExternalStore).
 *
 * Its clock (StoreClock, `currentTime`) is the console's "now" for every age, fade and time axis:
 * batches advance it to their receipt time, and the source's driver ticks it (`tick`: the shell
 * with the wall clock once a second for a live source, the player with recording time; `seek`
 * for a recording's jumps). History is bounded by count (capacity) and age (maxAge), and nodes
 * silent past silentNodeMs leave with an event.
 *
 * Storage is columnar (NodeSeries, NodeTicks, TickHistory): at 4,096 devices × 12 metrics × 2 Hz
 * ingest costs ~0.3 µs a sample and allocates nothing per sample once every series exists
 * (e2e/bench/ingestMicro.mjs; BENCHMARKS.md, "Live ingest").
 */
import type {
  DeviceInfo,
  EventRecord,
  HostInfo,
  InventoryMessage,
  MetricsMessage,
  ProbeStatus,
  WireMessage,
} from '../../../collector/core/protocol/spec.js';
import { ageMs } from '../../../collector/core/time/stale.js';
import type { Backlog, SourceBatch, SourceProblem } from '../sources/Source.js';
import { budgetProblems } from './budgetProblems.js';
import { estimateBytes } from './estimateBytes.js';
import { NodeClock } from './NodeClock.js';
import { MAX_SERIES_PER_NODE, NodeSeries } from './NodeSeries.js';
import type { LatestValue, SeriesState } from './Series.js';
import type { Labels } from './seriesKey.js';
import { SkewTally } from './SkewTally.js';
import { StoreBudget, type BudgetLimits, type BudgetReport } from './StoreBudget.js';
import { StoreClock } from './StoreClock.js';
import type { ValueArray } from './TickHistory.js';

export type { LatestValue, SeriesState } from './Series.js';
export type { History } from './TickHistory.js';
export type { BudgetReport } from './StoreBudget.js';

/** 10 minutes at the collector's default 1 s interval. */
export const DEFAULT_CAPACITY = 600;

/**
 * History older than this (ms, before the store's clock) is not kept, whatever the count
 * (Grafana's streaming frames bound theirs by maxLength and maxDelta the same way): 10 min, what
 * DEFAULT_CAPACITY holds at 1 s, so a sender at 10 Hz keeps 10 min too and not a minute of it.
 */
export const DEFAULT_MAX_AGE_MS = 600_000;

/**
 * A node not heard for this long (ms, by the store's clock) is removed with an event saying so,
 * unless it is on screen (retain): a node gone for good leaves the views, one that is only late
 * stays far beyond its stale fade (2 intervals + 1 s) and the budget's 30 s eviction threshold.
 */
export const DEFAULT_SILENT_NODE_MS = 600_000;

/** The kind of the store's own events (node removed as silent), as the events list shows it. */
export const STORE_EVENT_KIND = 'console';

/** The problem key of nodes removed as silent (the header's list; cluster views have no events). */
export const SILENT_PROBLEM_KEY = 'store:silent';

export interface NodeState {
  cluster: string;
  /** The node's key in this store: its name, or `<cluster>/<name>` where names are qualified. */
  node: string;
  /** The node's own name, as it sends it (what Prometheus labels carry). */
  name: string;
  host?: HostInfo;
  devices: readonly DeviceInfo[];
  /**
   * Devices an earlier inventory listed and the latest does not: a GPU that fell off the bus
   * vanishes from nvidia-smi, and is the one device the fleet view must keep showing.
   */
  lostDevices: readonly DeviceInfo[];
  probes: readonly ProbeStatus[];
  /** Whether an inventory has arrived (an empty device list means something only then). */
  hasInventory: boolean;
  /** The sender's sampling interval (ms) from its latest metrics message. */
  interval?: number;
  /**
   * Newest metrics time on the node's timeline (ms): its own clock, except where NodeClock placed
   * an implausible stamp at its arrival or continued after the sender's clock stepped back.
   */
  lastTs?: number;
  /**
   * Local time minus timeline time: turns the node's times (series, history, events) into local
   * times and ages. From the median offset of its recent messages (ClockOffset), so one message
   * stamped an hour ahead does not move it.
   */
  clockOffset: number;
}

export interface StoredEvent extends EventRecord {
  node: string;
}

/**
 * The store at one version. A new object on every change, so React memos can depend on it and
 * re-run exactly when the data did.
 */
export interface LiveStoreSnapshot {
  readonly store: LiveStore;
  readonly version: number;
}

export interface LiveStoreOptions {
  /** Points of history per series (ticks per node): Grafana's maxLength. */
  capacity?: number;
  /** History older than this before the store's clock is dropped (ms): Grafana's maxDelta. */
  maxAge?: number;
  /**
   * A node silent this long (ms) by the store's clock is removed with an event, unless retained;
   * Infinity keeps nodes for ever.
   */
  silentNodeMs?: number;
  /**
   * 'float32' halves history memory (7 significant digits, plenty for a chart; latest values stay
   * exact): 4,096 devices × 12 metrics × 240 points is 47 MB instead of 94 MB.
   */
  precision?: 'float64' | 'float32';
  /** Events kept, newest last. */
  maxEvents?: number;
  /**
   * Key nodes as `<cluster>/<node>`: a connection to every cluster of a server can hear two
   * clusters that each have a `gpu-01`, which must stay two nodes.
   */
  qualifyNodes?: boolean;
  /** The global budget (budget.ts); tests shrink it. */
  limits?: Partial<BudgetLimits>;
  /** Monotonic ms that times series creation within a batch (FLEET_STORE_OPTIONS: performance.now). */
  workClock?: () => number;
  /**
   * A stamp farther than this (ms) from the local clock at arrival is implausible: counted as a
   * problem and placed at its arrival (NodeClock). Also the most lag the header reports.
   */
  maxSkewMs?: number;
}

const DEFAULT_MAX_EVENTS = 500;
/**
 * Diagnoses (events with an `id`, collector/core/diagnosis/toEvent.ts) kept apart from the recent
 * events, the latest state of each: on a 768-GPU fleet a burst of 500 throttle updates would
 * otherwise push an open Xid 79 out of the Health view. A node keeps at most 256 open ones
 * (DiagnosisLog), so 4,096 covers 16 busy nodes; past it the least recently updated go first.
 */
const MAX_DIAGNOSES = 4_096;
/** 5 min: NTP keeps real clocks within milliseconds; minutes off is a broken or spoofed clock. */
export const DEFAULT_MAX_SKEW_MS = 300_000;
/** Nodes heard within this long of the newest batch count towards the store's lag. */
const LAG_RECENT_MS = 60_000;
/** Lost devices remembered per node; an inventory holds at most 1,024 (spec.ts). */
const MAX_LOST_DEVICES = 1024;
const NO_BACKLOG: Backlog = { messages: 0, bytes: 0, oldestAt: undefined };

/** "10 min", "90 s": how long a removed node was silent. */
function duration(ms: number): string {
  const s = Math.floor(ms / 1000);
  return s >= 120 ? `${Math.floor(s / 60)} min` : `${s} s`;
}

export class LiveStore {
  private readonly nodeStates = new Map<string, NodeState>();
  private readonly nodeSeries = new Map<string, NodeSeries>();
  private readonly listeners = new Set<() => void>();
  private readonly capacity: number;
  private readonly maxEvents: number;
  private readonly makeValues: (n: number) => ValueArray;
  private readonly qualifyNodes: boolean;
  private readonly budget: StoreBudget;
  /** Estimated bytes of each node's inventory, as the budget counted them. */
  private readonly inventoryBytes = new Map<string, number>();
  private waiting: Backlog = NO_BACKLOG;
  private eventList: StoredEvent[] = [];
  private readonly diagnosisById = new Map<string, StoredEvent>();
  private diagnosisList: readonly StoredEvent[] | undefined;
  private readonly maxSkewMs: number;
  private readonly clocks = new Map<string, NodeClock>();
  /** Per node, the newest plausible stamp of the batch being ingested (observed once per batch). */
  private readonly batchNewest = new Map<string, number>();
  private readonly skew: SkewTally;
  private lagCache = { version: -1, lag: 0 };
  private current: LiveStoreSnapshot = { store: this, version: 0 };
  private lastReceived: number | undefined;
  private readonly maxAge: number;
  private readonly silentNodeMs: number;
  /**
   * The console's "now" (StoreClock): batches advance it to their receipt time, the source's
   * driver ticks it (the shell with the wall clock, the player with recording time).
   */
  readonly clock = new StoreClock();
  /** Nodes removed as silent, and the latest (for the problems list). */
  private silentRemoved: { count: number; last: string; lastAt: number } | undefined;

  constructor(options: number | LiveStoreOptions = {}) {
    const opts = typeof options === 'number' ? { capacity: options } : options;
    this.capacity = opts.capacity ?? DEFAULT_CAPACITY;
    this.maxEvents = opts.maxEvents ?? DEFAULT_MAX_EVENTS;
    this.qualifyNodes = opts.qualifyNodes ?? false;
    this.makeValues =
      opts.precision === 'float32' ? (n) => new Float32Array(n) : (n) => new Float64Array(n);
    if (!Number.isInteger(this.capacity) || this.capacity < 1) {
      throw new RangeError(`history capacity must be a positive integer, got ${this.capacity}`);
    }
    this.budget = new StoreBudget((node) => this.evict(node), opts.limits, opts.workClock);
    this.maxSkewMs = opts.maxSkewMs ?? DEFAULT_MAX_SKEW_MS;
    if (!(this.maxSkewMs > 0)) {
      throw new RangeError(`maximum clock skew must be a positive number, got ${this.maxSkewMs}`);
    }
    this.skew = new SkewTally(this.maxSkewMs);
    this.maxAge = opts.maxAge ?? DEFAULT_MAX_AGE_MS;
    if (!(this.maxAge > 0)) {
      throw new RangeError(`history maximum age must be a positive number, got ${this.maxAge}`);
    }
    this.silentNodeMs = opts.silentNodeMs ?? DEFAULT_SILENT_NODE_MS;
    if (!(this.silentNodeMs > 0)) {
      throw new RangeError(
        `silent node time must be a positive number of ms, got ${this.silentNodeMs}`,
      );
    }
  }

  /** The store clock's time (ms): what every age and time axis is read against. */
  get currentTime(): number {
    return this.clock.currentTime;
  }

  /** Where the last seek went (ms), undefined while the clock has only run forward. */
  get lastSeekTime(): number | undefined {
    return this.clock.lastSeekTime;
  }

  /**
   * The driver's time (the wall clock once a second for a live source, the recording time for a
   * player): the clock moves there, history older than maxAge is dropped, and nodes silent for
   * silentNodeMs (not retained) are removed, each with an event. Views update when anything was.
   */
  tick(now: number): void {
    if (!this.clock.tick(now)) return;
    const removed = this.removeSilent(now);
    const trimmed = this.trimHistory(now);
    if (removed || trimmed) this.bump();
  }

  /**
   * A jump to `time` (a recording's seek): everything held of the nodes is dropped (their series,
   * inventories and clocks: history must only move forward, and the seek's backfill is the whole
   * picture), events after `time` go, and the clock is `time` with its last seek there. Budget
   * counts of what was refused or evicted before are kept: they are the connection's problems.
   */
  seek(time: number): void {
    this.clock.seek(time);
    const before = (e: StoredEvent): boolean =>
      e.ts + (this.nodeStates.get(e.node)?.clockOffset ?? 0) <= time;
    this.eventList = this.eventList.filter(before);
    for (const [id, e] of this.diagnosisById) if (!before(e)) this.diagnosisById.delete(id);
    this.diagnosisList = undefined;
    for (const node of [...this.nodeStates.keys()]) this.remove(node);
    this.lastReceived = undefined;
    this.waiting = NO_BACKLOG;
    this.bump();
  }

  /** Bumped once per ingested batch that changed anything. */
  get version(): number {
    return this.current.version;
  }

  /** Local time of the newest batch (ms), for "updated 1 s ago". */
  get lastReceivedAt(): number | undefined {
    return this.lastReceived;
  }

  /** Samples dropped because a node sent more series than a node may hold. */
  get droppedSamples(): number {
    let n = 0;
    for (const s of this.nodeSeries.values()) n += s.dropped;
    return n;
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): LiveStoreSnapshot => this.current;

  /**
   * How far behind its senders the console runs (ms): per node, its robust offset above the lowest
   * of the last maxSkewMs (ClockOffset.lag, capped at maxSkewMs); for the store, the median over
   * the nodes heard in the last minute (the upper of the middle two), so one node whose clock
   * moved does not speak for a fleet, while a console that falls behind is behind every node.
   * Ages count from receipt, so a console that falls behind (a slow page, a saturated link) would
   * otherwise call old values fresh; the header says so instead. Only a lower bound when the
   * console was already behind at its first message from a sender.
   */
  get lagMs(): number {
    if (this.lagCache.version === this.version) return this.lagCache.lag;
    const since = (this.lastReceived ?? 0) - LAG_RECENT_MS;
    const lags: number[] = [];
    for (const clock of this.clocks.values()) {
      if ((clock.heardAt ?? Number.NEGATIVE_INFINITY) >= since) lags.push(clock.lag);
    }
    lags.sort((a, b) => a - b);
    const lag = lags.length === 0 ? 0 : lags[lags.length >> 1]!;
    this.lagCache = { version: this.version, lag };
    return lag;
  }

  /** How far behind this node the console runs (ms): see lagMs. */
  lagOf(node: string): number {
    return this.clocks.get(node)?.lag ?? 0;
  }

  /** What the store holds of its budget (budget.ts) and what it refused or evicted. */
  get budgetReport(): BudgetReport {
    return this.budget.report;
  }

  /**
   * What the budget refused or evicted, and samples past one node's own limit, as problems of the
   * connection (budgetProblems.ts): empty while nothing was.
   */
  problems(): SourceProblem[] {
    const out = [
      ...budgetProblems(this.budget.report, this.droppedSamples, MAX_SERIES_PER_NODE),
      ...this.skew.problems(),
    ];
    const silent = this.silentRemoved;
    if (silent !== undefined) {
      out.push({
        key: SILENT_PROBLEM_KEY,
        message: `${silent.count.toLocaleString('en')} ${silent.count === 1 ? 'node' : 'nodes'} removed after ${duration(this.silentNodeMs)} without a message (latest: ${silent.last}); a node sending again comes back`,
        count: silent.count,
        lastAt: silent.lastAt,
      });
    }
    return out;
  }

  /** Messages the source holds that are not decoded yet, as of the newest batch. */
  get backlog(): Backlog {
    return this.waiting;
  }

  /**
   * The nodes on screen (heatmap rows, the open drawer's node): never evicted to make room.
   * Replaces the previous set; views call it when what they show changes.
   */
  retain(nodes: Iterable<string>): void {
    this.budget.retain(nodes);
  }

  /**
   * One batch of a source. A batch flagged `seek` (a player's backfill, PlayerBatch) first resets
   * the store to its time (seek); any batch advances the clock to its receipt time.
   */
  ingest(batch: SourceBatch & { seek?: boolean }): void {
    if (batch.seek === true) this.seek(batch.receivedAt);
    this.clock.advance(batch.receivedAt);
    const backlog = batch.backlog ?? NO_BACKLOG;
    const backlogMoved =
      backlog.messages !== this.waiting.messages || backlog.oldestAt !== this.waiting.oldestAt;
    this.waiting = backlog;
    if (batch.messages.length === 0) {
      // A slice that stored nothing still moves the backlog the header shows.
      if (backlogMoved) this.bump();
      return;
    }
    this.budget.beginBatch(batch.receivedAt);
    this.noteNewest(batch);
    for (const message of batch.messages) this.apply(message, batch.receivedAt, batch.stored);
    this.batchNewest.clear();
    // Event history read on connect is not news from the nodes: "updated" stays the live data's.
    if (batch.stored === true) this.sortEvents();
    else this.lastReceived = batch.receivedAt;
    this.bump();
  }

  private bump(): void {
    this.current = { store: this, version: this.current.version + 1 };
    for (const listener of this.listeners) listener();
  }

  nodes(): NodeState[] {
    return [...this.nodeStates.values()];
  }

  node(name: string): NodeState | undefined {
    return this.nodeStates.get(name);
  }

  /** The latest value of one series, or undefined if it was never reported. */
  latest(node: string, metric: string, device?: string, labels?: Labels): LatestValue | undefined {
    return this.find(node, metric, device, labels)?.latest;
  }

  /** One series without copying its latest value: for views that read thousands per frame. */
  find(node: string, metric: string, device?: string, labels?: Labels): SeriesState | undefined {
    return this.nodeSeries.get(node)?.get(metric, device, labels);
  }

  /** Every series of a metric on a node (or device), one per label set, e.g. per interface. */
  series(node: string, metric: string, device?: string): readonly SeriesState[] {
    return this.nodeSeries.get(node)?.group(metric, device) ?? [];
  }

  /** Every series of one device, or of the node itself (host and engines) with no device. */
  seriesOf(node: string, device?: string): readonly SeriesState[] {
    return this.nodeSeries.get(node)?.all(device) ?? [];
  }

  /** Device ids a node reported samples for, in its order: devices before (or without) inventory. */
  reportedDevices(node: string): readonly string[] {
    return this.nodeSeries.get(node)?.devices() ?? [];
  }

  /** Recent events, oldest first. */
  events(): readonly StoredEvent[] {
    return this.eventList;
  }

  /**
   * The latest event of each diagnosis (by its `id`), however many other events came after it;
   * in the order each was last updated.
   */
  diagnosisEvents(): readonly StoredEvent[] {
    this.diagnosisList ??= [...this.diagnosisById.values()];
    return this.diagnosisList;
  }

  private keepDiagnoses(events: readonly StoredEvent[]): void {
    for (const e of events) {
      const id = e.id;
      if (id === undefined) continue;
      const held = this.diagnosisById.get(id);
      // History can arrive after live copies: an older state never replaces a newer one.
      if (held !== undefined && latestOf(held) > latestOf(e)) continue;
      this.diagnosisById.delete(id);
      // The all-clear travels as info (toEvent.ts); the diagnosis keeps the severity it had.
      const kept =
        held !== undefined && e.resolved !== undefined ? { ...e, severity: held.severity } : e;
      this.diagnosisById.set(id, kept);
      this.diagnosisList = undefined;
    }
    for (const id of this.diagnosisById.keys()) {
      if (this.diagnosisById.size <= MAX_DIAGNOSES) break;
      this.diagnosisById.delete(id);
    }
  }

  /**
   * Age (ms) at local time `now` (the store clock's) of a time `ts` on the node's timeline (a
   * series' or event's): the one age rule (core/time/stale.ts).
   */
  ageOf(node: string, ts: number, now: number): number {
    return ageMs(now, ts, this.nodeStates.get(node)?.clockOffset ?? 0);
  }

  /** Removes the nodes not heard since silentNodeMs before `now`, each with an event. */
  private removeSilent(now: number): boolean {
    if (!Number.isFinite(this.silentNodeMs)) return false;
    const silent = this.budget.silentSince(now - this.silentNodeMs);
    if (silent.length === 0) return false;
    const events: StoredEvent[] = silent.map(([node, heardAt]) => ({
      ts: now,
      kind: STORE_EVENT_KIND,
      severity: 'warning',
      message: `node ${this.nodeStates.get(node)?.name ?? node} removed: silent for ${duration(now - heardAt)}`,
      node,
    }));
    for (const [node] of silent) this.remove(node);
    this.silentRemoved = {
      count: (this.silentRemoved?.count ?? 0) + silent.length,
      last: silent.at(-1)![0],
      lastAt: now,
    };
    this.eventList = [...this.eventList, ...events].slice(-this.maxEvents);
    return true;
  }

  /** Drops history older than maxAge before `now` on every node (on its own timeline). */
  private trimHistory(now: number): boolean {
    let trimmed = 0;
    for (const [node, series] of this.nodeSeries) {
      const offset = this.nodeStates.get(node)?.clockOffset ?? 0;
      trimmed += series.ticks.trimBefore(now - this.maxAge - offset);
    }
    return trimmed > 0;
  }

  /** Forgets a node the store removed itself (silent, seek): not an eviction to make room. */
  private remove(node: string): void {
    this.evict(node);
    this.budget.forget(node);
  }

  private apply(message: WireMessage, receivedAt: number, stored = false): void {
    const state = this.nodeState(message.cluster, message.node);
    if (state === undefined) return;
    if (message.type === 'inventory') {
      if (!this.admitInventory(state, message)) return;
      this.applyInventory(state, message);
      this.settleInventory(state);
    } else if (message.type === 'metrics') this.applyMetrics(state, message, receivedAt);
    else {
      const clock = this.clockOf(state.node);
      const events = message.events.map((e) => {
        // A stored event (history) keeps its stamp unless it is in the future of its reading.
        if (stored && e.ts <= receivedAt + this.maxSkewMs) return { ...e, node: state.node };
        if (!clock.plausible(e.ts, receivedAt)) {
          this.skew.note(state.node, 'event', e.ts, receivedAt);
        }
        return { ...e, ts: clock.eventTime(e.ts, receivedAt), node: state.node };
      });
      this.eventList = [...this.eventList, ...events].slice(-this.maxEvents);
      this.keepDiagnoses(events);
    }
  }

  /** History arrives after live events: the list is put back in time order, oldest first. */
  private sortEvents(): void {
    this.eventList = [...this.eventList].sort((a, b) => a.ts - b.ts).slice(-this.maxEvents);
  }

  /**
   * Per node, the newest plausible stamp of this batch's metrics: its clock is observed once per
   * batch with it, so a backlog delivered at once tells one offset, not one per message.
   */
  private noteNewest(batch: SourceBatch): void {
    const at = batch.receivedAt;
    this.batchNewest.clear();
    for (const m of batch.messages) {
      if (m.type !== 'metrics' || !(Math.abs(m.ts - at) <= this.maxSkewMs)) continue;
      const node = this.qualifyNodes ? `${m.cluster}/${m.node}` : m.node;
      const seen = this.batchNewest.get(node);
      if (seen === undefined || m.ts > seen) this.batchNewest.set(node, m.ts);
    }
  }

  /** The node's clock, created with its state (never for a node the budget refused). */
  private clockOf(node: string): NodeClock {
    let clock = this.clocks.get(node);
    if (clock === undefined) {
      clock = new NodeClock(this.maxSkewMs);
      this.clocks.set(node, clock);
    }
    return clock;
  }

  private applyInventory(state: NodeState, message: InventoryMessage): void {
    state.host = message.host;
    const listed = new Set(message.devices.map((d) => d.id));
    state.lostDevices = [...state.devices, ...state.lostDevices]
      .filter((d) => !listed.has(d.id))
      .slice(0, MAX_LOST_DEVICES);
    state.devices = message.devices;
    state.probes = message.probes;
    state.hasInventory = true;
  }

  private applyMetrics(state: NodeState, message: MetricsMessage, receivedAt: number): void {
    // An interval past the skew limit would keep the node's values fresh for ever (staleAfter).
    state.interval = Math.min(message.interval, this.maxSkewMs);
    const clock = this.clockOf(state.node);
    const newest = this.batchNewest.get(state.node);
    if (newest !== undefined) {
      clock.observe(newest, receivedAt);
      this.batchNewest.delete(state.node);
    }
    const ts = clock.place(message.ts, receivedAt, state.interval);
    if (clock.lastPlacement === 'skewed') {
      this.skew.note(state.node, 'message', message.ts, receivedAt);
    }
    state.lastTs = clock.newest;
    state.clockOffset = clock.clockOffset;
    this.recordSeries(state.node, message, ts, clock.sampleTime);
  }

  /** Stores a message's values within the budget, counting what it refused. */
  private recordSeries(
    node: string,
    message: MetricsMessage,
    ts: number,
    sampleTime: (t: number) => number,
  ): void {
    let series = this.nodeSeries.get(node);
    if (!series) {
      series = new NodeSeries(node, this.capacity, this.makeValues, this.budget);
      this.nodeSeries.set(node, series);
    }
    const refused = series.refused;
    const deferred = series.deferred;
    series.record(ts, message.samples, message.grids, sampleTime);
    if (series.deferred > deferred) this.budget.noteDeferred(series.deferred - deferred);
    if (series.refused > refused) {
      let asked = message.samples.length;
      for (const grid of message.grids ?? []) asked += grid.v.length;
      this.budget.noteRefused(node, series.refused - refused, asked);
    }
  }

  /**
   * Whether the node's inventory fits the budget: its estimated size now, against the new
   * message's plus the devices the node held (an upper bound of what it will hold, lost included).
   */
  private admitInventory(state: NodeState, message: InventoryMessage): boolean {
    const before = this.inventoryBytes.get(state.node) ?? 0;
    const after = estimateBytes(message) + before;
    if (!this.budget.takeInventory(state.node, before, after)) return false;
    this.inventoryBytes.set(state.node, after);
    return true;
  }

  /** Settles a node's inventory bytes at what it holds after an inventory was applied. */
  private settleInventory(state: NodeState): void {
    const before = this.inventoryBytes.get(state.node) ?? 0;
    const held =
      estimateBytes(state.devices) +
      estimateBytes(state.lostDevices) +
      estimateBytes(state.probes) +
      estimateBytes(state.host);
    this.budget.adjustInventory(held - before);
    this.inventoryBytes.set(state.node, held);
  }

  /** Forgets a node entirely: the budget chose it to make room (StoreBudget.evictOne). */
  private evict(node: string): void {
    const series = this.nodeSeries.get(node);
    this.budget.release(series?.size ?? 0, series?.bytes ?? 0, this.inventoryBytes.get(node) ?? 0);
    this.nodeSeries.delete(node);
    this.nodeStates.delete(node);
    this.inventoryBytes.delete(node);
    this.clocks.delete(node);
  }

  /** The node's state, created when new; undefined when the budget refuses a new node. */
  private nodeState(cluster: string, name: string): NodeState | undefined {
    const node = this.qualifyNodes ? `${cluster}/${name}` : name;
    if (!this.budget.admitNode(node)) return undefined;
    let state = this.nodeStates.get(node);
    if (!state) {
      state = {
        cluster,
        node,
        name,
        devices: [],
        lostDevices: [],
        probes: [],
        hasInventory: false,
        clockOffset: 0,
      };
      this.nodeStates.set(node, state);
    }
    return state;
  }
}

/**
 * A fleet's store: 2 minutes at 2 Hz per series in float32, ~47 MB of history at 4,096 devices ×
 * 12 metrics, where the local machine's default (600 points, float64) would take 236 MB.
 */
export const FLEET_STORE_OPTIONS: LiveStoreOptions = {
  capacity: 240,
  precision: 'float32',
  // Creating series stops for the batch after CREATION_MS (budget.ts): a flood of new series
  // never makes a long task, however busy the machine.
  workClock: () => performance.now(),
};

/** A diagnosis event's latest time on its node's timeline (`lastTs`, else its stamp). */
function latestOf(e: StoredEvent): number {
  return e.lastTs ?? e.ts;
}
