/**
 * A cluster connection over NATS WebSocket (`wsconnect`): subscribes to one cluster's subjects
 * (osprey.v1.*.<cluster>.*) or every cluster's (osprey.v1.>), plus Eagle Eye's per-step engine
 * stats when the connection asks for them. Each message is decoded and checked against its
 * subject; bad ones are counted as problems, grouped so a flood reads as one line with a count.
 *
 * Presence follows the client: connecting → live; on a lost connection `reconnecting` at once
 * (the client's status iterator says "disconnect" before any retry), and back to live only when
 * it says "reconnect". A first connection that fails is retried here with backoff, since the
 * client retries only connections that once worked; refused credentials stop for good.
 *
 * The last receive time of every node is kept (lastReceivedAt), so views can fade what has
 * stopped arriving; nothing here ever re-delivers an old value as new.
 *
 * Under a flood the page stays responsive and bounded: new nodes are admitted at a limited rate
 * per connection (NodeAdmission), checked on the subject before anything is decoded; messages wait
 * raw in a bounded queue and are decoded in short slices (IngestQueue), each batch saying what
 * still waits (SourceBatch.backlog).
 */
import { wsconnect, type Status } from '@nats-io/nats-core';

import { DEFAULT_EAGLE_EYE_MAPPING } from '../../../collector/core/eagleEye/mapping.js';
import type { ConnectionConfig } from '../../../collector/core/connections/schema.js';
import { guarded, thrownText } from '../../../collector/core/guarded.js';
import { CaptureError } from '../../../collector/core/protocol/profileCapture.js';
import {
  EVENT_HISTORY_MAX_MESSAGES,
  EVENT_HISTORY_WINDOW_MS,
  eventsMessageKey,
} from '../../../collector/core/protocol/eventStream.js';
import { requestProfile } from '../../../collector/core/protocol/profileRequester.js';
import type {
  EventsMessage,
  InventoryMessage,
  WireMessage,
} from '../../../collector/core/protocol/spec.js';
import {
  ALL_CLUSTERS_SUBSCRIPTION,
  clusterSubscription,
  EAGLE_EYE_SUBJECT,
  isRequestSubject,
  parseSubject,
  subjectToken,
} from '../../../collector/core/protocol/subjects.js';
import { MAX_INVENTORY_BYTES, MAX_NODES as MAX_STORE_NODES } from '../store/budget.js';
import { backoffDelay } from './backoff.js';
import { EagleEyeFeed } from './eagleEye/EagleEyeFeed.js';
import type {
  EventHistoryReader,
  HistoryOutcome,
} from '../../../collector/core/protocol/eventHistoryReader.js';
import { browserScheduler, type FrameScheduler } from './FrameBatcher.js';
import { IngestQueue, type QueueLimits, type SliceBudget } from './IngestQueue.js';
import { authenticatorFor, isAuthFailure } from './natsAuth.js';
import {
  natsOptions,
  type NatsClientLike,
  type NatsConnector,
  type NatsMsgLike,
  type SecretProvider,
} from './natsClient.js';
import { checkNatsMessage } from './natsMessages.js';
import { statusEffect } from './natsStatus.js';
import { NodeAdmission } from './NodeAdmission.js';
import { ProblemTally } from './ProblemTally.js';
import type {
  AnyCaptureRequest,
  CaptureCall,
  CapturedProfile,
  CaptureTarget,
  ProfileCapturing,
} from './profileCapture.js';
import type { Backlog, BatchListener, Source, SourceStatus } from './Source.js';
import { StatusKeeper } from './StatusKeeper.js';

export type { NatsClientLike, NatsConnector, NatsMsgLike, SecretProvider };

