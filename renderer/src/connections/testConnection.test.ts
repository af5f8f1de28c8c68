import { describe, expect, it } from 'vitest';

import type { ConnectionConfig } from '../../../collector/core/connections/schema.js';
import { FakeSource } from '../sources/FakeSource.js';
import { metrics } from '../testing/messages.js';
import { testConnection } from './testConnection.js';

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
