/**
 * The collector's heart: ticks its probes at a fixed interval, merges their readings into one
 * batched metrics message per tick, keeps a short backlog for consoles that connect later, and
 * announces inventory changes (devices appearing, probe states changing) as they happen.
 *
 * Probes start in the background: ticking begins at once (or after `startGraceMs`, whichever is
 * first), and a probe still starting is reported as "starting" until it is ready, so a hanging
 * tool (nvidia-smi's first run waits up to 10 s) delays nobody (issue 10).
 */
import type { DeviceInfo, NodeRef, NodeSnapshot } from '../core/model.js';
import { packGrids } from '../core/protocol/grids.js';
import { MAX_DEVICES, PROTOCOL_VERSION } from '../core/protocol/limits.js';
import type {
  EventRecord,
  EventsMessage,
  HostInfo,
  InventoryMessage,
  MetricsMessage,
  ProbeStatus,
  WireMessage,
} from '../core/protocol/spec.js';
import type { Probe, ProbeReading } from '../probes/types.js';
import { NodeDiagnosis } from './NodeDiagnosis.js';

export interface CollectorOptions {
  cluster: string;
  node: string;
  intervalMs: number;
  host: HostInfo;
  probes: readonly Probe[];
  /** How much history a newly connected console receives (default 120 s). */
  backlogMs?: number;
  /**
   * How long `start` waits for the probes before the first tick (default 500 ms): quick probes
   * are in the first message, a slow one joins when ready.
   */
  startGraceMs?: number;
  now?: () => number;
  /** The node's diagnosis (default: a NodeDiagnosis with its own DiagnosisLog). */
  diagnosis?: NodeDiagnosis;
}

const MAX_RECENT_EVENT_MESSAGES = 50;
/**
 * The backlog holds at most this many values (samples plus grid cells) besides its time bound. An
 * 8-GPU node sends ~450 values a tick, so its 120 s are ~54,000; a node at the protocol's 1,024
 * devices sends ~30,000 a tick, and 120 of those took the collector past 150 MB (issue 10). Such
 * a node's late consoles get its last two ticks instead.
 */
const MAX_BACKLOG_VALUES = 64 * 1024;

export type CollectorListener = (message: WireMessage) => void;

/** A status that is not a probe's but belongs in the inventory beside them (e.g. the NATS link). */
export type ExtraStatus = () => ProbeStatus;

export class Collector {
  private readonly now: () => number;
  private readonly listeners = new Set<CollectorListener>();
  private readonly extraStatus = new Set<ExtraStatus>();
  private readonly backlogLimit: number;
  private backlogMessages: MetricsMessage[] = [];
  private backlogValues = 0;
  private recentEvents: EventsMessage[] = [];
  private readings: ProbeReading[] = [];
  private inventory: InventoryMessage | undefined;
  private inventoryKey = '';
  private seq = 0;
  private timer: ReturnType<typeof setInterval> | undefined;
  private ticking = false;
  private lastTs = 0;
  /** Probes whose start has not finished, with when it began (only after `start`). */
  private readonly starting = new Map<Probe, number>();
  /** A probe's collect still running from an earlier tick, and each probe's last reading. */
  private readonly inflight = new Map<Probe, Promise<ProbeReading>>();
  private readonly last = new Map<Probe, ProbeReading>();
  private probesStarted: Promise<void> = Promise.resolve();
  private readonly diagnosis: NodeDiagnosis;

  constructor(private readonly opts: CollectorOptions) {
    this.now = opts.now ?? Date.now;
    this.diagnosis = opts.diagnosis ?? new NodeDiagnosis(opts.node, opts.cluster);
    this.backlogLimit = Math.max(1, Math.ceil((opts.backlogMs ?? 120_000) / opts.intervalMs));
  }

  get ref(): NodeRef {
    return { cluster: this.opts.cluster, node: this.opts.node };
  }

  async start(): Promise<void> {
    const since = this.now();
    for (const p of this.opts.probes) this.starting.set(p, since);
    this.probesStarted = Promise.all(
      this.opts.probes.map((p) =>
        // A probe's start resolves even when its tool is absent (types.ts); a rejection is a bug
        // that must not keep the probe "starting" for ever.
        p
          .start()
          .catch(() => undefined)
          .finally(() => this.starting.delete(p)),
      ),
    ).then(() => undefined);
    let grace: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([
      this.probesStarted,
      new Promise((resolve) => (grace = setTimeout(resolve, this.opts.startGraceMs ?? 500))),
    ]);
    clearTimeout(grace);
    await this.tick();
    this.timer = setInterval(() => void this.tick(), this.opts.intervalMs);
  }