export interface NatsSourceOptions {
  connection: ConnectionConfig;
  /**
   * The secret, or how to get it from the platform: asked at every connection attempt (so a
   * secret fixed meanwhile is picked up), and held only by the client's authenticator.
   */
  secret: SecretProvider | string | null;
  connect?: NatsConnector;
  scheduler?: FrameScheduler;
  now?: () => number;
  random?: () => number;
  /** How long Eagle Eye steps are gathered before they are drawn (ms). */
  eagleEyeWindowMs?: number;
  /** Monotonic clock (ms) that measures decoding slices; performance.now by default. */
  clock?: () => number;
  /** New nodes admitted per second and in a burst (store/budget.ts has the defaults). */
  admission?: { perSecond?: number; burst?: number };
  queue?: Partial<QueueLimits>;
  slice?: Partial<SliceBudget>;
  /**
   * Reads recent events back from JetStream on connect and after each reconnect (eventHistory.ts);
   * without it (unit tests' fake clients) there is no history and no status for it.
   */
  eventHistory?: EventHistoryReader;
}

/**
 * Events messages remembered (by sender, seq and stamp) to drop the copy that arrives both live
 * and from the stream: the history bound plus room for what arrives live meanwhile.
 */
const SEEN_EVENTS = 2 * EVENT_HISTORY_MAX_MESSAGES;

/** After a reconnect, history is read from this long before the link dropped (clock jitter). */
const RECONNECT_OVERLAP_MS = 60_000;

/**
 * Nodes remembered for ages and inventories, least recently heard forgotten first: a hostile
 * publisher must not grow them forever.
 */
export const MAX_NODES = 2 * MAX_STORE_NODES;

interface RawMessage {
  subject: string;
  data: Uint8Array;
}

export class NatsSource implements Source, ProfileCapturing {
  readonly kind = 'connection' as const;
  readonly id: string;
  readonly displayName: string;
  readonly subject: string;
  private readonly keeper: StatusKeeper;
  private readonly tally: ProblemTally;
  private readonly listeners = new Set<BatchListener>();
  private readonly queue: IngestQueue<RawMessage>;
  private readonly admission: NodeAdmission;
  /** Decoded in the current slice, handed over at its end. */
  private slice: WireMessage[] = [];
  private lastBacklog = 0;
  private droppedUnread = 0;
  /** Raw bytes of each cached inventory, bounded in total by MAX_INVENTORY_BYTES. */
  private readonly inventorySizes = new Map<string, number>();
  private inventoryBytes = 0;
  private pendingDelivery: (() => void) | undefined;
  private readonly scheduler: FrameScheduler;
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly connector: NatsConnector;
  private readonly receivedAt = new Map<string, number>();
  private readonly inventories = new Map<string, InventoryMessage>();
  private readonly problemNodes = new Map<string, Set<string>>();
  private readonly eagleEye: EagleEyeFeed | undefined;
  private client: NatsClientLike | undefined;
  private cancelRetry: (() => void) | undefined;
  private attempt = 0;
  /** Whether a connection ever succeeded: until then a failed attempt is still "connecting". */
  private everLive = false;
  private generation = 0;
  private running = false;
  /** Keys of events messages handed over (live or from history), oldest first. */
  private readonly seenEvents = new Set<string>();
  /** Local time the link last dropped, for reading what was missed once it is back. */
  private droppedAt: number | undefined;

  constructor(private readonly opts: NatsSourceOptions) {
    const { connection } = opts;
    this.id = connection.id;
    this.displayName = connection.name;
    this.now = opts.now ?? Date.now;
    this.random = opts.random ?? Math.random;
    this.scheduler = opts.scheduler ?? browserScheduler;
    this.connector = opts.connect ?? wsconnect;
    this.subject =
      connection.cluster === undefined
        ? ALL_CLUSTERS_SUBSCRIPTION
        : clusterSubscription(connection.cluster);
    this.keeper = new StatusKeeper(this.now);
    this.tally = new ProblemTally(this.keeper, this.scheduler);
    this.admission = new NodeAdmission({ now: this.now, ...opts.admission });
    this.queue = new IngestQueue<RawMessage>({
      scheduler: this.scheduler,
      now: this.now,
      ...(opts.clock ? { clock: opts.clock } : {}),
      ...(opts.queue ? { limits: opts.queue } : {}),
      ...(opts.slice ? { slice: opts.slice } : {}),
      process: (raw, bytes) => this.decode(raw, bytes),
      endSlice: (backlog) => this.deliver(backlog),
      dropped: (raw) => this.droppedWhileBehind(raw),
    });
    if (connection.eagleEye?.enabled) {
      this.eagleEye = new EagleEyeFeed({
        mapping: connection.eagleEye.mapping ?? DEFAULT_EAGLE_EYE_MAPPING,
        cluster: connection.cluster ?? 'eagle-eye',
        windowMs: opts.eagleEyeWindowMs ?? 500,
        scheduler: this.scheduler,
        now: this.now,
        deliver: (messages) => {
          // Eagle Eye names its nodes in the body: they are admitted like subjects' nodes.
          for (const m of messages) {
            if (this.admission.admit(`${subjectToken(m.cluster)}.${subjectToken(m.node)}`)) {
              this.accept(m);
            } else this.tally.add('admission', this.admission.problem);
          }
          this.scheduleDelivery();
        },
        problem: (key, message) => this.tally.add(key, message),
      });
    }
  }

