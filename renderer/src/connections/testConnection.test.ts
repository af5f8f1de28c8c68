import { describe, expect, it } from 'vitest';

import type {
  ConnectionConfig,
  ConnectionInput,
  ConnectionSummary,
} from '../../../collector/core/connections/schema.js';
import { FakeSource } from '../sources/FakeSource.js';
import { metrics } from '../testing/messages.js';
import { testConnection, testSecret } from './testConnection.js';

const config: ConnectionConfig = {
  id: 'test',
  name: 'lab',
  kind: 'nats',
  natsUrl: 'ws://127.0.0.1:8080',
  auth: 'none',
  cluster: 'local',
};

/**
 * A source the "server" drives: `listen` runs while the test listens; the connect timeout passes
 * only when `timeout` says so.
 */
function harness(listen: (source: FakeSource) => unknown, timeout = false) {
  const source = Object.assign(new FakeSource('test', 'lab'), { subject: 'osprey.v1.*.local.*' });
  const sleep = async (ms: number): Promise<void> => {
    if (ms === 5000) await listen(source);
    else if (!timeout) await new Promise(() => undefined);
  };
  return { source, opts: { createSource: () => source, sleep, listenMs: 5000, connectMs: 10_000 } };
}

describe('testConnection', () => {
  it('counts the nodes heard while listening', async () => {
    const { source, opts } = harness((s) => {
      s.emit([metrics(1, [], { node: 'a' }), metrics(1, [], { node: 'b' })]);
      s.emit([metrics(2, [], { node: 'a' })]);
    });
    const run = testConnection(config, null, opts);
    source.setPresence('live');
    await expect(run).resolves.toEqual({ ok: true, message: 'connected, 2 nodes seen in 5 s' });
    expect(source.stopped).toBe(true);
  });

  it('says when nothing arrived, and which problems did', async () => {
    const { source, opts } = harness((s) =>
      s.addProblem('schema:metrics.local', 'messages dropped: schema mismatch', 3),
    );
    const run = testConnection(config, null, opts);
    source.setPresence('live');
    await expect(run).resolves.toEqual({
      ok: true,
      message:
        'connected, but nothing arrived on osprey.v1.*.local.* in 5 s; 3 problems, e.g. messages dropped: schema mismatch',
    });
  });

  it('reports the connection error as it is', async () => {
    const { source, opts } = harness(() => undefined);
    const run = testConnection(config, 'tok', opts);
    source.setPresence('error', "authentication failed: 'Authorization Violation'");
    await expect(run).resolves.toEqual({
      ok: false,
      message: "authentication failed: 'Authorization Violation'",
    });
  });

  it('gives up when the server does not answer in time', async () => {
    const { opts } = harness(() => undefined, true);
    await expect(testConnection(config, null, opts)).resolves.toEqual({
      ok: false,
      message: 'no answer from ws://127.0.0.1:8080 in 10 s',
    });
  });
});

describe('testSecret', () => {
  const saved: ConnectionSummary = {
    id: 'c1',
    name: 'prod',
    kind: 'nats',
    natsUrl: 'wss://nats.prod.example:443/ws',
    auth: 'user-password',
    user: 'ops',
    hasSecret: true,
    hasPrometheusSecret: false,
  };
  const { id: _id, hasSecret: _h, hasPrometheusSecret: _p, ...form } = saved;
  const fetched: string[] = [];
  const stored = (id: string) => {
    fetched.push(id);
    return async () => 'stored-password';
  };

  it('uses the stored password for the URL and user it was stored with', async () => {
    fetched.length = 0;
    const same: ConnectionInput = { ...form, natsUrl: 'WSS://nats.prod.example/ws/' };
    const answer = testSecret(same, saved, stored);
    expect(answer.ok).toBe(true);
    expect(fetched).toEqual(['c1']);
  });

  it('does not even fetch it for another URL or user, and says to type it again', () => {
    fetched.length = 0;
    expect(testSecret({ ...form, natsUrl: 'wss://evil.example/ws' }, saved, stored)).toEqual({
      ok: false,
      message:
        'the saved password belongs to wss://nats.prod.example/ws; type it again to test another URL',
    });
    expect(
      testSecret({ ...form, natsUrl: 'wss://nats.prod.example:444/ws' }, saved, stored).ok,
    ).toBe(false);
    expect(testSecret({ ...form, user: 'root' }, saved, stored)).toEqual({
      ok: false,
      message:
        'the saved password belongs to user "ops" at wss://nats.prod.example/ws; type it again to test another user name',
    });
    expect(fetched).toEqual([]);
  });

  it('takes a typed secret anywhere, and none for a new connection', () => {
    const elsewhere = { ...form, natsUrl: 'wss://other.example', secret: 'typed' };
    expect(testSecret(elsewhere, saved, stored)).toEqual({ ok: true, secret: 'typed' });
    expect(testSecret({ ...form, natsUrl: 'wss://other.example' }, undefined, stored)).toEqual({
      ok: true,
      secret: null,
    });
    expect(fetched).toEqual([]);
  });
});
