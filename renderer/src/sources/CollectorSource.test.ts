import { beforeEach, describe, expect, it } from 'vitest';

import { FakeWebSocket } from '../testing/FakeWebSocket.js';
import { ManualScheduler } from '../testing/ManualScheduler.js';
import { H100, inventory, metrics } from '../testing/messages.js';
import { BACKOFF_MAX_MS, backoffDelay } from './backoff.js';
import { CollectorSource, streamUrl } from './CollectorSource.js';
import type { SourceBatch } from './Source.js';

function setup(random = () => 0.5) {
  FakeWebSocket.reset();
  const scheduler = new ManualScheduler();
  const source = new CollectorSource({
    endpoint: { url: 'http://127.0.0.1:7420', token: 'secret' },
    WebSocket: FakeWebSocket,
    scheduler,
    now: () => scheduler.now,
    random,
    silenceMs: 15_000,
    // Slices end by message count here, never by how long a loaded machine took to decode.
    clock: () => 0,
  });
  const batches: SourceBatch[] = [];
  source.subscribe((b) => batches.push(b));
  return { source, scheduler, batches };
}

const text = (m: unknown) => JSON.stringify(m);

describe('CollectorSource', () => {
  beforeEach(() => FakeWebSocket.reset());

  it('opens <endpoint>/stream offering osprey.v1 and the token as subprotocols', () => {
    const { source } = setup();
    source.start();
    expect(FakeWebSocket.last().url).toBe('ws://127.0.0.1:7420/stream');
    expect(FakeWebSocket.last().protocols).toEqual(['osprey.v1', 'token.secret']);
    expect(source.status.presence.state).toBe('connecting');
    FakeWebSocket.last().open();
    expect(source.status.presence.state).toBe('live');
  });

  it('delivers decoded messages in one batch per animation frame', () => {
    const { source, scheduler, batches } = setup();
    source.start();
    const ws = FakeWebSocket.last();
    ws.open();
    ws.receive(text(inventory([H100])));
    ws.receive(text(metrics(2000, [{ m: 'device.utilization', v: 100, d: H100.id }])));
    expect(batches).toHaveLength(0);
    scheduler.runFrames();
    expect(batches).toHaveLength(1);
    expect(batches[0]!.messages.map((m) => m.type)).toEqual(['inventory', 'metrics']);
    ws.receive(text(metrics(3000, [])));
    scheduler.runFrames();
    scheduler.runFrames();
    expect(batches).toHaveLength(2);
  });

  it('flushes without a frame after 1 s, as in a hidden tab', () => {
    const { source, scheduler, batches } = setup();
    source.start();
    FakeWebSocket.last().open();
    FakeWebSocket.last().receive(text(metrics(2000, [])));
    scheduler.advance(1000);
    expect(batches).toHaveLength(1);
  });

  it('counts bad messages as problems and keeps the good ones flowing', () => {
    const { source, scheduler, batches } = setup();
    source.start();
    const ws = FakeWebSocket.last();
    ws.open();
    const bad = metrics(2000, [{ m: 'device.utilization', v: 1, d: H100.id }]);
    (bad.samples[0] as { v: unknown }).v = 'high';
    ws.receive(text(bad));
    ws.receive(text(bad));
    ws.receive('{"v":1,');
    ws.receive(text(metrics(3000, [])));
    scheduler.runFrames();
    expect(batches[0]!.messages).toHaveLength(1);
    const problems = source.status.problems;
    expect(problems.map((p) => [p.key, p.count])).toEqual([
      ['decode:schema', 2],
      ['decode:not-json', 1],
    ]);
    expect(problems[0]!.message).toMatch(
      /^message rejected, schema mismatch: metrics: \/samples\/0\/v/,
    );
    expect(source.status.presence.state).toBe('live');
  });

  it('counts unknown message types by type and delivers a message with unknown fields without them', () => {
    const { source, scheduler, batches } = setup();
    source.start();
    const ws = FakeWebSocket.last();
    ws.open();
    const good = metrics(2000, [{ m: 'device.utilization', v: 1, d: H100.id }]);
    for (let i = 0; i < 3; i++) ws.receive(text({ ...good, type: 'alerts' }));
    ws.receive(text({ ...good, type: 'traces' }));
    ws.receive(text({ ...good, region: 'eu-west' }));
    scheduler.runFrames();
    expect(batches[0]!.messages).toEqual([good]);
    expect(source.status.problems.map((p) => [p.key, p.count, p.message])).toEqual([
      ['decode:unknown-type:alerts', 3, 'unknown message type "alerts", skipped (a newer sender?)'],
      ['decode:unknown-type:traces', 1, 'unknown message type "traces", skipped (a newer sender?)'],
    ]);
    expect(source.status.presence.state).toBe('live');
  });

  it('reconnects with growing delays and resets them once connected', () => {
    const { source, scheduler } = setup(() => 0.5);
    source.start();
    FakeWebSocket.last().serverClose(1006);
    expect(source.status.presence).toMatchObject({ state: 'reconnecting' });
    expect(source.status.presence.message).toMatch(/cannot reach ws:\/\/127\.0\.0\.1:7420\/stream/);
    // 0.5 s step with jitter 0.5 → 375 ms, then 750 ms.
    scheduler.advance(374);
    expect(FakeWebSocket.instances).toHaveLength(1);
    scheduler.advance(1);
    expect(FakeWebSocket.instances).toHaveLength(2);
    FakeWebSocket.last().serverClose(1006);
    scheduler.advance(749);
    expect(FakeWebSocket.instances).toHaveLength(2);
    scheduler.advance(1);
    expect(FakeWebSocket.instances).toHaveLength(3);
    FakeWebSocket.last().open();
    FakeWebSocket.last().serverClose(1001, 'collector stopping');
    expect(source.status.presence.message).toBe(
      'connection lost (1001 collector stopping); retrying in 1 s',
    );
    scheduler.advance(375);
    expect(FakeWebSocket.instances).toHaveLength(4);
  });

  it('stops retrying when the token is rejected (close 4401)', () => {
    const { source, scheduler } = setup();
    source.start();
    FakeWebSocket.last().open();
    FakeWebSocket.last().serverClose(4401, 'unauthorized: token missing or wrong');
    expect(source.status.presence).toMatchObject({
      state: 'error',
      message: 'unauthorized: token rejected',
    });
    scheduler.advance(60_000);
    expect(FakeWebSocket.instances).toHaveLength(1);
  });

  it('refuses a server that picks another protocol', () => {
    const { source } = setup();
    source.start();
    FakeWebSocket.last().open('osprey.v2');
    expect(source.status.presence).toMatchObject({ state: 'error' });
    expect(source.status.presence.message).toMatch(/does not speak osprey\.v1/);
    expect(FakeWebSocket.last().closedWith).toBeDefined();
  });

  it('reopens a live connection that went silent', () => {
    const { source, scheduler } = setup();
    source.start();
    FakeWebSocket.last().open();
    scheduler.advance(10_000);
    FakeWebSocket.last().receive(text(metrics(1000, [])));
    scheduler.advance(14_999);
    expect(source.status.presence.state).toBe('live');
    scheduler.advance(1);
    expect(FakeWebSocket.instances[0]!.closedWith?.code).toBe(4000);
    expect(source.status.presence.message).toMatch(/no data for 15 s/);
    scheduler.advance(375);
    expect(FakeWebSocket.instances).toHaveLength(2);
  });

  it('delivers what arrived before a close, and nothing after stop', () => {
    const { source, scheduler, batches } = setup();
    source.start();
    const ws = FakeWebSocket.last();
    ws.open();
    ws.receive(text(metrics(1000, [])));
    ws.serverClose(1006);
    scheduler.runFrames();
    expect(batches).toHaveLength(1);
    source.stop();
    expect(source.status.presence.state).toBe('closed');
    scheduler.advance(60_000);
    expect(FakeWebSocket.instances).toHaveLength(1);
    expect(scheduler.pendingTimers).toBe(0);
  });
});

