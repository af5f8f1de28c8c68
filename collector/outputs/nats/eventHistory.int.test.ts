/**
 * Event history with the real parts: nats-server 2.9 with and without JetStream, `osprey serve`
 * as the node agent diagnosing a real kernel log (--replay kmsg=FILE, the Xid 79 of
 * serveDiagnosis.int.test.ts), and the console's own reader (core/protocol/eventHistoryReader.ts)
 * over NATS WebSocket as the console connects (wsconnect, with the `ws` package as Node 20's
 * WebSocket). What the console then does with the messages (dedupe, store, header line) is in
 * renderer/src/sources/NatsSource.history.test.ts and the e2e eventHistory.spec.ts.
 */
import { fileURLToPath } from 'node:url';

import { jetstreamManager } from '@nats-io/jetstream';
import { wsconnect, type NatsConnection } from '@nats-io/nats-core';
import { connect } from '@nats-io/transport-node';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';

import { decodeMessage } from '../../core/protocol/decode.js';
import { readEventHistory } from '../../core/protocol/eventHistoryReader.js';
import { DEFAULT_EVENT_STREAM_LIMITS, EVENTS_STREAM } from '../../core/protocol/eventStream.js';
import type { EventRecord, EventsMessage, InventoryMessage } from '../../core/protocol/spec.js';
import { subjectFor } from '../../core/protocol/subjects.js';
import { startNatsServer, type NatsServer } from '../../testing/natsServer.js';
import { subscribeCluster, type ClusterSubscriber } from '../../testing/natsSubscriber.js';
import { eventually, startServe, type Served } from '../../testing/serveProcess.js';
import { ensureEventStream } from './EventStream.js';

const here = (rel: string) => fileURLToPath(new URL(rel, import.meta.url));
const KMSG = here('../../probes/kernel/fixtures/h100x2__kmsg.txt');
const SMI = here('../../probes/kernel/fixtures/h100x2__590.48.01__load__query-gpu.csv');
const GPU0 = 'GPU-00000000-0000-0000-0000-000000000000';
const DAY = 24 * 3_600_000;

beforeAll(() => {
  // The console's transport is wsconnect; Node 20 has no WebSocket of its own.
  (globalThis as { WebSocket?: unknown }).WebSocket ??= WebSocket;
});

const cleanups: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});
function track<T>(x: T, stop: (x: T) => Promise<unknown> | void): T {
  cleanups.push(() => stop(x));
  return x;
}

async function nats(jetstream: boolean): Promise<NatsServer> {
  return track(await startNatsServer({ jetstream, websocket: true }), (n) => n.stop());
}

function agent(server: NatsServer, cluster: string, ...extra: string[]): Promise<Served> {
  return startServe([
    ...['--no-ui', '--nats', server.url, '--cluster', cluster, '--node', 'gpu-node-7'],
    ...['--interval', '300', '--replay', `kmsg=${KMSG}`, '--replay', `nvidia-smi=${SMI}`],
    ...extra,
  ]).then((s) => track(s, (x) => x.stop()));
}

/** The console connects as it does in the browser: NATS over WebSocket. */
async function consoleConnection(server: NatsServer): Promise<NatsConnection> {
  return track(await wsconnect({ servers: [server.wsUrl!] }), (nc) => nc.close());
}

const isXid79 = (e: EventRecord) => e.kind === 'xid' && e.code === '79' && e.id !== undefined;

function liveXid79(sub: ClusterSubscriber): EventRecord | undefined {
  return sub.received
    .flatMap((r) => (r.message.type === 'events' ? r.message.events : []))
    .find(isXid79);
}

function historyProbe(sub: ClusterSubscriber) {
  const inventories = sub.received
    .map((r) => r.message)
    .filter((m): m is InventoryMessage => m.type === 'inventory');
  return inventories.at(-1)?.probes.find((p) => p.probe === 'event-history');
}

