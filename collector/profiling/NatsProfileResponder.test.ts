import { describe, expect, it } from 'vitest';

import { CaptureError, type CapturedProfile } from '../core/protocol/profileCapture.js';
import { PING_TIMEOUT_MS, requestProfile } from '../core/protocol/profileRequester.js';
import { FakeCommandRunner } from '../probes/FakeCommandRunner.js';
import { NatsProfileResponder, type ResponderLink } from './NatsProfileResponder.js';
import { ProfileCapturer } from './ProfileCapturer.js';

/** A text that does not compress away: ~1 MB of distinct folded lines. */
function bigFolded(lines: number): string {
  let text = '';
  let x = 12345;
  for (let i = 0; i < lines; i++) {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    text += `main (app.py:1);work_${x.toString(36)} (mod_${i % 97}.py:${x % 1000}) ${1 + (x % 50)}\n`;
  }
  return text;
}

function profileOf(text: string): CapturedProfile {
  return {
    tool: 'py-spy',
    format: 'folded',
    text,
    pid: 42,
    node: 'n1',
    durationS: 2,
    rateHz: 100,
    startedAtMs: 1_700_000_000_000,
    command: 'py-spy record …',
    warnings: [],
  };
}

/** A responder whose "connection" says max_payload, answering requests directly. */
function setup(opts: {
  capture?: (o: { signal?: AbortSignal }) => Promise<CapturedProfile>;
  allow?: boolean;
  maxPayload?: number;
}) {
  const capturer = new ProfileCapturer(
    { runner: new FakeCommandRunner(), node: 'n1' },
    4,
    (opts.capture ?? (() => Promise.reject(new Error('no capture')))) as never,
  );
  const link: ResponderLink = {
    subscribe: () => ({}) as never,
    close: async () => {},
    info: { max_payload: opts.maxPayload ?? 1024 * 1024 } as never,
  };
  const responder = new NatsProfileResponder({
    client: { servers: ['nats://unused'] },
    cluster: 'c1',
    node: 'n1',
    capturer: opts.allow === false ? undefined : capturer,
    connect: async () => link,
    log: () => {},
    retryMs: 10,
  });
  const sizes: number[] = [];
  const subjects: string[] = [];
  const send = async (subject: string, data: Uint8Array) => {
    subjects.push(subject);
    const reply = new TextEncoder().encode(JSON.stringify(await responder.replyTo(data)));
    sizes.push(reply.byteLength);
    return reply;
  };
  const every = (_ms: number, _tick: () => void) => () => {};
  return { responder, capturer, send, sizes, subjects, every };
}