  get status(): SourceStatus {
    return this.keeper.status;
  }

  /** Prometheus-only connections have none; start() refuses them before any use of this. */
  private get natsUrl(): string {
    return this.opts.connection.natsUrl ?? '';
  }

  /**
   * A profile from the node's agent over NATS request/reply (osprey.v1.profile.<cluster>.<node>):
   * answered by agents started with --allow-profiling, refused by name otherwise. Progress is
   * the time since asking (a NATS request has one answer).
   */
  captureProfile(
    target: CaptureTarget,
    request: AnyCaptureRequest,
    call: CaptureCall = {},
  ): Promise<CapturedProfile> {
    const client = this.client;
    if (!client?.request) {
      return Promise.reject(
        new CaptureError(
          'unreachable',
          `not connected to ${this.natsUrl}: cannot ask ${target.node}`,
        ),
      );
    }
    const ask = client.request.bind(client);
    return requestProfile({
      cluster: target.cluster,
      node: target.node,
      request,
      send: async (subject, data, timeoutMs) =>
        (await ask(subject, data, { timeout: timeoutMs })).data,
      signal: call.signal,
      onProgress: call.onProgress,
      now: this.now,
      every: (ms, tick) => {
        let cancel = (): void => {};
        const again = (): void => {
          tick();
          cancel = this.scheduler.setTimer(again, ms);
        };
        cancel = this.scheduler.setTimer(again, ms);
        return () => cancel();
      },
    });
  }

  /** Messages received and not decoded yet. */
  get backlog(): Backlog {
    return this.queue.backlog;
  }

  /** Distinct nodes heard from since the source started (at most MAX_NODES remembered). */
  get nodeCount(): number {
    return this.receivedAt.size;
  }

  /** Local time (ms) of the newest message from a node, for fading what stopped arriving. */
  lastReceivedAt(cluster: string, node: string): number | undefined {
    return this.receivedAt.get(nodeKey(cluster, node));
  }

  /**
   * A listener that joins late gets every node's latest inventory first: nodes publish it only
   * when it changes, so without this a view opened later would never learn the devices.
   */
  subscribe(listener: BatchListener): () => void {
    this.listeners.add(listener);
    if (this.inventories.size > 0) {
      const cancel = this.scheduler.requestFrame(() => {
        if (!this.listeners.has(listener)) return;
        listener({ messages: [...this.inventories.values()], receivedAt: this.now() });
      });
      return () => {
        cancel();
        this.listeners.delete(listener);
      };
    }
    return () => this.listeners.delete(listener);
  }

  subscribeStatus(listener: () => void): () => void {
    return this.keeper.subscribe(listener);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.attempt = 0;
    if (this.opts.connection.natsUrl === undefined) {
      this.fail('this connection has no NATS URL (it has Prometheus history only)');
      return;
    }
    this.keeper.setPresence('connecting', `connecting to ${this.natsUrl}`);
    void this.open();
  }

  stop(): void {
    this.running = false;
    this.generation += 1;
    this.cancelRetry?.();
    this.cancelRetry = undefined;
    this.queue.clear();
    this.slice = [];
    this.tally.flush();
    this.eagleEye?.clear();
    const client = this.client;
    this.client = undefined;
    void client?.close().catch(() => undefined);
    this.keeper.setPresence('closed');
  }

