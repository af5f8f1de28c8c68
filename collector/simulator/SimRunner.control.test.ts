/**
 * The fault-command subscription must outlive a message whose handling throws: nats.js feeds the
 * loop, and a throw there ended it (and, as an unhandled rejection, the process). The real
 * nats-server path is in simulator.int.test.ts; here a fake connection hands over the messages.
 */
import type { Msg, NatsConnection, Status } from '@nats-io/nats-core';
import { describe, expect, it, vi } from 'vitest';

import { CONTROL_SUBJECT, SimRunner } from './SimRunner.js';

function fakeMsg(text: string | Error, reply: string): Msg {
  return {
    subject: CONTROL_SUBJECT,
    reply,
    string: () => {
      if (text instanceof Error) throw text;
      return text;
    },
  } as unknown as Msg;
}

/** A connection whose control subscription yields the given messages, then waits. */
function fakeConnection(messages: Msg[]) {
  const replies: { subject: string; body: unknown }[] = [];
  const never = new Promise<never>(() => undefined);
  const nc = {
    subscribe: () => ({
      async *[Symbol.asyncIterator]() {
        yield* messages;
        await never;
      },
    }),
    status: () => ({
      [Symbol.asyncIterator]: (): AsyncIterator<Status> => ({ next: () => never }),
    }),
    publish: (subject: string, data: string) => {
      if (subject.startsWith('_reply')) replies.push({ subject, body: JSON.parse(data) });
    },
    flush: async () => undefined,
    close: async () => undefined,
  } as unknown as NatsConnection;
  return { nc, replies };
}

describe('SimRunner fault commands over NATS', () => {
  it('answers a message whose handling throws with an error, then takes the next command', async () => {
    const messages: Msg[] = [];
    const { nc, replies } = fakeConnection(messages);
    const lines: string[] = [];
    const runner = new SimRunner({
      simulator: { clusters: 1, nodes: 1, devicesPerNode: 1, seed: 1, intervalMs: 60_000 },
      nats: { servers: ['nats://fake:4222'] },
      connect: async () => nc,
      log: (line) => lines.push(line),
    });
    const node = runner.simulator.fleet.nodes[0]!.name;
    messages.push(
      fakeMsg(new Error('payload is not UTF-8'), '_reply.1'),
      fakeMsg('nonsense', '_reply.2'),
      fakeMsg(`node=${node} kind=xid79`, '_reply.3'),
    );
    await runner.start();
    await vi.waitFor(() => expect(replies).toHaveLength(3));
    await runner.stop();
    expect(replies[0]).toEqual({
      subject: '_reply.1',
      body: { ok: false, error: 'command failed: payload is not UTF-8' },
    });
    expect(replies[1]?.body).toMatchObject({ ok: false });
    expect(lines).toContain('sim: command failed: payload is not UTF-8');
    expect(replies[2]).toEqual({ subject: '_reply.3', body: { ok: true } });
  });
});