  /** Resolves when every probe's start has finished (`osprey collect` waits for it). */
  whenProbesStarted(): Promise<void> {
    return this.probesStarted;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await Promise.all(this.opts.probes.map((p) => p.stop()));
  }

  /**
   * The probe's reading, waiting at most half an interval: a probe whose tool hangs (npu-smi is
   * given 5 s a call) keeps its last devices and status and sends no samples this tick, while the
   * other probes' metrics go out on time. Its collect keeps running and serves a later tick.
   */
  private async readProbe(p: Probe, ts: number): Promise<ProbeReading> {
    let pending = this.inflight.get(p);
    if (pending === undefined) {
      pending = this.collectFrom(p, ts).then((r) => {
        this.last.set(p, r);
        this.inflight.delete(p);
        return r;
      });
      this.inflight.set(p, pending);
    }
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), this.opts.intervalMs / 2);
    });
    const reading = await Promise.race([pending, late]);
    clearTimeout(timer);
    if (reading !== undefined) return reading;
    const before = this.last.get(p);
    const status = before?.status ?? { probe: p.name, state: 'starting', since: ts };
    return { status, devices: before?.devices ?? [], samples: [], events: [] };
  }

  private collectFrom(p: Probe, ts: number): Promise<ProbeReading> {
    const since = this.starting.get(p);
    if (since === undefined) return p.collect(ts);
    const status: ProbeStatus = { probe: p.name, state: 'starting', since };
    return Promise.resolve({ status, devices: [], samples: [], events: [] });
  }

  /** One collection round. A round still running when the next is due is not doubled up. */
  async tick(): Promise<void> {
    if (this.ticking) return;
    this.ticking = true;
    try {
      const ts = this.now();
      this.readings = await Promise.all(this.opts.probes.map((p) => this.readProbe(p, ts)));
      this.lastTs = ts;
      this.updateInventory(ts);
      const probeEvents = this.readings.flatMap((r) => r.events);
      // Hardware diagnoses (issue 14) travel as events with their advice (toEvent.ts).
      probeEvents.push(
        ...this.diagnosis.tick(
          this.readings.flatMap((r) => r.signals ?? []),
          this.readings.flatMap((r) => r.samples),
          this.devices(),
          ts,
          this.starting.size === 0,
        ),
      );
      if (probeEvents.length) this.emit(this.eventsMessage(probeEvents, ts));
      // Grids: a node's batch in a quarter of the bytes (protocol/spec.ts), which is what lets a
      // browser keep up with a fleet of agents.
      const packed = packGrids(this.readings.flatMap((r) => r.samples));
      const metrics: MetricsMessage = {
        ...this.envelope(ts),
        type: 'metrics',
        interval: this.opts.intervalMs,
        samples: packed.samples,
        ...(packed.grids.length > 0 ? { grids: packed.grids } : {}),
      };
      this.keep(metrics);
      this.emit(metrics);
    } finally {
      this.ticking = false;
    }
  }

  private keep(metrics: MetricsMessage): void {
    this.backlogMessages.push(metrics);
    this.backlogValues += valueCount(metrics);
    while (
      this.backlogMessages.length > 1 &&
      (this.backlogMessages.length > this.backlogLimit || this.backlogValues > MAX_BACKLOG_VALUES)
    ) {
      this.backlogValues -= valueCount(this.backlogMessages.shift()!);
    }
  }

  /** Adds a status to every inventory from now on; the returned function removes it. */
  addExtraStatus(status: ExtraStatus): () => void {
    this.extraStatus.add(status);
    return () => this.extraStatus.delete(status);
  }

  /**
   * Re-reads the statuses now instead of at the next tick and announces a changed inventory
   * (the NATS publisher calls this on reconnect so its first message says it is back).
   */
  refreshInventory(): void {
    if (this.inventory) this.updateInventory(this.now());
  }

  /** Emits events that did not come from a probe (e.g. "37 messages dropped while offline"). */
  reportEvents(events: EventRecord[]): void {
    if (events.length) this.emit(this.eventsMessage(events, this.now()));
  }

  subscribe(listener: CollectorListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The current inventory (undefined before the first tick). */
  currentInventory(): InventoryMessage | undefined {
    return this.inventory;
  }

  /** What a newly connected console receives after the inventory, oldest first. */
  backlog(): readonly WireMessage[] {
    return [...this.recentEvents, ...this.backlogMessages].sort((a, b) => a.seq - b.seq);
  }

  snapshot(): NodeSnapshot {
    return {
      host: this.opts.host,
      devices: this.devices(),
      probes: this.statuses(),
      ts: this.lastTs,
      // Open diagnoses and signal counts are for /metrics (catalog `diagnosis.*`), not the wire.
      samples: [...this.readings.flatMap((r) => r.samples), ...this.diagnosis.samples()],
      events: this.readings.flatMap((r) => r.events),
    };
  }

  private statuses(): ProbeStatus[] {
    return [...this.readings.map((r) => r.status), ...[...this.extraStatus].map((s) => s())];
  }

  /** Every probe's devices, at most MAX_DEVICES (each probe bounds its own; this bounds the sum). */
  private devices(): DeviceInfo[] {
    return this.readings.flatMap((r) => r.devices).slice(0, MAX_DEVICES);
  }

  private updateInventory(ts: number): void {
    const probes = this.statuses();
    const devices = this.devices();
    // Devices compared field by field rather than as one JSON key: at 1,024 devices that key was
    // a 250 KB string a tick.
    const key = JSON.stringify(probes.map((p) => [p.probe, p.state, p.message]));
    const same = this.inventory !== undefined && sameDevices(this.inventory.devices, devices);
    if (same && key === this.inventoryKey) return;
    const previous = this.inventory;
    const inventory: InventoryMessage = {
      ...this.envelope(ts),
      type: 'inventory',
      host: this.opts.host,
      devices,
      probes,
    };
    this.inventory = inventory;
    this.inventoryKey = key;
    this.emit(inventory);
    const events = probeTransitions(previous, inventory, ts);
    if (events.length) this.emit(this.eventsMessage(events, ts));
  }

  private eventsMessage(events: EventRecord[], ts: number): EventsMessage {
    const message: EventsMessage = { ...this.envelope(ts), type: 'events', events };
    // Events are rare and matter after the fact (a probe failing, an NPU alarm), so a console that
    // connects later still gets the last few dozen.
    this.recentEvents.push(message);
    if (this.recentEvents.length > MAX_RECENT_EVENT_MESSAGES) this.recentEvents.shift();
    return message;
  }

  private envelope(ts: number) {
    return {
      v: PROTOCOL_VERSION,
      cluster: this.opts.cluster,
      node: this.opts.node,
      ts,
      seq: this.seq++,
    } as const;
  }

  private emit(message: WireMessage): void {
    for (const listener of this.listeners) {
      try {
        listener(message);
      } catch {
        // A failing consumer (e.g. a closed socket) must not stop the others or the collector.
      }
    }
  }
}