describe('backoffDelay', () => {
  it('doubles from 0.5 s up to 10 s, jittered to 50–100 % of the step', () => {
    expect(backoffDelay(0, () => 0)).toBe(250);
    expect(backoffDelay(0, () => 0.999999)).toBe(500);
    expect(backoffDelay(3, () => 0.999999)).toBe(4000);
    expect(backoffDelay(20, () => 0.999999)).toBe(BACKOFF_MAX_MS);
    expect(backoffDelay(20, () => 0)).toBe(BACKOFF_MAX_MS / 2);
  });
});

describe('streamUrl', () => {
  it('turns the endpoint into the stream URL', () => {
    expect(streamUrl('http://127.0.0.1:7420')).toBe('ws://127.0.0.1:7420/stream');
    expect(streamUrl('https://box.example/osprey/')).toBe('wss://box.example/osprey/stream');
    expect(streamUrl('http://[::1]:80/#token=x')).toBe('ws://[::1]/stream');
  });
});

describe('CollectorSource restart', () => {
  it('connects again after stop and start (React runs effects twice in development)', () => {
    const { source } = setup();
    source.start();
    source.stop();
    source.start();
    expect(source.status.presence.state).toBe('connecting');
    expect(FakeWebSocket.instances).toHaveLength(2);
    expect(FakeWebSocket.instances[0]!.closedWith?.code).toBe(1000);
    FakeWebSocket.instances[0]!.serverClose(1000);
    FakeWebSocket.last().open();
    expect(source.status.presence.state).toBe('live');
  });
});
