/**
 * A connection with both NATS and Prometheus (issue 12): NATS gives the live edge, and the fleet
 * read from Prometheus (PrometheusFleetSource) fills in the nodes and devices no agent reports,
 * never the same device twice. A node NATS has spoken for is NATS's alone; a device NATS reports
 * (by id or UUID) under another node name is dropped from Prometheus's messages too. The status is
 * the NATS source's (its presence is the connection's), with Prometheus's problems beside it.
 *
 * The Prometheus side starts only once NATS has had the time to announce its nodes (agents send
 * their inventory on connect and every 10 s): started together, Prometheus's first refresh could
 * land before a node's NATS inventory, and a device keyed differently by the two (an Ascend chip
 * by its vdie_id in the exporter, by its index on the agent) would show twice (found by
 * e2e/latency.spec: 10 cells for 8 devices). If NATS is not live by then, it starts anyway.
 */
import type { InventoryMessage, WireMessage } from '../../../collector/core/protocol/spec.js';
import { browserScheduler, type FrameScheduler } from './FrameBatcher.js';
import type { BatchListener, Source, SourceStatus } from './Source.js';

/** NATS live this long before Prometheus fills in: one inventory round (10 s) and some. */
export const FILL_AFTER_LIVE_MS = 12_000;
/** Prometheus fills in after this long whatever NATS does (down, refusing, slow). */
export const FILL_AT_LATEST_MS = 30_000;

export class PrometheusFill implements Source {
  readonly kind = 'connection' as const;
  private timers: Array<() => void> = [];
  private offStatus: (() => void) | undefined;
  private filling = false;
  private readonly natsNodes = new Set<string>();
  private readonly natsDevices = new Set<string>();
  private cached: { nats: SourceStatus; prom: SourceStatus; merged: SourceStatus } | undefined;

  constructor(
    private readonly nats: Source,
    private readonly prometheus: Source,
    private readonly scheduler: Pick<FrameScheduler, 'setTimer'> = browserScheduler,
  ) {}

  get id(): string {
    return this.nats.id;
  }

  get displayName(): string {
    return this.nats.displayName;
  }

  get status(): SourceStatus {
    const nats = this.nats.status;
    const prom = this.prometheus.status;
    if (this.cached?.nats === nats && this.cached.prom === prom) return this.cached.merged;
    const extra = prom.problems.map((p) => ({
      ...p,
      key: `prometheus:${p.key}`,
      message: `Prometheus: ${p.message}`,
    }));
    const trouble = prom.presence.state !== 'live' && prom.presence.message;
    const merged: SourceStatus = {
      presence: nats.presence,
      problems: trouble
        ? [
            ...nats.problems,
            ...extra,
            {
              key: 'prometheus:presence',
              message: `Prometheus (devices no agent reports): ${prom.presence.message}`,
              count: 1,
              lastAt: prom.presence.since,
            },
          ]
        : [...nats.problems, ...extra],
    };
    this.cached = { nats, prom, merged };
    return merged;
  }

  subscribe(listener: BatchListener): () => void {
    const offNats = this.nats.subscribe((batch) => {
      for (const m of batch.messages) this.learn(m);
      listener(batch);
    });
    const offProm = this.prometheus.subscribe((batch) => {
      const messages = batch.messages.flatMap((m) => this.fill(m));
      if (messages.length > 0) listener({ ...batch, messages });
    });
    return () => {
      offNats();
      offProm();
    };
  }

  subscribeStatus(listener: () => void): () => void {
    const a = this.nats.subscribeStatus(listener);
    const b = this.prometheus.subscribeStatus(listener);
    return () => {
      a();
      b();
    };
  }

  start(): void {
    this.nats.start();
    this.timers.push(this.scheduler.setTimer(() => this.startFilling(), FILL_AT_LATEST_MS));
    const watch = () => {
      if (this.nats.status.presence.state !== 'live' || this.offStatus === undefined) return;
      this.offStatus();
      this.offStatus = undefined;
      this.timers.push(this.scheduler.setTimer(() => this.startFilling(), FILL_AFTER_LIVE_MS));
    };
    this.offStatus = this.nats.subscribeStatus(watch);
    watch();
  }

  stop(): void {
    for (const cancel of this.timers) cancel();
    this.timers = [];
    this.offStatus?.();
    this.offStatus = undefined;
    this.filling = false;
    this.nats.stop();
    this.prometheus.stop();
  }

  private startFilling(): void {
    if (this.filling) return;
    this.filling = true;
    this.prometheus.start();
  }

  private learn(m: WireMessage): void {
    this.natsNodes.add(`${m.cluster}/${m.node}`);
    if (m.type !== 'inventory') return;
    for (const d of m.devices) {
      this.natsDevices.add(d.id);
      if (d.uuid) this.natsDevices.add(d.uuid);
    }
  }

  /** What Prometheus adds: nothing for a NATS node, and no device NATS reports elsewhere. */
  private fill(m: WireMessage): WireMessage[] {
    if (this.natsNodes.has(`${m.cluster}/${m.node}`)) return [];
    const known = (id: string | undefined) => id !== undefined && this.natsDevices.has(id);
    if (m.type === 'inventory') {
      const devices = m.devices.filter((d) => !known(d.id) && !known(d.uuid));
      const out: InventoryMessage = devices.length === m.devices.length ? m : { ...m, devices };
      return [out];
    }
    if (m.type === 'metrics') {
      const samples = m.samples.filter((s) => !known(s.d));
      if (samples.length === 0) return [];
      return [samples.length === m.samples.length ? m : { ...m, samples }];
    }
    return [m];
  }
}