describe('profile capture over NATS request/reply (responder ↔ requester)', () => {
  it('a 1 MB profile arrives whole in parts that each fit max_payload', async () => {
    const text = bigFolded(20_000);
    expect(text.length).toBeGreaterThan(900_000);
    const { responder, send, sizes, subjects, every } = setup({
      capture: async () => profileOf(text),
      maxPayload: 64 * 1024,
    });
    responder.start();
    await new Promise((r) => setTimeout(r, 20));
    const result = await requestProfile({
      cluster: 'c1',
      node: 'n1',
      request: { pid: 42, durationS: 2 },
      send,
      now: Date.now,
      every,
    });
    expect(result.text).toBe(text);
    expect(result.tool).toBe('py-spy');
    expect(subjects[0]).toBe('osprey.v1.profile.c1.n1');
    expect(sizes.length).toBeGreaterThan(2);
    for (const size of sizes) expect(size).toBeLessThanOrEqual(64 * 1024);
    await responder.stop();
  });

  it('without --allow-profiling the agent answers with a refusal naming the flag', async () => {
    const { send, every } = setup({ allow: false });
    const error = (await requestProfile({
      cluster: 'c1',
      node: 'n1',
      request: { pid: 42, durationS: 2 },
      send,
      now: Date.now,
      every,
    }).catch((e: unknown) => e)) as CaptureError;
    expect(error).toBeInstanceOf(CaptureError);
    expect(error.kind).toBe('refused');
    expect(error.message).toContain('--allow-profiling');
  });

  it("the agent's capture errors arrive with their kind and message", async () => {
    const { send, every } = setup({
      capture: () =>
        Promise.reject(
          new CaptureError('tool-missing', 'py-spy is not installed on n1: pip install py-spy'),
        ),
    });
    await expect(
      requestProfile({
        cluster: 'c1',
        node: 'n1',
        request: { pid: 42, durationS: 2 },
        send,
        now: Date.now,
        every,
      }),
    ).rejects.toMatchObject({
      kind: 'tool-missing',
      message: 'py-spy is not installed on n1: pip install py-spy',
    });
  });

  it('a request that breaks the schema is answered with the field at fault', async () => {
    const { responder } = setup({});
    const reply = await responder.replyTo(
      new TextEncoder().encode('{"v":1,"op":"capture","pid":42,"durationS":600}'),
    );
    expect(reply).toMatchObject({ ok: false, kind: 'invalid' });
  });

  it('cancel on the console sends a cancel that kills the capture on the agent', async () => {
    let agentSignal: AbortSignal | undefined;
    const { send, every } = setup({
      capture: (o) =>
        new Promise((_resolve, reject) => {
          agentSignal = o.signal;
          o.signal!.addEventListener('abort', () =>
            reject(new CaptureError('cancelled', 'cancelled')),
          );
        }),
    });
    const controller = new AbortController();
    const run = requestProfile({
      cluster: 'c1',
      node: 'n1',
      request: { pid: 42, durationS: 30 },
      send,
      signal: controller.signal,
      now: Date.now,
      every,
    });
    await new Promise((r) => setTimeout(r, 10));
    controller.abort();
    await expect(run).rejects.toMatchObject({ kind: 'cancelled' });
    await new Promise((r) => setTimeout(r, 10));
    expect(agentSignal?.aborted).toBe(true);
  });

  it('no responders and timeouts from the transport become "unreachable" and "timeout"', async () => {
    const every = () => () => {};
    const noResponders = Object.assign(new Error('no responders'), { name: 'RequestError' });
    await expect(
      requestProfile({
        cluster: 'c1',
        node: 'n9',
        request: { pid: 1, durationS: 1 },
        send: () => Promise.reject(noResponders),
        now: Date.now,
        every,
      }),
    ).rejects.toMatchObject({
      kind: 'unreachable',
      message: expect.stringContaining('osprey.v1.profile.c1.n9'),
    });
    const timeout = Object.assign(new Error('timeout'), { name: 'TimeoutError' });
    // An agent that answers its ping and then goes quiet: the capture's own timeout.
    const pong = new TextEncoder().encode(
      JSON.stringify({ v: 1, ok: true, op: 'ping', profiling: true }),
    );
    await expect(
      requestProfile({
        cluster: 'c1',
        node: 'n9',
        request: { pid: 1, durationS: 1 },
        send: (_subject, data) =>
          new TextDecoder().decode(data).includes('"ping"')
            ? Promise.resolve(pong)
            : Promise.reject(timeout),
        now: Date.now,
        every,
      }),
    ).rejects.toMatchObject({
      kind: 'timeout',
      message: 'n9 did not answer within 31 s: its agent may be down or stuck',
    });
  });

  it('a node whose ping goes unanswered (the console wildcard hides "no responders") times out in the ping 3 s, not the capture 40 s', async () => {
    const asked: number[] = [];
    const timeout = Object.assign(new Error('timeout'), { name: 'TimeoutError' });
    await expect(
      requestProfile({
        cluster: 'c1',
        node: 'n9',
        request: { pid: 1, durationS: 10 },
        send: (_subject, _data, timeoutMs) => {
          asked.push(timeoutMs);
          return Promise.reject(timeout);
        },
        now: Date.now,
        every: () => () => {},
      }),
    ).rejects.toMatchObject({
      kind: 'timeout',
      message: expect.stringContaining(
        'n9 did not answer within 3 s: its agent may be down or stuck, or there is none',
      ),
    });
    expect(asked).toEqual([PING_TIMEOUT_MS]);
  });

  it('an agent without --allow-profiling is told by its ping, before any capture is asked', async () => {
    const ops: string[] = [];
    const responder = new NatsProfileResponder({
      client: { servers: ['nats://unused'] },
      cluster: 'c1',
      node: 'n9',
      capturer: undefined,
      log: () => {},
    });
    await expect(
      requestProfile({
        cluster: 'c1',
        node: 'n9',
        request: { pid: 1, durationS: 10 },
        send: async (_subject, data) => {
          ops.push((JSON.parse(new TextDecoder().decode(data)) as { op: string }).op);
          return new TextEncoder().encode(JSON.stringify(await responder.replyTo(data)));
        },
        now: Date.now,
        every: () => () => {},
      }),
    ).rejects.toMatchObject({
      kind: 'refused',
      message: expect.stringContaining('--allow-profiling'),
    });
    expect(ops).toEqual(['ping']);
  });
});
