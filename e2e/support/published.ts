/**
 * What a simulated cluster published, as a spec receives it itself on NATS: every node's devices
 * (from its inventories), its latest metrics message and, for the nodes a spec names, every
 * metrics message; every event. Specs check the page against these, never against the page.
 *
 * Every node's metrics are kept only while a test asks (watchAllMetrics), as raw bytes parsed on
 * demand: 512 nodes at 2 Hz is ~1,000 messages a second, and taking them all the time in the test
 * process would cost CPU the browser needs to keep up (fleet.spec.ts).
 */
import type { Msg, NatsConnection, Subscription } from '@nats-io/transport-node';

import { metricsSamples } from '../../collector/core/protocol/grids.js';
import type {
  DeviceInfo,
  EventRecord,
  EventsMessage,
  InventoryMessage,
  MetricsMessage,
  Sample,
} from '../../collector/core/protocol/spec.js';
import {
  parseSubject,
  SUBJECT_PREFIX,
  subjectFor,
  subjectToken,
} from '../../collector/core/protocol/subjects.js';

const decoder = new TextDecoder();

/** `osprey.v1.<type>.<cluster>.*`: one message type of every node. */
function everyNode(type: string, cluster: string): string {
  return `${SUBJECT_PREFIX}.${type}.${subjectToken(cluster)}.*`;
}

export interface PublishedEvent extends EventRecord {
  node: string;
  /** Wall time this process received the message (Date.now()). */
  receivedAt: number;
}

export class Published {
  /** Every device a node's inventories ever listed, by id (a device lost later stays here). */
  readonly devices = new Map<string, Map<string, DeviceInfo>>();
  /** The devices of each node's latest inventory. */
  readonly latestInventory = new Map<string, DeviceInfo[]>();
  readonly events: PublishedEvent[] = [];
  private readonly latestMetrics = new Map<string, Uint8Array>();
  private readonly history = new Map<string, MetricsMessage[]>();
  private readonly subs: Subscription[] = [];
  private allMetrics: Subscription | undefined;

  /**
   * Subscribes to `cluster`'s inventories and events, and to the metrics of the `watched` nodes
   * (each keeps its last `keep` messages); every node's metrics only between watchAllMetrics()
   * and stopAllMetrics().
   */
  constructor(
    private readonly nc: NatsConnection,
    private readonly cluster: string,
    watched: readonly string[] = [],
    private readonly keep = 120,
  ) {
    this.subs.push(
      nc.subscribe(everyNode('inventory', cluster), {
        callback: (_err, msg) => this.onInventory(msg),
      }),
      nc.subscribe(everyNode('events', cluster), { callback: (_err, msg) => this.onEvents(msg) }),
    );
    for (const node of watched) {
      const list: MetricsMessage[] = [];
      this.history.set(node, list);
      this.subs.push(
        nc.subscribe(subjectFor('metrics', cluster, node), {
          callback: (_err, msg) => {
            list.push(msg.json<MetricsMessage>());
            if (list.length > this.keep) list.shift();
          },
        }),
      );
    }
  }

  /** From now on keeps every node's latest metrics message (as bytes, parsed by latest()). */
  watchAllMetrics(): void {
    if (this.allMetrics) return;
    this.allMetrics = this.nc.subscribe(everyNode('metrics', this.cluster), {
      callback: (_err, msg) => {
        const parts = parseSubject(msg.subject);
        if (parts) this.latestMetrics.set(parts.node, msg.data);
      },
    });
  }

  stopAllMetrics(): void {
    this.allMetrics?.unsubscribe();
    this.allMetrics = undefined;
    this.latestMetrics.clear();
  }

  private onInventory(msg: Msg): void {
    const inv = msg.json<InventoryMessage>();
    const known = this.devices.get(inv.node) ?? new Map<string, DeviceInfo>();
    for (const d of inv.devices) known.set(d.id, d);
    this.devices.set(inv.node, known);
    this.latestInventory.set(inv.node, inv.devices);
  }

  private onEvents(msg: Msg): void {
    const ev = msg.json<EventsMessage>();
    const receivedAt = Date.now();
    for (const e of ev.events) this.events.push({ ...e, node: ev.node, receivedAt });
  }

  /** The metrics messages kept for a watched node, oldest first. */
  metricsOf(node: string): readonly MetricsMessage[] {
    const list = this.history.get(node);
    if (!list) throw new Error(`${node} is not a watched node`);
    return list;
  }

  /** Every node's latest metrics message, parsed now. */
  latest(): Map<string, MetricsMessage> {
    const out = new Map<string, MetricsMessage>();
    for (const [node, data] of this.latestMetrics) {
      out.set(node, JSON.parse(decoder.decode(data)) as MetricsMessage);
    }
    return out;
  }

  /** Nodes whose metrics watchAllMetrics() has heard. */
  get metricsNodes(): number {
    return this.latestMetrics.size;
  }

  /** Every device of the inventories, with its node. */
  allDevices(): Array<DeviceInfo & { node: string }> {
    const out: Array<DeviceInfo & { node: string }> = [];
    for (const [node, devices] of this.devices) {
      for (const d of devices.values()) out.push({ ...d, node });
    }
    return out;
  }

  unsubscribe(): void {
    this.stopAllMetrics();
    for (const sub of this.subs) sub.unsubscribe();
  }
}

/** A sample of `message` for a metric and a device, or undefined. */
export function sampleOf(
  message: MetricsMessage,
  metric: string,
  device: string,
): Sample | undefined {
  return metricsSamples(message).find((s) => s.m === metric && s.d === device);
}
