/**
 * The collector as a NATS node agent: every wire message the Collector emits is published as JSON
 * on `osprey.v1.<type>.<cluster>.<node>`. Publishing never waits: while connected, nc.publish only
 * appends to nats.js's outbound buffer; while not, messages go to our own bounded PublishBuffer.
 * We keep our own buffer rather than rely on nats.js's, because nats.js buffers without a bound
 * while reconnecting and cannot say what it would drop. On reconnect the current inventory goes
 * first (consoles started meanwhile learn the node), then what was buffered, then an event with
 * what was dropped.
 */
import type { NatsConnection, Status } from '@nats-io/nats-core';

import type { Collector } from '../../agent/Collector.js';
import { guarded, thrownText } from '../../core/guarded.js';
import { subjectFor } from '../../core/protocol/subjects.js';
import type { EventStreamLimits } from '../../core/protocol/eventStream.js';
import type { EventRecord, WireMessage } from '../../core/protocol/spec.js';
import { connectNats, describeServers, type NatsClientOptions } from './connect.js';
import { ensureEventStream, eventHistoryStatus, type EventStreamResult } from './EventStream.js';
import { errorText, formatDrops, isRefusal, linkMessage, linkStatus } from './linkStatus.js';
import type { LinkPhase, LinkState } from './linkStatus.js';
import { PublishBuffer, type BufferedMessage, type BufferLimits } from './PublishBuffer.js';

/** The part of a NatsConnection the publisher uses (a fake one in unit tests). */
export type NatsLink = Pick<NatsConnection, 'publish' | 'status' | 'closed' | 'close' | 'flush'>;

export type CollectorPort = Pick<
  Collector,
  'subscribe' | 'currentInventory' | 'refreshInventory' | 'reportEvents' | 'addExtraStatus'
>;

export interface NatsPublisherOptions {
  collector: CollectorPort;
  client: NatsClientOptions;
  connect?: (opts: NatsClientOptions) => Promise<NatsLink>;
  buffer?: BufferLimits;
  /** wait between first-connect attempts; nats.js itself times reconnects after that */
  retryMs?: number;
  log?: (line: string) => void;
  now?: () => number;
  /**
   * Inventory is re-sent this often while connected (default 10 s): NATS keeps no history, and a
   * console that subscribes after the last change would otherwise never learn this node's devices.
   */
  inventoryRepeatMs?: number;
  /**
   * Keep events in the JetStream stream OSPREY_EVENTS (EventStream.ts): checked at every
   * (re)connect and every `recheckMs` (default 5 min, so a stream deleted meanwhile comes back).
   */
  eventHistory?: EventHistoryOptions;
}

export interface EventHistoryOptions {
  limits: EventStreamLimits;
  /** This agent's events subject (subjectFor('events', cluster, node)): the stream must take it. */
  subject: string;
  /** The JetStream side (a fake in unit tests); EventStream.ensureEventStream by default. */
  ensure?: (
    link: NatsLink,
    limits: EventStreamLimits,
    subject: string,
  ) => Promise<EventStreamResult>;
  recheckMs?: number;
}

export class NatsPublisher {
  readonly buffer: PublishBuffer;
  private readonly now: () => number;
  private readonly log: (line: string) => void;
  private readonly state: LinkState;
  private link: NatsLink | undefined;
  private stopped = false;
  private wake: (() => void) | undefined;
  private inventorySent = false;
  /** messages over the server's max_payload: dropped at once, whatever the link state */
  oversize = 0;
  /** Handlers that threw (each also logged); the loop they were in went on. */
  handlerFailures = 0;
  private readonly cleanups: (() => void)[] = [];
  /** The latest answer about the event stream, and since when it has been the same. */
  private history: { result: EventStreamResult | undefined; since: number } | undefined;
  private historyCheck: Promise<void> | undefined;
  /** A (re)connect happened while a check was in flight: check again when it ends. */
  private historyAgain = false;

  constructor(private readonly opts: NatsPublisherOptions) {
    this.buffer = new PublishBuffer(opts.buffer);
    this.now = opts.now ?? Date.now;
    this.log = opts.log ?? ((line) => process.stderr.write(`nats: ${line}\n`));
    this.state = {
      phase: 'connecting',
      since: this.now(),
      servers: describeServers(opts.client.servers),
      drops: this.buffer.peekDrops(),
      bufferLimitBytes: this.buffer.maxBytes,
    };
  }

  get phase(): LinkPhase {
    return this.state.phase;
  }