  private async open(): Promise<void> {
    const generation = ++this.generation;
    this.cancelRetry = undefined;
    const { connection } = this.opts;
    let authenticator: ReturnType<typeof authenticatorFor>;
    try {
      authenticator = authenticatorFor(connection, await this.secret());
    } catch (error) {
      if (generation === this.generation && this.running) this.fail((error as Error).message);
      return;
    }
    if (generation !== this.generation || !this.running) return;
    let client: NatsClientLike;
    try {
      client = await this.connector(natsOptions(this.natsUrl, authenticator));
    } catch (error) {
      if (generation !== this.generation || !this.running) return;
      this.connectFailed(error);
      return;
    }
    if (generation !== this.generation || !this.running) {
      void client.close().catch(() => undefined);
      return;
    }
    this.client = client;
    this.attempt = 0;
    this.listen(client);
    this.everLive = true;
    this.keeper.setPresence('live');
    void this.readHistory(client, generation, this.now() - EVENT_HISTORY_WINDOW_MS, true);
    void this.watchStatus(client);
    void client.closed().then((error) => this.onClosed(client, error));
  }

  private async secret(): Promise<string | null> {
    const { secret, connection } = this.opts;
    if (typeof secret !== 'function') return secret;
    if (connection.auth === 'none') return null;
    try {
      return await secret();
    } catch (error) {
      throw new Error(`cannot get the secret of "${connection.name}": ${(error as Error).message}`);
    }
  }

  private listen(client: NatsClientLike): void {
    client.subscribe(this.subject, {
      callback: this.guard(
        `a message on ${this.subject}`,
        (err: Error | null, msg: NatsMsgLike) => {
          if (err) this.subscriptionFailed(this.subject, err);
          else this.onMessage(msg);
        },
      ),
    });
    if (!this.eagleEye) return;
    const feed = this.eagleEye;
    client.subscribe(EAGLE_EYE_SUBJECT, {
      callback: this.guard(
        `a message on ${EAGLE_EYE_SUBJECT}`,
        (err: Error | null, msg: NatsMsgLike) => {
          if (err) this.subscriptionFailed(EAGLE_EYE_SUBJECT, err);
          else feed.receive(msg.data);
        },
      ),
    });
  }

  /**
   * A handler nats.js calls (a subscription callback, a status loop body): a throw in it would
   * end this connection's reader, so it is counted as a problem and the next message is read.
   */
  private guard<A extends unknown[]>(what: string, handle: (...args: A) => void) {
    return guarded(handle, (error) =>
      this.tally.add(`handler:${what}`, `${what} could not be handled: ${thrownText(error)}`),
    );
  }

  /**
   * In the client's callback: only what a subject tells (which node, which kind), so a flood
   * costs little here; decoding waits for a slice.
   */
  private onMessage(msg: NatsMsgLike): void {
    // Profile requests to a node's agent match the cluster's wildcard too; they are not data.
    if (isRequestSubject(msg.subject)) return;
    const parts = parseSubject(msg.subject);
    if (parts !== undefined && !this.admission.admit(`${parts.cluster}.${parts.node}`)) {
      this.tally.add('admission', this.admission.problem);
      return;
    }
    this.queue.push(
      { subject: msg.subject, data: msg.data },
      msg.data.byteLength,
      parts === undefined || parts.type === 'metrics',
    );
  }

  private decode(raw: RawMessage, bytes: number): void {
    const verdict = checkNatsMessage(raw.subject, raw.data);
    if (verdict.ok) {
      this.accept(verdict.message, bytes);
      return;
    }
    let nodes = this.problemNodes.get(verdict.key);
    if (!nodes) this.problemNodes.set(verdict.key, (nodes = new Set()));
    if (verdict.node !== undefined && nodes.size < MAX_NODES) nodes.add(verdict.node);
    const from = nodes.size > 1 ? ` (from ${nodes.size} nodes)` : '';
    this.tally.add(verdict.key, `messages dropped: ${verdict.message}${from}`);
  }

