/**
 * A connection with both NATS and Prometheus (issue 12): NATS gives the live edge, and the fleet
 * read from Prometheus (PrometheusFleetSource) fills in the nodes and devices no agent reports,
 * never the same device twice. A node NATS has spoken for is NATS's alone; a device NATS reports
 * (by id or UUID) under another node name is dropped from Prometheus's messages too. The status is
 * the NATS source's (its presence is the connection's), with Prometheus's problems beside it.
 */
import type { InventoryMessage, WireMessage } from '../../../collector/core/protocol/spec.js';
import type { BatchListener, Source, SourceStatus } from './Source.js';

export class PrometheusFill implements Source {
  readonly kind = 'connection' as const;
  private readonly natsNodes = new Set<string>();
  private readonly natsDevices = new Set<string>();
  private cached: { nats: SourceStatus; prom: SourceStatus; merged: SourceStatus } | undefined;

  constructor(
    private readonly nats: Source,
    private readonly prometheus: Source,
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
    this.prometheus.start();
  }

  stop(): void {
    this.nats.stop();
    this.prometheus.stop();
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