  /** Starts publishing and connecting in the background; never waits for the server. */
  start(): void {
    const c = this.opts.collector;
    this.cleanups.push(c.addExtraStatus(() => linkStatus(this.state)));
    this.cleanups.push(
      c.subscribe(this.guard('a message to publish', (m: WireMessage) => this.onMessage(m))),
    );
    const repeat = setInterval(
      this.guard('the inventory repeat', () => {
        const inventory = c.currentInventory();
        if (inventory && this.link && this.state.phase === 'connected') this.onMessage(inventory);
      }),
      this.opts.inventoryRepeatMs ?? 10_000,
    );
    repeat.unref();
    this.cleanups.push(() => clearInterval(repeat));
    if (this.opts.eventHistory) this.startHistory(this.opts.eventHistory);
    this.log(linkMessage(this.state));
    void this.connectLoop();
  }

  /** The latest answer about the event stream (undefined before the first, or without it). */
  get eventHistory(): EventStreamResult | undefined {
    return this.history?.result;
  }

  /** Resolves when the check of the event stream in flight (if any) is done. */
  async historySettled(): Promise<void> {
    await this.historyCheck;
  }

  private startHistory(opts: EventHistoryOptions): void {
    const history = { result: undefined as EventStreamResult | undefined, since: this.now() };
    this.history = history;
    this.cleanups.push(
      this.opts.collector.addExtraStatus(() => eventHistoryStatus(history.result, history.since)),
    );
    const recheck = setInterval(
      this.guard('the event stream check', () => {
        if (this.link && this.state.phase === 'connected') this.checkHistory(this.link);
      }),
      opts.recheckMs ?? 300_000,
    );
    recheck.unref();
    this.cleanups.push(() => clearInterval(recheck));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    for (const cleanup of this.cleanups.splice(0)) cleanup();
    const link = this.link;
    this.link = undefined;
    if (!link) return;
    // Give what is already written a moment to leave; a dead server must not hold up shutdown.
    await Promise.race([link.flush().catch(() => {}), sleep(1000)]);
    await link.close().catch(() => {});
  }

  private onMessage(message: WireMessage): void {
    const data = new TextEncoder().encode(JSON.stringify(message));
    const m = {
      type: message.type,
      subject: subjectFor(message.type, message.cluster, message.node),
      data,
    };
    if (this.state.phase === 'connected' && this.link) this.send(this.link, m);
    else this.buffer.push(m);
  }

  private send(link: NatsLink, m: BufferedMessage): void {
    try {
      link.publish(m.subject, m.data);
      if (m.type === 'inventory') this.inventorySent = true;
    } catch (error) {
      if ((error as Error).message.includes('max_payload')) {
        this.oversize += 1;
        this.log(`dropped a ${m.type} message of ${m.data.byteLength} bytes: ${errorText(error)}`);
      } else {
        this.buffer.push(m);
      }
    }
  }

  private async connectLoop(): Promise<void> {
    const connect = this.opts.connect ?? connectNats;
    while (!this.stopped) {
      try {
        const link = await connect(this.opts.client);
        if (this.stopped) {
          await link.close();
          return;
        }
        this.link = link;
        void this.watch(link);
        if (this.opts.eventHistory && this.history?.result === undefined) {
          // Until JetStream has answered once, messages stay in our buffer: the first events
          // (often a probe's findings at start) would otherwise go out before the stream exists
          // and be missing from history. Bounded, so a slow JetStream never holds publishing up.
          this.checkHistory(link);
          await Promise.race([this.historyCheck, sleep(HISTORY_FIRST_WAIT_MS)]);
          if (this.stopped || this.link !== link) return;
          this.onConnected(link, false);
        } else this.onConnected(link);
        return;
      } catch (error) {
        this.transition(isRefusal(error) ? 'refused' : 'unreachable', this.explain(error));
        const base = this.opts.retryMs ?? 2000;
        await new Promise<void>((resolve) => {
          this.wake = resolve;
          setTimeout(resolve, base + Math.random() * base).unref();
        });
      }
    }
  }

  private async watch(link: NatsLink): Promise<void> {
    void link.closed().then(
      this.guard('the connection closing', (error: void | Error) => {
        if (this.stopped || this.link !== link) return;
        this.link = undefined;
        this.transition('disconnected', error ? errorText(error) : 'connection closed');
        void this.connectLoop();
      }),
    );
    const onStatus = this.guard('a connection status event', (s: Status) => {
      if (s.type === 'disconnect') this.transition('disconnected', 'connection lost');
      else if (s.type === 'reconnect') this.onConnected(link);
      else if (s.type === 'error' && this.state.phase !== 'connected') {
        this.transition(isRefusal(s.error) ? 'refused' : 'disconnected', errorText(s.error));
      }
    });
    try {
      for await (const s of link.status()) {
        if (this.stopped || this.link !== link) return;
        onStatus(s);
      }
    } catch (error) {
      // The client's own iterator failing must not become an unhandled rejection (which ends a
      // Node process); publishing goes on, the closed() handler above still sees the end.
      this.handlerFailed('the connection status', error);
    }
  }

