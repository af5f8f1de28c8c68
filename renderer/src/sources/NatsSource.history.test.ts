import { describe, expect, it } from 'vitest';

import type { ConnectionConfig } from '../../../collector/core/connections/schema.js';
import type { EventsMessage } from '../../../collector/core/protocol/spec.js';
import { FakeConnector } from '../testing/FakeNatsClient.js';
import { ManualScheduler } from '../testing/ManualScheduler.js';
import type {
  HistoryOutcome,
  HistoryRequest,
} from '../../../collector/core/protocol/eventHistoryReader.js';
import { NatsSource } from './NatsSource.js';
import type { SourceBatch } from './Source.js';

const settle = () => new Promise((r) => setTimeout(r, 0));
const SUBJECT = 'osprey.v1.events.local.box';

const connection: ConnectionConfig = {
  id: 'c1',
  name: 'lab',
  kind: 'nats',
  natsUrl: 'ws://127.0.0.1:8080',
  auth: 'none',
  cluster: 'local',
};

function events(seq: number, ts: number, message: string): EventsMessage {
  return {
    v: 1,
    type: 'events',
    cluster: 'local',
    node: 'box',
    ts,
    seq,
    events: [{ ts, kind: 'xid', severity: 'critical', message }],
  };
}

const stored = (m: EventsMessage) => ({
  subject: SUBJECT,
  data: new TextEncoder().encode(JSON.stringify(m)),
  storedAt: m.ts,
});

/** A source whose history read waits until the test answers it. */
function setup() {
  const scheduler = new ManualScheduler();
  scheduler.advance(100 * 3_600_000);
  const connector = new FakeConnector();
  const requests: HistoryRequest[] = [];
  const answers: ((o: HistoryOutcome) => void)[] = [];
  const source = new NatsSource({
    connection,
    secret: null,
    connect: connector.connect,
    scheduler,
    now: () => scheduler.now,
    clock: () => 0,
    eventHistory: (_client, req) => {
      requests.push(req);
      return new Promise((resolve) => answers.push(resolve));
    },
  });
  const batches: SourceBatch[] = [];
  source.subscribe((b) => batches.push(b));
  const messages = () =>
    batches.flatMap((b) =>
      b.messages.flatMap((m) => (m.type === 'events' ? m.events.map((e) => e.message) : [])),
    );
  return { source, scheduler, connector, requests, answers, batches, messages };
}

describe('NatsSource event history', () => {
  it('asks for the last 24 h of its cluster, and says history is loading then loaded', async () => {
    const { source, scheduler, requests, answers, batches } = setup();
    source.start();
    await settle();
    const since = scheduler.now - 24 * 3_600_000;
    expect(requests).toEqual([{ cluster: 'local', sinceMs: since, maxMessages: 10_000 }]);
    expect(source.status.eventHistory).toEqual({ state: 'loading', since });
    const old = events(3, since + 1000, 'xid 79');
    answers[0]!({ kind: 'loaded', from: since, messages: [stored(old)], total: 1 });
    await settle();
    expect(source.status.eventHistory).toEqual({ state: 'loaded', since, count: 1, total: 1 });
    expect(batches).toEqual([{ messages: [old], receivedAt: scheduler.now, stored: true }]);
  });

  it('hands over a message once when it arrives both live and from the stream, in either order', async () => {
    const { source, scheduler, connector, answers, messages } = setup();
    source.start();
    await settle();
    const live = events(7, scheduler.now - 10, 'live first');
    connector.last().deliver(SUBJECT, JSON.stringify(live));
    scheduler.runFrames();
    const fromStreamFirst = events(8, scheduler.now - 5, 'stream first');
    answers[0]!({
      kind: 'loaded',
      from: 0,
      messages: [stored(live), stored(fromStreamFirst)],
      total: 2,
    });
    await settle();
    connector.last().deliver(SUBJECT, JSON.stringify(fromStreamFirst));
    scheduler.runFrames();
    expect(messages()).toEqual(['live first', 'stream first']);
    expect(source.status.eventHistory).toMatchObject({ state: 'loaded', count: 1, total: 2 });
  });

  it('says why history is unavailable, and live events still arrive', async () => {
    const { source, scheduler, connector, answers, messages } = setup();
    source.start();
    await settle();
    answers[0]!({ kind: 'unavailable', reason: 'the server has no JetStream' });
    await settle();
    expect(source.status.eventHistory).toEqual({
      state: 'unavailable',
      reason: 'the server has no JetStream',
    });
    connector.last().deliver(SUBJECT, JSON.stringify(events(1, scheduler.now, 'live')));
    scheduler.runFrames();
    expect(messages()).toEqual(['live']);
    expect(source.status.presence.state).toBe('live');
  });

  it('reads what an outage missed after a reconnect, from a minute before the drop', async () => {
    const { source, scheduler, connector, requests, answers, messages } = setup();
    source.start();
    await settle();
    answers[0]!({ kind: 'loaded', from: 0, messages: [], total: 0 });
    await settle();
    const droppedAt = scheduler.now;
    connector.last().emitStatus({ type: 'disconnect', server: 'x' });
    await settle();
    scheduler.advance(30_000);
    connector.last().emitStatus({ type: 'reconnect', server: 'x' });
    await settle();
    expect(requests[1]).toMatchObject({ sinceMs: droppedAt - 60_000 });
    answers[1]!({
      kind: 'loaded',
      from: droppedAt - 60_000,
      messages: [stored(events(2, droppedAt + 1000, 'while away'))],
      total: 1,
    });
    await settle();
    expect(messages()).toEqual(['while away']);
  });

  it('drops a stored message that does not decode, as a problem', async () => {
    const { source, scheduler, answers, messages } = setup();
    source.start();
    await settle();
    answers[0]!({
      kind: 'loaded',
      from: 0,
      messages: [{ subject: SUBJECT, data: new TextEncoder().encode('{"v":1'), storedAt: 0 }],
      total: 1,
    });
    await settle();
    // Problems are counted per frame (ProblemTally).
    scheduler.runFrames();
    scheduler.advance(1000);
    expect(messages()).toEqual([]);
    expect(source.status.problems.map((p) => p.message)).toEqual([
      expect.stringMatching(/^stored event dropped: /),
    ]);
  });
});
