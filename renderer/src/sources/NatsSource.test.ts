import { describe, expect, it } from 'vitest';

import type { ConnectionConfig } from '../../../collector/core/connections/schema.js';
import { MAX_MESSAGE_BYTES } from '../../../collector/core/protocol/decode.js';
import { FakeConnector } from '../testing/FakeNatsClient.js';
import { ManualScheduler } from '../testing/ManualScheduler.js';
import { H100, inventory, metrics } from '../testing/messages.js';
import { NatsSource, type NatsSourceOptions } from './NatsSource.js';
import type { SourceBatch } from './Source.js';

const settle = () => new Promise((r) => setTimeout(r, 0));
const json = (m: unknown) => JSON.stringify(m);
const SUBJECT = 'osprey.v1.metrics.local.box';

const base: ConnectionConfig = {
  id: 'c1',
  name: 'lab',
  kind: 'nats',
  natsUrl: 'ws://127.0.0.1:8080',
  auth: 'none',
  cluster: 'local',
};

function setup(
  connection: Partial<ConnectionConfig> = {},
  secret: string | null = null,
  extra: Partial<NatsSourceOptions> = {},
) {
  const scheduler = new ManualScheduler();
  const connector = new FakeConnector();
  const source = new NatsSource({
    connection: { ...base, ...connection },
    secret,
    connect: connector.connect,
    scheduler,
    now: () => scheduler.now,
    random: () => 0.5,
    // Slices end by message count here, never by how long a loaded machine took to decode.
    clock: () => 0,
    ...extra,
  });
  const batches: SourceBatch[] = [];
  source.subscribe((b) => batches.push(b));
  return { source, scheduler, connector, batches };
}