function sameDevices(a: readonly DeviceInfo[], b: readonly DeviceInfo[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]! as unknown as Record<string, unknown>;
    const y = b[i]! as unknown as Record<string, unknown>;
    if (x === y) continue;
    const keys = Object.keys(x);
    if (keys.length !== Object.keys(y).length) return false;
    for (const k of keys) if (x[k] !== y[k]) return false;
  }
  return true;
}

function valueCount(m: MetricsMessage): number {
  return m.samples.length + (m.grids ?? []).reduce((n, g) => n + g.v.length, 0);
}

/** A probe changing state is news for the operator: "nvidia-smi: ok → error (…)". */
function probeTransitions(
  before: InventoryMessage | undefined,
  after: InventoryMessage,
  ts: number,
): EventRecord[] {
  if (!before) return [];
  const old = new Map(before.probes.map((p) => [p.probe, p.state]));
  const out: EventRecord[] = [];
  for (const p of after.probes) {
    const was = old.get(p.probe);
    if (was === undefined || was === p.state) continue;
    const severity = p.state === 'error' ? 'error' : p.state === 'degraded' ? 'warning' : 'info';
    const why = p.message ? ` (${p.message})` : '';
    out.push({
      ts,
      kind: 'probe',
      severity,
      message: `${p.probe}: ${was} → ${p.state}${why}`.slice(0, 4096),
    });
  }
  return out;
}