  private accept(message: WireMessage, bytes = 0): void {
    if (message.type === 'events' && !this.firstSeen(message)) return;
    const key = nodeKey(message.cluster, message.node);
    // Re-inserted, so the first key is always the node heard least recently.
    this.receivedAt.delete(key);
    if (this.receivedAt.size >= MAX_NODES) this.forget(this.receivedAt.keys().next().value!);
    this.receivedAt.set(key, this.now());
    if (message.type === 'inventory') this.cacheInventory(key, message, bytes);
    this.slice.push(message);
  }

  /** Whether this events message is new here (not already received live or from history). */
  private firstSeen(message: EventsMessage): boolean {
    const key = eventsMessageKey(message);
    if (this.seenEvents.has(key)) return false;
    this.seenEvents.add(key);
    if (this.seenEvents.size > SEEN_EVENTS) {
      this.seenEvents.delete(this.seenEvents.values().next().value!);
    }
    return true;
  }

  /**
   * Events stored in JetStream since `since` (local ms), handed over as one `stored` batch: on
   * connect the last 24 h, after a reconnect what the outage missed. `initial` sets the status
   * line; a later read only adds what it finds.
   */
  private async readHistory(
    client: NatsClientLike,
    generation: number,
    since: number,
    initial: boolean,
  ): Promise<void> {
    const read = this.opts.eventHistory;
    if (!read) return;
    if (initial) this.keeper.setEventHistory({ state: 'loading', since });
    let outcome: HistoryOutcome;
    try {
      outcome = await read(client, {
        cluster: this.opts.connection.cluster,
        sinceMs: since,
        maxMessages: EVENT_HISTORY_MAX_MESSAGES,
      });
    } catch (error) {
      outcome = { kind: 'unavailable', reason: thrownText(error) };
    }
    if (generation !== this.generation || !this.running) return;
    if (outcome.kind === 'unavailable') {
      if (initial) this.keeper.setEventHistory({ state: 'unavailable', reason: outcome.reason });
      // After a reconnect: a problem only where history worked before (else the header says so).
      else if (this.keeper.status.eventHistory?.state === 'loaded') {
        this.tally.add('history', `events missed while disconnected: ${outcome.reason}`);
      }
      return;
    }
    const messages: EventsMessage[] = [];
    for (const raw of outcome.messages) {
      const verdict = checkNatsMessage(raw.subject, raw.data);
      if (!verdict.ok) {
        this.tally.add(`history:${verdict.key}`, `stored event dropped: ${verdict.message}`);
        continue;
      }
      const m = verdict.message;
      if (m.type === 'events' && this.firstSeen(m)) messages.push(m);
    }
    if (initial) {
      this.keeper.setEventHistory({
        state: 'loaded',
        since: outcome.from,
        count: messages.length,
        total: outcome.total,
      });
    }
    if (messages.length === 0) return;
    const batch = { messages, receivedAt: this.now(), stored: true };
    for (const listener of this.listeners) listener(batch);
  }

  /** The latest inventory of every node, for late listeners; the oldest go past the bound. */
  private cacheInventory(key: string, message: InventoryMessage, bytes: number): void {
    this.inventoryBytes -= this.inventorySizes.get(key) ?? 0;
    this.inventories.delete(key);
    this.inventories.set(key, message);
    this.inventorySizes.set(key, bytes);
    this.inventoryBytes += bytes;
    while (this.inventoryBytes > MAX_INVENTORY_BYTES && this.inventories.size > 1) {
      this.forgetInventory(this.inventories.keys().next().value!);
    }
  }

  private forget(key: string): void {
    this.receivedAt.delete(key);
    this.forgetInventory(key);
  }

  private forgetInventory(key: string): void {
    this.inventoryBytes -= this.inventorySizes.get(key) ?? 0;
    this.inventorySizes.delete(key);
    this.inventories.delete(key);
  }

  /** The end of a slice: what it decoded, and what still waits, to every listener. */
  private deliver(backlog: Backlog): void {
    const messages = this.slice;
    // A slice that decoded nothing still tells the store the backlog moved (to zero, say).
    if (messages.length === 0 && backlog.messages === this.lastBacklog) return;
    this.slice = [];
    this.lastBacklog = backlog.messages;
    const batch = { messages, receivedAt: this.now(), backlog };
    for (const listener of this.listeners) listener(batch);
  }

