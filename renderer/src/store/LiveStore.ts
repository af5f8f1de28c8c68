/**
 * What the console knows now: per node its inventory (host, devices, probe states), and per series
 * (node, device or host, metric, labels) the latest value with its time plus a bounded history.
 * Sources feed it batches; views read it after a version bump (useSyncExternalStore).
 */
import type {
  DeviceInfo,
  EventRecord,
  HostInfo,
  InventoryMessage,
  MetricsMessage,
  ProbeStatus,
  SampleStatus,
  WireMessage,
} from '../../../collector/core/protocol/spec.js';
import type { SourceBatch } from '../sources/Source.js';
import { DEFAULT_CAPACITY, RingBuffer } from './RingBuffer.js';
import { labelsKey, seriesGroupKey, type Labels } from './seriesKey.js';

export interface LatestValue {
  /** null: the source gave no number; `s` says why. */
  v: number | null;
  s?: SampleStatus;
  raw?: string;
  /** Sample time on the sender's clock (ms). */
  ts: number;
}

export interface SeriesState {
  node: string;
  device?: string;
  metric: string;
  labels: Labels;
  latest: LatestValue;
  history: RingBuffer;
}

export interface NodeState {
  cluster: string;
  node: string;
  host?: HostInfo;
  devices: readonly DeviceInfo[];
  probes: readonly ProbeStatus[];
  /** Whether an inventory has arrived (an empty device list means something only then). */
  hasInventory: boolean;
  /** The sender's sampling interval (ms) from its latest metrics message. */
  interval?: number;
  /** Newest metrics time on the sender's clock (ms). */
  lastTs?: number;
  /** Local time minus sender time, from the newest message: turns sender times into ages. */
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

const MAX_EVENTS = 200;

export class LiveStore {
  private readonly nodeStates = new Map<string, NodeState>();
  private readonly seriesByKey = new Map<string, SeriesState>();
  private readonly groups = new Map<string, SeriesState[]>();
  private readonly listeners = new Set<() => void>();
  private eventList: StoredEvent[] = [];
  private current: LiveStoreSnapshot = { store: this, version: 0 };
  private lastReceived: number | undefined;

  constructor(private readonly capacity: number = DEFAULT_CAPACITY) {}

  /** Bumped once per ingested batch that changed anything. */
  get version(): number {
    return this.current.version;
  }

  /** Local time of the newest batch (ms), for "updated 1 s ago". */
  get lastReceivedAt(): number | undefined {
    return this.lastReceived;
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): LiveStoreSnapshot => this.current;

  ingest(batch: SourceBatch): void {
    if (batch.messages.length === 0) return;
    for (const message of batch.messages) this.apply(message, batch.receivedAt);
    this.lastReceived = batch.receivedAt;
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
    return this.seriesByKey.get(seriesGroupKey(node, metric, device) + labelsKey(labels))?.latest;
  }

  /** Every series of a metric on a node (or device), one per label set, e.g. per interface. */
  series(node: string, metric: string, device?: string): readonly SeriesState[] {
    return this.groups.get(seriesGroupKey(node, metric, device)) ?? [];
  }

  /** Recent events, oldest first. */
  events(): readonly StoredEvent[] {
    return this.eventList;
  }

  /** Age (ms) at local time `now` of something the node stamped `ts` on its own clock. */
  ageOf(node: string, ts: number, now: number): number {
    return now - (ts + (this.nodeStates.get(node)?.clockOffset ?? 0));
  }

  private apply(message: WireMessage, receivedAt: number): void {
    const state = this.nodeState(message.cluster, message.node);
    if (message.type === 'inventory') this.applyInventory(state, message);
    else if (message.type === 'metrics') this.applyMetrics(state, message, receivedAt);
    else {
      const events = message.events.map((e) => ({ ...e, node: message.node }));
      this.eventList = [...this.eventList, ...events].slice(-MAX_EVENTS);
    }
  }

  private applyInventory(state: NodeState, message: InventoryMessage): void {
    state.host = message.host;
    state.devices = message.devices;
    state.probes = message.probes;
    state.hasInventory = true;
  }

  private applyMetrics(state: NodeState, message: MetricsMessage, receivedAt: number): void {
    state.interval = message.interval;
    if (state.lastTs === undefined || message.ts >= state.lastTs) {
      state.lastTs = message.ts;
      state.clockOffset = receivedAt - message.ts;
    }
    for (const sample of message.samples) {
      const ts = sample.t ?? message.ts;
      const group = seriesGroupKey(message.node, sample.m, sample.d);
      const key = group + labelsKey(sample.l);
      let series = this.seriesByKey.get(key);
      if (!series) {
        series = {
          node: message.node,
          metric: sample.m,
          labels: sample.l ?? {},
          latest: { v: sample.v, ts },
          history: new RingBuffer(this.capacity),
          ...(sample.d === undefined ? {} : { device: sample.d }),
        };
        this.seriesByKey.set(key, series);
        const members = this.groups.get(group) ?? [];
        members.push(series);
        this.groups.set(group, members);
      }
      if (ts >= series.latest.ts) series.latest = latestOf(sample.v, sample.s, sample.raw, ts);
      series.history.push(ts, sample.v);
    }
  }

  private nodeState(cluster: string, node: string): NodeState {
    let state = this.nodeStates.get(node);
    if (!state) {
      state = { cluster, node, devices: [], probes: [], hasInventory: false, clockOffset: 0 };
      this.nodeStates.set(node, state);
    }
    return state;
  }
}

function latestOf(
  v: number | null,
  s: SampleStatus | undefined,
  raw: string | undefined,
  ts: number,
): LatestValue {
  const latest: LatestValue = { v, ts };
  if (s !== undefined) latest.s = s;
  if (raw !== undefined) latest.raw = raw;
  return latest;
}
