/**
 * Reads a cluster's recent events back from the JetStream stream OSPREY_EVENTS (eventStream.ts),
 * so a console that connects after a fault still shows it. Works over any NatsConnection (the
 * console's wsconnect, Node's TCP connect): @nats-io/jetstream runs in browsers and Node alike.
 *
 * An ordered consumer (ephemeral, in memory, no acks: https://docs.nats.io/using-nats/developer/
 * develop_jetstream/consumers#ordered-consumers) starts at the window's start time with the
 * cluster's subject as filter. Its info says how many messages match from there; when that is
 * more than the bound, the start moves later (boundedStart) so the newest ones are read, not the
 * oldest.
 */
import {
  jetstream,
  jetstreamManager,
  type Consumer,
  type JetStreamClient,
} from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';

import { EVENTS_STREAM, eventHistoryFilter } from './eventStream.js';

export interface HistoryRequest {
  /** The connection's cluster; undefined reads every cluster's events. */
  cluster: string | undefined;
  /** Window start (ms, local clock). */
  sinceMs: number;
  maxMessages: number;
  /** Per JetStream request and per wait for more messages (ms). */
  timeoutMs?: number;
}

export interface StoredMessage {
  subject: string;
  data: Uint8Array;
  /** When the server stored it (ms). */
  storedAt: number;
}

export type HistoryOutcome =
  | {
      kind: 'loaded';
      /** Where reading began (ms): the window start, or later when there was more than the bound. */
      from: number;
      messages: StoredMessage[];
      /** Matching messages in the whole window (more than messages.length when bounded). */
      total: number;
    }
  | { kind: 'unavailable'; reason: string };

/** How a console source reads history: readEventHistory, or a test's. */
export type EventHistoryReader = (client: unknown, req: HistoryRequest) => Promise<HistoryOutcome>;

const NO_JETSTREAM = 'the server has no JetStream';

function unavailableReason(error: unknown): string | undefined {
  const e = error as { name?: string; message?: string } | undefined;
  const text = `${e?.name ?? ''} ${e?.message ?? ''}`;
  if (/JetStreamNotEnabled|jetstream (is )?not enabled|no responders/i.test(text)) {
    return NO_JETSTREAM;
  }
  if (e?.name === 'StreamNotFoundError' || /stream not found/i.test(text)) {
    return `the server has JetStream but no stream ${EVENTS_STREAM} (no agent with event history has connected)`;
  }
  return undefined;
}

async function consumerFrom(
  js: JetStreamClient,
  filter: string,
  startMs: number,
): Promise<{ consumer: Consumer; pending: number }> {
  const consumer = await js.consumers.get(EVENTS_STREAM, {
    filter_subjects: filter,
    opt_start_time: new Date(startMs).toISOString(),
  });
  const info = await consumer.info(true);
  return { consumer, pending: info.num_pending };
}

/**
 * Where to read from so the newest `max` messages of [since, now] are read: the earliest start
 * with at most `max` messages after it is found to 1 s by halving (17 probes for 24 h), and the
 * read begins 1 s before it (more than `max`; the caller keeps the newest).
 */
async function boundedStart(
  js: JetStreamClient,
  filter: string,
  since: number,
  now: number,
  max: number,
  first: { consumer: Consumer; pending: number },
): Promise<{ consumer: Consumer; pending: number; from: number }> {
  let over = { ...first, from: since };
  let best: { consumer: Consumer; pending: number; from: number } | undefined;
  let hi = now;
  while (hi - over.from > 1000) {
    const mid = Math.round((over.from + hi) / 2);
    const probe = { ...(await consumerFrom(js, filter, mid)), from: mid };
    const replaced = probe.pending <= max ? best : over;
    if (probe.pending <= max) {
      best = probe;
      hi = mid;
    } else over = probe;
    if (replaced) void replaced.consumer.delete().catch(() => undefined);
  }
  // The second before `best` holds the rest up to `max`: read from there and keep the newest,
  // unless that second alone is a storm of more than twice the bound.
  if (!best || over.pending <= 2 * max) {
    if (best) void best.consumer.delete().catch(() => undefined);
    return over;
  }
  void over.consumer.delete().catch(() => undefined);
  return best;
}

export async function readEventHistory(
  nc: NatsConnection,
  req: HistoryRequest,
  now: () => number = Date.now,
): Promise<HistoryOutcome> {
  const timeout = req.timeoutMs ?? 5000;
  const filter = eventHistoryFilter(req.cluster);
  let js: JetStreamClient;
  let first: { consumer: Consumer; pending: number };
  try {
    // The manager's account check tells "no JetStream" apart from everything else in one request.
    await jetstreamManager(nc, { timeout });
    js = jetstream(nc, { timeout });
    first = await consumerFrom(js, filter, req.sinceMs);
  } catch (error) {
    const reason = unavailableReason(error);
    if (reason !== undefined) return { kind: 'unavailable', reason };
    throw error;
  }
  const total = first.pending;
  const start =
    total > req.maxMessages
      ? await boundedStart(js, filter, req.sinceMs, now(), req.maxMessages, first)
      : { ...first, from: req.sinceMs };
  const messages: StoredMessage[] = [];
  let left = start.pending;
  while (left > 0) {
    const batch = await start.consumer.fetch({
      max_messages: Math.min(left, 1000),
      expires: timeout,
    });
    let got = 0;
    for await (const m of batch) {
      got += 1;
      messages.push({ subject: m.subject, data: m.data, storedAt: m.time.getTime() });
      left = m.info.pending;
    }
    // Expired with nothing: what was pending went away meanwhile (limits, a purge).
    if (got === 0) break;
  }
  void start.consumer.delete().catch(() => undefined);
  const kept = messages.slice(-req.maxMessages);
  // Cut: the history starts where the kept messages do.
  const from = kept.length < messages.length ? kept[0]!.storedAt : start.from;
  return { kind: 'loaded', from, messages: kept, total };
}

/** The reader the console's NatsSource uses: its client is the NatsConnection wsconnect made. */
export const jetStreamHistory: EventHistoryReader = (client, req) =>
  readEventHistory(client as NatsConnection, req);
