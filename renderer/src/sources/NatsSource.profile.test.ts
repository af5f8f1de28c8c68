import { describe, expect, it } from 'vitest';

import type { ConnectionConfig } from '../../../collector/core/connections/schema.js';
import { FakeConnector } from '../testing/FakeNatsClient.js';
import { ManualScheduler } from '../testing/ManualScheduler.js';
import { NatsSource } from './NatsSource.js';

const settle = () => new Promise((r) => setTimeout(r, 0));

const base: ConnectionConfig = {
  id: 'c1',
  name: 'lab',
  kind: 'nats',
  natsUrl: 'ws://127.0.0.1:8080',
  auth: 'none',
  cluster: 'local',
};

function setup() {
  const scheduler = new ManualScheduler();
  const connector = new FakeConnector();
  const source = new NatsSource({
    connection: base,
    secret: null,
    connect: connector.connect,
    scheduler,
    now: () => scheduler.now,
    random: () => 0.5,
    clock: () => 0,
  });
  return { source, scheduler, connector };
}

describe('NatsSource profile capture', () => {
  it("another console's profile request on the cluster's wildcard is not a problem", async () => {
    const { source, connector, scheduler } = setup();
    source.start();
    await settle();
    connector
      .last()
      .deliver('osprey.v1.profile.local.box', '{"v":1,"op":"capture","pid":1,"durationS":10}');
    scheduler.runFrames();
    scheduler.advance(250);
    expect(source.status.problems).toEqual([]);
  });

  it("asks the node's subject and reads the agent's refusal", async () => {
    const { source, connector } = setup();
    source.start();
    await settle();
    const asked: { subject: string; timeout: number }[] = [];
    Object.assign(connector.last(), {
      request: async (subject: string, data: Uint8Array, opts: { timeout: number }) => {
        asked.push({ subject, timeout: opts.timeout });
        const op = (JSON.parse(new TextDecoder().decode(data)) as { op: string }).op;
        const reply =
          op === 'ping'
            ? { v: 1, ok: true, op: 'ping', profiling: true }
            : {
                v: 1,
                ok: false,
                kind: 'refused',
                error: 'profiling is off on box: restart its agent with --allow-profiling',
              };
        return { subject: '_INBOX.x', data: new TextEncoder().encode(JSON.stringify(reply)) };
      },
    });
    await expect(
      source.captureProfile({ cluster: 'local', node: 'box' }, { pid: 42, durationS: 10 }),
    ).rejects.toMatchObject({
      kind: 'refused',
      message: expect.stringContaining('--allow-profiling'),
    });
    expect(asked).toEqual([
      { subject: 'osprey.v1.profile.local.box', timeout: 3_000 },
      { subject: 'osprey.v1.profile.local.box', timeout: 40_000 },
    ]);
  });

  it('not connected: says so at once', async () => {
    const { source } = setup();
    await expect(
      source.captureProfile({ cluster: 'local', node: 'box' }, { pid: 42, durationS: 10 }),
    ).rejects.toMatchObject({ kind: 'unreachable' });
  });
});