describe('NatsSource', () => {
  it('connects to the URL with the auth and subscribes to its cluster', async () => {
    const { source, connector } = setup({ auth: 'token' }, 'tok');
    source.start();
    expect(source.status.presence).toMatchObject({ state: 'connecting' });
    await settle();
    const options = connector.calls[0]!;
    expect(options.servers).toEqual(['ws://127.0.0.1:8080']);
    expect(options.maxReconnectAttempts).toBe(-1);
    expect(typeof options.authenticator).toBe('function');
    expect([...connector.last().subscriptions.keys()]).toEqual(['osprey.v1.*.local.*']);
    expect(source.status.presence.state).toBe('live');
  });

  it('subscribes to every cluster when the connection names none', async () => {
    const { source, connector } = setup({ cluster: undefined });
    source.start();
    await settle();
    expect([...connector.last().subscriptions.keys()]).toEqual(['osprey.v1.>']);
  });

  it('delivers decoded messages in one batch per frame and knows when each node spoke', async () => {
    const { source, connector, scheduler, batches } = setup();
    source.start();
    await settle();
    scheduler.advance(5000);
    connector.last().deliver('osprey.v1.inventory.local.box', json(inventory([H100])));
    connector
      .last()
      .deliver(SUBJECT, json(metrics(2000, [{ m: 'device.utilization', v: 7, d: H100.id }])));
    expect(batches).toHaveLength(0);
    scheduler.runFrames();
    expect(batches.map((b) => b.messages.map((m) => m.type))).toEqual([['inventory', 'metrics']]);
    expect(source.lastReceivedAt('local', 'box')).toBe(5000);
    expect(source.lastReceivedAt('local', 'other')).toBeUndefined();
    expect(source.nodeCount).toBe(1);
  });

  it('counts hostile messages by kind and family, without flooding, while good ones flow', async () => {
    const { source, connector, scheduler, batches } = setup();
    source.start();
    await settle();
    const nats = connector.last();
    const bad = metrics(2000, [{ m: 'device.utilization', v: 1, d: H100.id }]);
    (bad.samples[0] as { v: unknown }).v = 'high';
    for (let i = 0; i < 418; i++) nats.deliver(SUBJECT, json(bad));
    nats.deliver('osprey.v1.metrics.local.box2', json({ ...bad, node: 'box2' }));
    nats.deliver(SUBJECT, '{"v":1,');
    nats.deliver(SUBJECT, json({ ...metrics(1, []), v: 2 }));
    nats.deliver(SUBJECT, new Uint8Array(MAX_MESSAGE_BYTES + 1));
    nats.deliver(SUBJECT, json(metrics(1, [], { node: 'impostor' })));
    nats.deliver('osprey.v1.profiles.local.box', json(metrics(1, [])));
    nats.deliver(SUBJECT, json(metrics(3000, [])));
    // Decoded on the next frame (in slices); problems reach the status in one update, later.
    scheduler.runFrames();
    expect(source.status.problems).toEqual([]);
    scheduler.advance(250);
    const problems = Object.fromEntries(source.status.problems.map((p) => [p.key, p]));
    expect(problems['schema:metrics.local']?.count).toBe(419);
    expect(problems['schema:metrics.local']?.message).toMatch(
      /^messages dropped: schema mismatch on osprey\.v1\.metrics\.local\.box2: \/samples\/0\/v: must be number.* \(from 2 nodes\)$/,
    );
    expect(problems['not-json:metrics.local']?.count).toBe(1);
    expect(problems['wrong-version:metrics.local']?.message).toMatch(
      /protocol version 2 is not supported/,
    );
    expect(problems['oversized:metrics.local']?.message).toMatch(
      /too large on osprey.v1.metrics.local.box/,
    );
    expect(problems['subject:metrics.local']?.message).toBe(
      'messages dropped: subject and body disagree on osprey.v1.metrics.local.box: the body is metrics of cluster "local", node "impostor"',
    );
    // A v1 subject of a type this console does not know is a newer sender's: counted by type.
    expect(problems['unknown-type:profiles.local']?.message).toBe(
      'messages dropped: unknown message type "profiles" on osprey.v1.profiles.local.box (a newer sender?)',
    );
    expect(batches.flatMap((b) => b.messages)).toHaveLength(1);
  });

  it('reports reconnecting while the server is gone and live once the client is back', async () => {
    const { source, connector, batches, scheduler } = setup();
    source.start();
    await settle();
    const nats = connector.last();
    nats.deliver(SUBJECT, json(metrics(1, [])));
    nats.emitStatus({ type: 'disconnect', server: '127.0.0.1:8080' });
    await settle();
    expect(source.status.presence).toMatchObject({
      state: 'reconnecting',
      message: 'connection to ws://127.0.0.1:8080 lost; reconnecting',
    });
    // What arrived before the drop is handed over at once, not held for a frame.
    expect(batches).toHaveLength(1);
    nats.emitStatus({ type: 'reconnecting' });
    nats.emitStatus({ type: 'reconnect', server: '127.0.0.1:8080' });
    await settle();
    expect(source.status.presence.state).toBe('live');
    nats.emitStatus({ type: 'staleConnection' });
    await settle();
    expect(source.status.presence.state).toBe('reconnecting');
    nats.emitStatus({ type: 'slowConsumer', pending: 5000, sub: {} as never });
    await settle();
    scheduler.advance(250);
    expect(source.status.problems[0]?.message).toMatch(/5000 messages waiting/);
  });

  it('retries a first connection that fails, with backoff, until it works, saying connecting (never reconnecting) until then', async () => {
    const { source, connector, scheduler } = setup();
    connector.willFail(new Error('connection refused'), new Error('connection refused'));
    source.start();
    await settle();
    expect(source.status.presence).toMatchObject({
      state: 'connecting',
      attemptFailed: true,
      message: 'cannot reach ws://127.0.0.1:8080 (connection refused); retrying in 0 s'.replace(
        '0 s',
        '1 s',
      ),
    });
    scheduler.advance(10_000);
    await settle();
    scheduler.advance(10_000);
    await settle();
    expect(connector.calls).toHaveLength(3);
    expect(source.status.presence.state).toBe('live');
  });

  it('stops for good when the server refuses the credentials', async () => {
    const refused = Object.assign(new Error("'Authorization Violation'"), {
      name: 'AuthorizationError',
    });
    const { source, connector, scheduler } = setup({ auth: 'token' }, 'wrong');
    connector.willFail(refused);
    source.start();
    await settle();
    expect(source.status.presence).toMatchObject({
      state: 'error',
      message: "authentication failed: 'Authorization Violation'",
    });
    scheduler.advance(60_000);
    expect(connector.calls).toHaveLength(1);
  });

  it('says which secret is missing instead of connecting without it', async () => {
    const { source, connector } = setup({ auth: 'user-password', user: 'ops' }, null);
    source.start();
    await settle();
    expect(source.status.presence).toMatchObject({
      state: 'error',
      message: 'no password stored for "lab": edit the connection and enter it',
    });
    expect(connector.calls).toHaveLength(0);
  });

  it('asks for the secret at every connection attempt, and says when it cannot get it', async () => {
    let asked = 0;
    const scheduler = new ManualScheduler();
    const connector = new FakeConnector().willFail(new Error('connection refused'));
    const source = new NatsSource({
      connection: { ...base, auth: 'token' },
      secret: async () => `tok-${++asked}`,
      connect: connector.connect,
      scheduler,
      now: () => scheduler.now,
      random: () => 0.5,
    });
    source.start();
    await settle();
    scheduler.advance(10_000);
    await settle();
    expect(asked).toBe(2);
    expect(source.status.presence.state).toBe('live');

    const locked = new NatsSource({
      connection: { ...base, auth: 'token' },
      secret: async () => {
        throw new Error('the keyring is locked');
      },
      connect: connector.connect,
      scheduler,
    });
    locked.start();
    await settle();
    expect(locked.status.presence).toMatchObject({
      state: 'error',
      message: 'cannot get the secret of "lab": the keyring is locked',
    });
  });

  it('reconnects by itself when the client closes the connection', async () => {
    const { source, connector, scheduler } = setup();
    source.start();
    await settle();
    connector.last().end(new Error('stale connection'));
    await settle();
    expect(source.status.presence.state).toBe('reconnecting');
    scheduler.advance(10_000);
    await settle();
    expect(connector.clients).toHaveLength(2);
    expect(source.status.presence.state).toBe('live');
  });

  it('fails when the cluster subscription is refused', async () => {
    const { source, connector } = setup();
    source.start();
    await settle();
    connector.last().failSubscription('osprey.v1.*.local.*', new Error('Permissions Violation'));
    expect(source.status.presence).toMatchObject({
      state: 'error',
      message: 'cannot subscribe to osprey.v1.*.local.*: Permissions Violation',
    });
  });

  it('hands every known inventory to a listener that joins late', async () => {
    const { source, connector, scheduler } = setup();
    source.start();
    await settle();
    connector.last().deliver('osprey.v1.inventory.local.box', json(inventory([H100])));
    scheduler.runFrames();
    const late: SourceBatch[] = [];
    source.subscribe((b) => late.push(b));
    scheduler.runFrames();
    expect(late.map((b) => b.messages.map((m) => m.type))).toEqual([['inventory']]);
  });

  it('stops: closes the client, drops what is pending, presence closed', async () => {
    const { source, connector, scheduler, batches } = setup();
    source.start();
    await settle();
    const nats = connector.last();
    nats.deliver(SUBJECT, json(metrics(1, [])));
    source.stop();
    scheduler.runFrames();
    expect(batches).toHaveLength(0);
    expect(nats.closedByClient).toBe(true);
    expect(source.status.presence.state).toBe('closed');
  });
});