  /** Eagle Eye's messages arrive outside a slice: the next frame hands them over. */
  private scheduleDelivery(): void {
    if (this.pendingDelivery) return;
    const run = () => {
      this.pendingDelivery?.();
      this.pendingDelivery = undefined;
      this.deliver(this.queue.backlog);
    };
    const cancelFrame = this.scheduler.requestFrame(run);
    const cancelTimer = this.scheduler.setTimer(run, 1000);
    this.pendingDelivery = () => {
      cancelFrame();
      cancelTimer();
    };
  }

  private droppedWhileBehind(raw: RawMessage): void {
    this.droppedUnread += 1;
    const kind = parseSubject(raw.subject)?.type ?? 'unknown';
    this.tally.add('queue', droppedUnreadText(this.droppedUnread, kind, this.queue.limits));
  }

  private async watchStatus(client: NatsClientLike): Promise<void> {
    const onStatus = this.guard('a connection status event', (s: Status) => {
      const effect = statusEffect(s, this.natsUrl, this.subject);
      if (effect === undefined) return;
      if ('problem' in effect) {
        this.tally.add(effect.problem, effect.message);
        return;
      }
      if (effect.flush) this.queue.runSlice();
      this.keeper.setPresence(effect.presence, effect.message);
      if (s.type === 'disconnect') this.droppedAt ??= this.now();
      if (s.type === 'reconnect' && this.droppedAt !== undefined) {
        const since = this.droppedAt - RECONNECT_OVERLAP_MS;
        this.droppedAt = undefined;
        void this.readHistory(client, this.generation, since, false);
      }
    });
    for await (const s of client.status()) {
      if (client !== this.client) return;
      onStatus(s);
    }
  }

  private onClosed(client: NatsClientLike, error: void | Error): void {
    if (client !== this.client || !this.running) return;
    this.client = undefined;
    // Whatever arrived before the close is still good data: the slices go on.
    if (error && isAuthFailure(error)) {
      this.fail(`authentication failed: ${error.message}`);
      return;
    }
    this.connectFailed(error ?? new Error('the connection closed'));
  }

  private connectFailed(error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    if (isAuthFailure(error)) {
      this.fail(`authentication failed: ${message}`);
      return;
    }
    const delay = backoffDelay(this.attempt++, this.random);
    // "Reconnecting" promises there was a connection: a server never reached is still connecting.
    this.keeper.setPresence(
      this.everLive ? 'reconnecting' : 'connecting',
      `cannot reach ${this.natsUrl} (${message}); retrying in ${Math.max(1, Math.round(delay / 1000))} s`,
      true,
    );
    this.cancelRetry = this.scheduler.setTimer(() => {
      if (this.running) void this.open();
    }, delay);
  }

  private subscriptionFailed(subject: string, err: Error): void {
    const message = `cannot subscribe to ${subject}: ${err.message}`;
    if (subject === this.subject) this.fail(message);
    else this.tally.add(`subscribe:${subject}`, message);
  }

  private fail(message: string): void {
    this.running = false;
    this.generation += 1;
    this.cancelRetry?.();
    this.tally.flush();
    const client = this.client;
    this.client = undefined;
    void client?.close().catch(() => undefined);
    this.keeper.setPresence('error', message);
  }
}

/** "37 messages dropped unread (latest: metrics): more than 16,384 messages or 32 MiB waiting…" */
export function droppedUnreadText(n: number, kind: string, limits: QueueLimits): string {
  const what = `${n.toLocaleString('en')} ${n === 1 ? 'message' : 'messages'}`;
  const mib = Math.round(limits.maxBytes / (1024 * 1024));
  return `${what} dropped unread (latest: ${kind}): more than ${limits.maxMessages.toLocaleString('en')} messages or ${mib} MiB waiting, the console fell behind; oldest metrics go first`;
}

function nodeKey(cluster: string, node: string): string {
  return `${cluster}\u0000${node}`;
}

/** A source for a connection, over the browser's WebSocket. */
export function createNatsSource(
  connection: ConnectionConfig,
  secret: SecretProvider | string | null,
): NatsSource {
  return new NatsSource({ connection, secret });
}
