/**
 * Event history in JetStream (issue 14): node agents keep every events message in the stream
 * OSPREY_EVENTS when the NATS server has JetStream, and a console that connects later reads the
 * last hours back from it, so a fault published while no console was connected is not lost.
 *
 * The agent publishes events on NATS core exactly as before (`osprey.v1.events.<cluster>.<node>`);
 * the stream's subject filter captures those publishes, so live subscribers and the stream get the
 * same message from one publish and nothing is stored twice
 * (https://docs.nats.io/nats-concepts/jetstream/streams: a stream stores the messages published
 * on its subjects, by core or JetStream publish alike).
 */
import { SUBJECT_PREFIX, subjectToken } from './subjects.js';
import type { EventsMessage } from './spec.js';

export const EVENTS_STREAM = 'OSPREY_EVENTS';

/** Every cluster's events: `osprey.v1.events.>`; subjectFor('events', c, n) falls under it. */
export const EVENTS_STREAM_SUBJECT = `${SUBJECT_PREFIX}.events.>`;

/** A week of faults is what an operator back from a long weekend needs to read. */
export const DEFAULT_EVENTS_MAX_AGE_MS = 7 * 24 * 3_600_000;

/**
 * 256 MiB: an events message is ~0.5–4 KB, so ~100,000 of them; the oldest go first when full
 * (discard old), so a storm costs history, never the server's disk.
 */
export const DEFAULT_EVENTS_MAX_BYTES = 256 * 1024 * 1024;

export interface EventStreamLimits {
  maxAgeMs: number;
  maxBytes: number;
}

export const DEFAULT_EVENT_STREAM_LIMITS: EventStreamLimits = {
  maxAgeMs: DEFAULT_EVENTS_MAX_AGE_MS,
  maxBytes: DEFAULT_EVENTS_MAX_BYTES,
};

/**
 * How far back a console reads on connect. A constant, not a connection setting: a day covers a
 * night away, and the stream keeps a week for whoever needs more (`nats stream view`).
 */
export const EVENT_HISTORY_WINDOW_MS = 24 * 3_600_000;

/**
 * At most this many events messages are read on connect, the newest ones: the store keeps far
 * fewer events anyway (LiveStore maxEvents: 500), so more would only cost the connect time.
 */
export const EVENT_HISTORY_MAX_MESSAGES = 10_000;

/** The stream subject a console reads: its cluster's events, or every cluster's. */
export function eventHistoryFilter(cluster: string | undefined): string {
  return cluster === undefined
    ? EVENTS_STREAM_SUBJECT
    : `${SUBJECT_PREFIX}.events.${subjectToken(cluster)}.*`;
}

/**
 * Identity of an events message across the live subscription and the stream: the same publish
 * arrives on both. `seq` counts per sender connection and restarts with the agent, so the sender's
 * stamp goes with it.
 */
export function eventsMessageKey(
  m: Pick<EventsMessage, 'cluster' | 'node' | 'seq' | 'ts'>,
): string {
  return `${m.cluster}\u0000${m.node}\u0000${m.seq}\u0000${m.ts}`;
}

const UNITS: [number, string][] = [
  [86_400_000, 'd'],
  [3_600_000, 'h'],
  [60_000, 'min'],
  [1000, 's'],
];

/** "7 d", "36 h", "90 s": the largest unit that divides the duration. */
export function formatRetention(ms: number): string {
  if (ms <= 0) return 'unlimited';
  for (const [unit, name] of UNITS) if (ms % unit === 0) return `${ms / unit} ${name}`;
  return `${ms} ms`;
}

/** "256 MiB", "1.5 GiB"; ≤0 is JetStream's "no limit". */
export function formatStreamBytes(n: number): string {
  if (n <= 0) return 'unlimited';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i += 1;
  }
  return `${Number.isInteger(v) ? v : v.toFixed(1)} ${units[i]}`;
}