describe('NatsSource with Eagle Eye', () => {
  /** CONSTRUCTED: vLLM SchedulerStats fields plus guessed identity fields (format unpublished). */
  const step = (extra: Record<string, unknown> = {}) =>
    json({
      engine_id: 'vllm-0',
      model_name: 'Qwen/Qwen2.5-7B-Instruct',
      hostname: 'gpu-node-03',
      num_running_reqs: 12,
      num_waiting_reqs: 3,
      kv_cache_usage: 0.5,
      prefix_cache_stats: { queries: 100, hits: 25 },
      ...extra,
    });

  it('maps per-step stats into one engine metrics message per window', async () => {
    const { source, connector, scheduler, batches } = setup({ eagleEye: { enabled: true } });
    source.start();
    await settle();
    const nats = connector.last();
    expect([...nats.subscriptions.keys()]).toContain('eagle_eye.routing_metrics');
    nats.deliver('eagle_eye.routing_metrics', step({ num_running_reqs: 11 }));
    nats.deliver('eagle_eye.routing_metrics', step());
    nats.deliver('eagle_eye.routing_metrics', step({ hostname: undefined }));
    nats.deliver('eagle_eye.routing_metrics', 'not json');
    scheduler.advance(500);
    scheduler.runFrames();
    const [message] = batches.flatMap((b) => b.messages);
    expect(message).toMatchObject({ type: 'metrics', cluster: 'local', node: 'gpu-node-03' });
    const labels = { engine: 'vllm-0', model: 'Qwen/Qwen2.5-7B-Instruct', framework: 'vllm' };
    expect(message?.type === 'metrics' && message.samples).toEqual([
      { m: 'engine.requests.running', v: 12, l: labels },
      { m: 'engine.requests.waiting', v: 3, l: labels },
      { m: 'engine.kv_cache.usage', v: 50, l: labels },
      { m: 'engine.prefix_cache.hit_rate', v: 25, l: labels },
    ]);
    expect(source.lastReceivedAt('local', 'gpu-node-03')).toBe(500);
    expect(source.status.problems.map((p) => p.key).sort()).toEqual([
      'eagle-eye:identity:hostname',
      'eagle-eye:not-json',
    ]);
  });

  it('admits Eagle Eye’s nodes at the same rate as the subjects’ nodes', async () => {
    const { source, connector, scheduler, batches } = setup({ eagleEye: { enabled: true } }, null, {
      admission: { perSecond: 1, burst: 1 },
    });
    source.start();
    await settle();
    const nats = connector.last();
    nats.deliver('eagle_eye.routing_metrics', step());
    nats.deliver('eagle_eye.routing_metrics', step({ hostname: 'flood-1' }));
    nats.deliver('eagle_eye.routing_metrics', step({ hostname: 'flood-2' }));
    scheduler.advance(500);
    scheduler.runFrames();
    expect(batches.flatMap((b) => b.messages.map((m) => m.node))).toEqual(['gpu-node-03']);
    scheduler.advance(250);
    expect(source.status.problems.find((p) => p.key === 'admission')?.message).toBe(
      '2 messages from new nodes refused: more than 1 new node a second on this connection',
    );
  });

  it('leaves Eagle Eye alone unless the connection enables it', async () => {
    const { source, connector } = setup({ eagleEye: { enabled: false } });
    source.start();
    await settle();
    expect([...connector.last().subscriptions.keys()]).toEqual(['osprey.v1.*.local.*']);
  });
});