  /**
   * A handler nats.js or the collector calls: a throw in it would end the status loop (or the
   * collector's emit loop), so it is logged and counted, and the next call is handled.
   */
  private guard<A extends unknown[]>(what: string, handle: (...args: A) => void) {
    return guarded(handle, (error) => this.handlerFailed(what, error));
  }

  private handlerFailed(what: string, error: unknown): void {
    this.handlerFailures += 1;
    this.log(`handling ${what} failed (${this.handlerFailures} so far): ${thrownText(error)}`);
  }

  private onConnected(link: NatsLink, checkHistory = true): void {
    const drops = this.buffer.takeDrops();
    this.transition('connected', undefined, drops);
    if (checkHistory) this.checkHistory(link);
    // The refreshed inventory (saying we are back) is published by onMessage; if nothing
    // changed, the current one is sent explicitly so late consoles learn this node first.
    this.inventorySent = false;
    this.opts.collector.refreshInventory();
    const inventory = this.opts.collector.currentInventory();
    const held = this.buffer.drain().filter((m) => m.type !== 'inventory');
    if (!this.inventorySent && inventory) this.onMessage(inventory);
    for (const m of held) this.send(link, m);
    if (drops.messages > 0) {
      const event: EventRecord = {
        ts: this.now(),
        kind: 'nats',
        severity: 'warning',
        message: `reconnected to ${this.state.servers}; ${formatDrops(drops)} dropped while offline`,
      };
      this.opts.collector.reportEvents([event]);
    }
  }

  /** Asks JetStream about the event stream in the background; publishing never waits for it. */
  private checkHistory(link: NatsLink): void {
    const opts = this.opts.eventHistory;
    if (!opts || this.stopped) return;
    if (this.historyCheck) {
      this.historyAgain = true;
      return;
    }
    // The connection is a NatsConnection whenever the default connect made it; a test's fake link
    // comes with its own `ensure`.
    const ensure =
      opts.ensure ??
      ((l: NatsLink, limits: EventStreamLimits, subject: string) =>
        ensureEventStream(l as NatsConnection, limits, subject));
    this.historyCheck = ensure(link, opts.limits, opts.subject)
      .catch((error: unknown): EventStreamResult => ({ kind: 'error', reason: errorText(error) }))
      .then(this.guard('the event stream answer', (r: EventStreamResult) => this.historyIs(r)))
      .finally(() => {
        this.historyCheck = undefined;
        if (this.historyAgain && this.link && this.state.phase === 'connected') {
          this.historyAgain = false;
          this.checkHistory(this.link);
        }
      });
  }

  private historyIs(result: EventStreamResult): void {
    const history = this.history;
    if (!history || this.stopped) return;
    if (JSON.stringify(result) === JSON.stringify(history.result)) return;
    history.result = result;
    history.since = this.now();
    this.log(eventHistoryStatus(result, history.since).message!);
    // The inventory carries the status: consoles see the change now, not at the next tick.
    this.opts.collector.refreshInventory();
  }

  /**
   * With TLS 1.3 a server that wants a client certificate rejects it after the handshake, and
   * nats.js only sees a timeout (nats-server logs "client didn't provide a certificate").
   */
  private explain(error: unknown): string {
    const text = errorText(error);
    const tls = this.opts.client.tls;
    if (tls && !tls.certFile && /timeout/i.test(text)) {
      return `${text}; if the server requires client certificates, pass --nats-cert and --nats-key`;
    }
    return text;
  }

  private transition(phase: LinkPhase, reason?: string, drops = this.buffer.peekDrops()): void {
    const changed = phase !== this.state.phase || reason !== this.state.reason;
    if (phase !== this.state.phase) this.state.since = this.now();
    this.state.phase = phase;
    this.state.reason = reason;
    this.state.drops = drops;
    if (changed) this.log(linkMessage(this.state));
  }
}

/** The longest the first connection waits for JetStream's answer before publishing (ms). */
const HISTORY_FIRST_WAIT_MS = 3000;

const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, ms).unref());

export function createNatsPublisher(opts: NatsPublisherOptions): NatsPublisher {
  return new NatsPublisher(opts);
}
