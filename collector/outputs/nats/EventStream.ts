/**
 * The agent's side of event history (core/protocol/eventStream.ts): makes sure the stream
 * OSPREY_EVENTS exists when the server has JetStream, and says how it stands as the inventory's
 * `event-history` probe status. Events themselves are still published on NATS core
 * (NatsPublisher); the stream captures them from there.
 *
 * Many agents start at once and each tries: creating a stream with the same config is a no-op for
 * JetStream, a different config fails with 10058 "stream name already in use", and then the stream
 * that won is read and used as it is. A stream an operator changed (other limits) is never
 * changed back: the status names its limits and the ones this agent would have used.
 */
import type { NatsConnection } from '@nats-io/nats-core';
import { jetstreamManager, type StreamConfig, type StreamInfo } from '@nats-io/jetstream';

import {
  EVENTS_STREAM,
  EVENTS_STREAM_SUBJECT,
  formatRetention,
  formatStreamBytes,
  type EventStreamLimits,
} from '../../core/protocol/eventStream.js';
import type { ProbeStatus } from '../../core/protocol/spec.js';
import { errorText } from './linkStatus.js';

export const EVENT_HISTORY_PROBE = 'event-history';

/** JetStream API error codes (nats-server server/errors.json). */
const STREAM_NAME_IN_USE = 10058;

export type EventStreamResult =
  /** The stream exists and its subjects take this agent's events. */
  | { kind: 'stored'; limits: EventStreamLimits; asked: EventStreamLimits; subjects: string[] }
  /** The stream exists, but an operator gave it subjects that leave this agent's events out. */
  | { kind: 'not-covered'; subjects: string[] }
  /** The server (or this account) has no JetStream: live events only, as before. */
  | { kind: 'off'; reason: string }
  /** JetStream answered with an error (permissions, timeout, overlapping stream…). */
  | { kind: 'error'; reason: string };

const NANOS_PER_MS = 1_000_000;

export function streamConfig(limits: EventStreamLimits): Partial<StreamConfig> & { name: string } {
  return {
    name: EVENTS_STREAM,
    description: 'Osprey events of every cluster (created by osprey serve --nats)',
    subjects: [EVENTS_STREAM_SUBJECT],
    max_age: limits.maxAgeMs * NANOS_PER_MS,
    max_bytes: limits.maxBytes,
  };
}

/** Whether a NATS subject filter (`*`, `>` wildcards) matches a concrete subject. */
export function subjectMatches(filter: string, subject: string): boolean {
  const f = filter.split('.');
  const s = subject.split('.');
  for (let i = 0; i < f.length; i++) {
    if (f[i] === '>') return s.length > i;
    if (i >= s.length || (f[i] !== '*' && f[i] !== s[i])) return false;
  }
  return f.length === s.length;
}

function resultOf(info: StreamInfo, asked: EventStreamLimits, subject: string): EventStreamResult {
  const subjects = info.config.subjects ?? [];
  if (!subjects.some((f) => subjectMatches(f, subject))) return { kind: 'not-covered', subjects };
  const limits = {
    maxAgeMs: Math.round((info.config.max_age ?? 0) / NANOS_PER_MS),
    maxBytes: info.config.max_bytes ?? -1,
  };
  return { kind: 'stored', limits, asked, subjects };
}

function isNotEnabled(error: unknown): boolean {
  const e = error as { name?: string; message?: string } | undefined;
  return (
    e?.name === 'JetStreamNotEnabled' ||
    e?.name === 'NoRespondersError' ||
    /jetstream (is )?not enabled|no responders/i.test(e?.message ?? '')
  );
}

/**
 * Creates the stream, or reads the one there; `subject` is this agent's own events subject, which
 * the stream must take for history to work.
 */
export async function ensureEventStream(
  nc: NatsConnection,
  limits: EventStreamLimits,
  subject: string,
): Promise<EventStreamResult> {
  let jsm: Awaited<ReturnType<typeof jetstreamManager>>;
  try {
    jsm = await jetstreamManager(nc, { timeout: 5000 });
  } catch (error) {
    if (isNotEnabled(error)) return { kind: 'off', reason: 'the server has no JetStream' };
    return { kind: 'error', reason: errorText(error) };
  }
  try {
    try {
      return resultOf(await jsm.streams.info(EVENTS_STREAM), limits, subject);
    } catch (error) {
      if ((error as { name?: string }).name !== 'StreamNotFoundError') throw error;
    }
    try {
      return resultOf(await jsm.streams.add(streamConfig(limits)), limits, subject);
    } catch (error) {
      // Another agent created it first, with other limits: theirs stands.
      if ((error as { code?: number }).code !== STREAM_NAME_IN_USE) throw error;
      return resultOf(await jsm.streams.info(EVENTS_STREAM), limits, subject);
    }
  } catch (error) {
    return { kind: 'error', reason: errorText(error) };
  }
}

function limitsText(l: EventStreamLimits): string {
  return `max age ${formatRetention(l.maxAgeMs)}, max ${formatStreamBytes(l.maxBytes)}`;
}

/** How event history reads in the inventory (probe `event-history`); pure. */
export function eventHistoryStatus(
  result: EventStreamResult | undefined,
  since: number,
): ProbeStatus {
  const status = (state: ProbeStatus['state'], message: string): ProbeStatus => ({
    probe: EVENT_HISTORY_PROBE,
    state,
    message: message.slice(0, 1000),
    since,
  });
  if (result === undefined) return status('starting', 'waiting for the NATS connection');
  switch (result.kind) {
    case 'stored': {
      const same =
        result.limits.maxAgeMs === result.asked.maxAgeMs &&
        result.limits.maxBytes === result.asked.maxBytes;
      const kept = `events kept in JetStream stream ${EVENTS_STREAM} (${limitsText(result.limits)})`;
      return status(
        'ok',
        same
          ? kept
          : `${kept}, as its operator set it; left unchanged (this agent would use ${limitsText(result.asked)})`,
      );
    }
    case 'not-covered':
      return status(
        'degraded',
        `event history off: JetStream stream ${EVENTS_STREAM} exists with subjects ` +
          `${result.subjects.join(', ') || '(none)'}, which leave out ${EVENTS_STREAM_SUBJECT}; ` +
          'left as its operator set it',
      );
    case 'off':
      return status(
        'absent',
        `event history off: ${result.reason}; events go to connected consoles only`,
      );
    case 'error':
      return status('degraded', `event history unavailable: ${result.reason}`);
  }
}