async function readHistory(nc: NatsConnection, cluster: string) {
  const outcome = await readEventHistory(nc, {
    cluster,
    sinceMs: Date.now() - DAY,
    maxMessages: 10_000,
  });
  if (outcome.kind !== 'loaded') throw new Error(`history unavailable: ${outcome.reason}`);
  const messages = outcome.messages.map((m) => {
    const r = decodeMessage(m.data);
    if (!r.ok) throw new Error(r.problem.message);
    return r.message as EventsMessage;
  });
  return { outcome, messages, events: messages.flatMap((m) => m.events) };
}

describe('event history in the JetStream stream OSPREY_EVENTS', () => {
  it("gives a console that connects after the Xid 79 was published that event with all its fields, again after the console restarts, and keeps the stream's limits as the first agent set them", async () => {
    const server = await nats(true);
    // Watches as a live console would, to compare what history gives back with what went out.
    const live = track(await subscribeCluster({ servers: [server.url] }, 'prod'), (s) => s.close());
    await agent(server, 'prod', '--events-max-age', '2d', '--events-max-bytes', '64MiB');
    const published = await eventually(async () => {
      const e = liveXid79(live);
      if (!e) throw new Error('no Xid 79 published yet');
      return e;
    });
    expect(published).toMatchObject({ d: GPU0, severity: 'critical', ref: { id: '79' } });
    await eventually(async () =>
      expect(historyProbe(live)).toMatchObject({
        state: 'ok',
        message: 'events kept in JetStream stream OSPREY_EVENTS (max age 2 d, max 64 MiB)',
      }),
    );

    for (const round of ['console connecting after the fault', 'the console restarted']) {
      const nc = await consoleConnection(server);
      const { outcome, messages, events } = await readHistory(nc, 'prod');
      expect(events.filter(isXid79), round).toEqual([published]);
      expect(messages.every((m) => m.cluster === 'prod' && m.node === 'gpu-node-7')).toBe(true);
      expect(outcome.total).toBe(outcome.messages.length);
      await nc.close();
    }

    const tcp = track(await connect({ servers: server.url }), (nc) => nc.close());
    const jsm = await jetstreamManager(tcp);
    const config = () => jsm.streams.info(EVENTS_STREAM).then((i) => i.config);
    expect(await config()).toMatchObject({
      subjects: ['osprey.v1.events.>'],
      max_age: 2 * DAY * 1e6,
      max_bytes: 64 * 1024 * 1024,
    });

    // A second agent with the defaults finds the stream there: it uses it, leaves it, says so.
    const other = track(await subscribeCluster({ servers: [server.url] }, 'lab'), (s) => s.close());
    await agent(server, 'lab');
    await eventually(async () =>
      expect(historyProbe(other)?.message).toBe(
        'events kept in JetStream stream OSPREY_EVENTS (max age 2 d, max 64 MiB), as its ' +
          'operator set it; left unchanged (this agent would use max age 7 d, max 256 MiB)',
      ),
    );
    expect(await config()).toMatchObject({ max_age: 2 * DAY * 1e6, max_bytes: 64 * 1024 * 1024 });
    // Each console reads its own cluster's events only.
    const labEvents = await eventually(async () => {
      const { messages } = await readHistory(await consoleConnection(server), 'lab');
      expect(messages.some((m) => m.events.some(isXid79))).toBe(true);
      return messages;
    });
    expect(labEvents.every((m) => m.cluster === 'lab')).toBe(true);
  });

  it('without JetStream: the agent says event history is off, the console is told history is unavailable, live events still flow', async () => {
    const server = await nats(false);
    const live = track(await subscribeCluster({ servers: [server.url] }, 'prod'), (s) => s.close());
    const served = await agent(server, 'prod');
    const published = await eventually(async () => {
      const e = liveXid79(live);
      if (!e) throw new Error('no Xid 79 published yet');
      return e;
    });
    expect(published.d).toBe(GPU0);
    await eventually(async () =>
      expect(historyProbe(live)).toMatchObject({
        state: 'absent',
        message:
          'event history off: the server has no JetStream; events go to connected consoles only',
      }),
    );
    expect(served.output.join('')).toContain(
      'nats: event history off: the server has no JetStream',
    );

    const nc = await consoleConnection(server);
    expect(
      await readEventHistory(nc, { cluster: 'prod', sinceMs: Date.now() - DAY, maxMessages: 10 }),
    ).toEqual({ kind: 'unavailable', reason: 'the server has no JetStream' });
    // Live on the same console connection: the agent's next inventory arrives as before.
    const next = await new Promise<string>((resolve) => {
      nc.subscribe(subjectFor('inventory', 'prod', 'gpu-node-7'), {
        max: 1,
        callback: (_err, msg) => resolve(msg.subject),
      });
    });
    expect(next).toBe('osprey.v1.inventory.prod.gpu-node-7');
  });

  it('--no-events-history leaves JetStream alone (a console is told there is no stream); the stream limits refuse nonsense and need --nats', async () => {
    const server = await nats(true);
    const live = track(await subscribeCluster({ servers: [server.url] }, 'prod'), (s) => s.close());
    await agent(server, 'prod', '--no-events-history');
    await eventually(async () => expect(liveXid79(live)).toBeDefined());
    expect(historyProbe(live)).toBeUndefined();
    const tcp = track(await connect({ servers: server.url }), (nc) => nc.close());
    const names: string[] = [];
    for await (const s of (await jetstreamManager(tcp)).streams.list()) names.push(s.config.name);
    expect(names).toEqual([]);
    expect(
      await readEventHistory(await consoleConnection(server), {
        cluster: 'prod',
        sinceMs: Date.now() - DAY,
        maxMessages: 10,
      }),
    ).toEqual({
      kind: 'unavailable',
      reason:
        'the server has JetStream but no stream OSPREY_EVENTS (no agent with event history has connected)',
    });

    await expect(startServe(['--no-ui', '--events-max-age', '7d'])).rejects.toThrow(
      /--events-max-age needs --nats <url>/,
    );
    await expect(
      startServe(['--no-ui', '--nats', server.url, '--events-max-bytes', '512KiB']),
    ).rejects.toThrow(/"512KiB" is not a size from 1MiB to 1TiB/);
  });

  it('reads 10,000 stored events messages over WebSocket, and the newest 10,000 of 12,000', async () => {
    const server = await nats(true);
    const tcp = track(await connect({ servers: server.url }), (nc) => nc.close());
    const subject = subjectFor('events', 'big', 'gpu-07');
    expect(await ensureEventStream(tcp, DEFAULT_EVENT_STREAM_LIMITS, subject)).toMatchObject({
      kind: 'stored',
    });
    const jsm = await jetstreamManager(tcp);
    const t0 = Date.now() - 60_000;
    const publish = async (from: number, to: number) => {
      for (let seq = from; seq < to; seq++) {
        const m: EventsMessage = {
          v: 1,
          type: 'events',
          cluster: 'big',
          node: 'gpu-07',
          ts: t0 + seq,
          seq,
          events: [{ ts: t0 + seq, kind: 'xid', severity: 'critical', message: `e${seq}` }],
        };
        tcp.publish(subject, JSON.stringify(m));
      }
      await tcp.flush();
      await eventually(async () =>
        expect((await jsm.streams.info(EVENTS_STREAM)).state.messages).toBe(to),
      );
    };
    const seqs = (messages: EventsMessage[]) => messages.map((m) => m.seq);

    await publish(0, 10_000);
    let started = performance.now();
    const whole = await readHistory(await consoleConnection(server), 'big');
    const wholeMs = performance.now() - started;
    expect(whole.outcome.total).toBe(10_000);
    expect(seqs(whole.messages)).toEqual(Array.from({ length: 10_000 }, (_, i) => i));

    await publish(10_000, 12_000);
    started = performance.now();
    const bounded = await readHistory(await consoleConnection(server), 'big');
    const boundedMs = performance.now() - started;
    expect(bounded.outcome.total).toBe(12_000);
    expect(seqs(bounded.messages)).toEqual(Array.from({ length: 10_000 }, (_, i) => 2000 + i));
    console.log(
      `event history over WebSocket: 10,000 events messages in ${wholeMs.toFixed(0)} ms; ` +
        `the newest 10,000 of 12,000 in ${boundedMs.toFixed(0)} ms (connect included)`,
    );
  });
});