describe('NatsSource under a flood', () => {
  const at = (node: string, ts: number) =>
    json(metrics(ts, [{ m: 'device.utilization', v: 1, d: H100.id }], { node }));

  it('admits new nodes at its rate, names the refusal, and lets known nodes flow', async () => {
    const { source, connector, scheduler, batches } = setup({}, null, {
      admission: { perSecond: 64, burst: 4 },
    });
    source.start();
    await settle();
    const nats = connector.last();
    nats.deliver('osprey.v1.metrics.local.good', at('good', 1));
    for (let i = 0; i < 10; i++)
      nats.deliver(`osprey.v1.metrics.local.new-${i}`, at(`new-${i}`, 1));
    nats.deliver('osprey.v1.metrics.local.good', at('good', 2));
    scheduler.runFrames();
    const nodes = batches.flatMap((b) => b.messages.map((m) => m.node));
    expect(nodes).toEqual(['good', 'new-0', 'new-1', 'new-2', 'good']);
    scheduler.advance(250);
    expect(source.status.problems).toEqual([
      expect.objectContaining({
        key: 'admission',
        count: 7,
        message:
          '7 messages from new nodes refused: more than 64 new nodes a second on this connection',
      }),
    ]);
  });

  it('decodes in slices, each batch carrying the backlog behind it, the last one empty', async () => {
    const clock = { t: 0 };
    const { source, connector, scheduler, batches } = setup({}, null, {
      clock: () => clock.t,
      slice: { ms: 8, messages: 3, bytes: 1e9 },
    });
    source.start();
    await settle();
    const nats = connector.last();
    for (let i = 0; i < 7; i++) nats.deliver(SUBJECT, at('box', 1000 + i));
    expect(source.backlog.messages).toBe(7);
    scheduler.runFrames();
    scheduler.advance(0);
    expect(batches.map((b) => [b.messages.length, b.backlog?.messages])).toEqual([
      [3, 4],
      [3, 1],
      [1, 0],
    ]);
  });

  it('drops the oldest metrics unread when the queue is full, keeps the inventory, and says so', async () => {
    const { source, connector, scheduler, batches } = setup({}, null, {
      queue: { maxMessages: 3 },
    });
    source.start();
    await settle();
    const nats = connector.last();
    nats.deliver('osprey.v1.inventory.local.box', json(inventory([H100])));
    for (let i = 0; i < 5; i++) nats.deliver(SUBJECT, at('box', 1000 + i));
    scheduler.runFrames();
    const kept = batches.flatMap((b) => b.messages.map((m) => `${m.type}:${m.ts}`));
    expect(kept).toEqual(['inventory:1000', 'metrics:1003', 'metrics:1004']);
    scheduler.advance(250);
    expect(source.status.problems.map((p) => [p.count, p.message])).toEqual([
      [
        3,
        '3 messages dropped unread (latest: metrics): more than 3 messages or 32 MiB waiting, the console fell behind; oldest metrics go first',
      ],
    ]);
  });
});
