import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { fakeSpawn, flush, type FakeChild } from '../testing/FakeChild.js';
import {
  createCollectorProcess,
  type CollectorEvent,
  type CollectorProcessOptions,
} from './collectorProcess.js';

const TOKEN = 'a'.repeat(64);
const ready = (port: number, token = TOKEN): string =>
  `OSPREY_READY ${JSON.stringify({ url: `http://127.0.0.1:${port}`, token })}`;

function setup(overrides: Partial<CollectorProcessOptions> = {}) {
  const { calls, spawn } = fakeSpawn();
  const events: CollectorEvent[] = [];
  const logs: string[] = [];
  const collector = createCollectorProcess({
    spawn,
    execPath: '/opt/Osprey/electron',
    script: '/app/collector/bin/osprey.js',
    cwd: '/app',
    env: { ELECTRON_RUN_AS_NODE: '1' },
    token: TOKEN,
    log: (line) => logs.push(line),
    onEvent: (event) => events.push(event),
    ...overrides,
  });
  const child = (i: number): FakeChild => calls[i]!.child;
  return { calls, events, logs, collector, child };
}

/** Starts the collector and lets child 0 announce port 41234. */
async function started() {
  const s = setup();
  const start = s.collector.start();
  await flush();
  s.child(0).print('Osprey console: http://127.0.0.1:41234/#token=' + TOKEN, ready(41234));
  await start;
  return s;
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('starting the collector', () => {
  it('runs `osprey serve` on loopback with the token, piping its output', async () => {
    const { calls } = await started();
    expect(calls).toHaveLength(1);
    expect(calls[0]!.command).toBe('/opt/Osprey/electron');
    expect(calls[0]!.args).toEqual([
      '/app/collector/bin/osprey.js',
      'serve',
      '--host',
      '127.0.0.1',
      '--port',
      '0',
      '--interval',
      '1000',
      '--exit-with-stdin',
    ]);
    expect(calls[0]!.options).toEqual({
      cwd: '/app',
      env: { ELECTRON_RUN_AS_NODE: '1', OSPREY_TOKEN: TOKEN },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
  });

  it('resolves with the endpoint of the READY line and reports it', async () => {
    const { collector, events } = await started();
    const endpoint = { url: 'http://127.0.0.1:41234', token: TOKEN };
    expect(collector.endpoint()).toEqual(endpoint);
    expect(events).toEqual([{ type: 'ready', endpoint }]);
  });

  it('makes a fresh 32-byte token when none is given', async () => {
    const { calls, collector } = setup({ token: undefined });
    void collector.start().catch(() => {});
    const token = (calls[0]!.options as { env: NodeJS.ProcessEnv }).env.OSPREY_TOKEN;
    expect(token).toMatch(/^[0-9a-f]{64}$/);
    const other = setup({ token: undefined });
    void other.collector.start().catch(() => {});
    expect((other.calls[0]!.options as { env: NodeJS.ProcessEnv }).env.OSPREY_TOKEN).not.toBe(
      token,
    );
  });

  it('keeps the token out of its log', async () => {
    const { logs } = await started();
    expect(logs.join('\n')).toContain('#token=<token>');
    expect(logs.join('\n')).not.toContain(TOKEN);
  });

  it('fails with the output when the child exits before it is ready', async () => {
    const { collector, child } = setup();
    const start = collector.start();
    child(0).stderr.write('osprey: the web console is not built: run `npm run build`\n');
    await flush();
    child(0).exit(2);
    await expect(start).rejects.toThrow(
      /embedded collector exited \(code 2\) before it was ready; its last output:\nosprey: the web console is not built/,
    );
    expect(() => collector.endpoint()).toThrow(/not started yet/);
  });

  it('fails after 15 s without a READY line and kills the child', async () => {
    const { collector, child } = setup();
    const start = collector.start();
    const failed = expect(start).rejects.toThrow(
      /did not report ready within 15 s; its last output:\nprobing nvidia-smi/,
    );
    child(0).print('probing nvidia-smi');
    await flush();
    await vi.advanceTimersByTimeAsync(14_999);
    expect(child(0).signals).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    await failed;
    expect(child(0).signals).toEqual(['SIGKILL']);
  });

  it('rejects a malformed READY line and one with another token', async () => {
    const a = setup();
    const startA = a.collector.start();
    a.child(0).print('OSPREY_READY {"url":"http://192.168.1.4:80","token":"x"}');
    await expect(startA).rejects.toThrow(/no loopback http URL/);
    expect(a.child(0).signals).toEqual(['SIGKILL']);

    const b = setup();
    const startB = b.collector.start();
    b.child(0).print(ready(41234, 'someone-else'));
    await expect(startB).rejects.toThrow(/another token/);
  });

  it('reports a child that cannot be spawned', async () => {
    const { collector, child } = setup();
    const start = collector.start();
    child(0).emit('error', new Error('spawn /opt/Osprey/electron ENOENT'));
    await expect(start).rejects.toThrow(/could not be run: spawn \/opt\/Osprey\/electron ENOENT/);
  });

  it('refuses a second start', async () => {
    const { collector } = await started();
    await expect(collector.start()).rejects.toThrow(/already started/);
  });
});

describe('when the collector dies', () => {
  it('restarts it after a backoff on the same port with the same token', async () => {
    const { calls, child, collector, events } = await started();
    child(0).exit(null, 'SIGSEGV');
    expect(events.at(-1)).toEqual({
      type: 'restarting',
      attempt: 1,
      delayMs: 500,
      reason: 'exited (signal SIGSEGV)',
    });
    await vi.advanceTimersByTimeAsync(499);
    expect(calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toHaveLength(2);
    expect(calls[1]!.args).toEqual(expect.arrayContaining(['--port', '41234']));
    expect((calls[1]!.options as { env: NodeJS.ProcessEnv }).env.OSPREY_TOKEN).toBe(TOKEN);
    expect(collector.endpoint().url).toBe('http://127.0.0.1:41234');
    child(1).print(ready(41234));
    await flush();
    expect(events.at(-1)).toEqual({
      type: 'ready',
      endpoint: { url: 'http://127.0.0.1:41234', token: TOKEN },
    });
  });

  it('gives up after 5 failed restarts with growing delays', async () => {
    const { calls, child, collector, events } = await started();
    child(0).exit(1);
    const delays = [500, 1_000, 2_000, 4_000, 8_000];
    for (const [i, delay] of delays.entries()) {
      await vi.advanceTimersByTimeAsync(delay);
      expect(calls).toHaveLength(i + 2);
      child(i + 1).stderr.write('EADDRINUSE 127.0.0.1:41234\n');
      await flush();
      child(i + 1).exit(2);
      await flush();
    }
    const restarting = events.filter((e) => e.type === 'restarting');
    expect(restarting.map((e) => e.delayMs)).toEqual(delays);
    const last = events.at(-1);
    expect(last?.type).toBe('gave-up');
    expect(() => collector.endpoint()).toThrow(
      /did not come back after 5 restarts \(last: exited \(code 2\) before it was ready; its last output:\nEADDRINUSE/,
    );
    await vi.advanceTimersByTimeAsync(60_000);
    expect(calls).toHaveLength(6);
  });

  it('counts restarts afresh once a restarted child stayed up for a minute', async () => {
    const { child, events } = await started();
    child(0).exit(1);
    await vi.advanceTimersByTimeAsync(500);
    child(1).print(ready(41234));
    await flush();
    await vi.advanceTimersByTimeAsync(60_000);
    child(1).exit(1);
    expect(events.at(-1)).toMatchObject({ type: 'restarting', attempt: 1, delayMs: 500 });
  });

  it('counts on when the restarted child dies again soon', async () => {
    const { child, events } = await started();
    child(0).exit(1);
    await vi.advanceTimersByTimeAsync(500);
    child(1).print(ready(41234));
    await flush();
    await vi.advanceTimersByTimeAsync(5_000);
    child(1).exit(1);
    expect(events.at(-1)).toMatchObject({ type: 'restarting', attempt: 2, delayMs: 1_000 });
  });
});

describe('stopping the collector', () => {
  it('sends SIGTERM and resolves when the child has exited, without a restart', async () => {
    const { calls, child, collector } = await started();
    let stopped = false;
    const stop = collector.stop().then(() => (stopped = true));
    expect(child(0).signals).toEqual(['SIGTERM']);
    await flush();
    expect(stopped).toBe(false);
    child(0).exit(0);
    await stop;
    await vi.advanceTimersByTimeAsync(60_000);
    expect(calls).toHaveLength(1);
    expect(child(0).signals).toEqual(['SIGTERM']);
  });

  it('sends SIGKILL when the child is still there 3 s after SIGTERM', async () => {
    const { child, collector } = await started();
    const stop = collector.stop();
    await vi.advanceTimersByTimeAsync(2_999);
    expect(child(0).signals).toEqual(['SIGTERM']);
    await vi.advanceTimersByTimeAsync(1);
    expect(child(0).signals).toEqual(['SIGTERM', 'SIGKILL']);
    child(0).exit(null, 'SIGKILL');
    await stop;
  });

  it('cancels a pending restart', async () => {
    const { calls, child, collector } = await started();
    child(0).exit(1);
    await collector.stop();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(calls).toHaveLength(1);
  });

  it('is a no-op before start', async () => {
    const { calls, collector } = setup();
    await collector.stop();
    expect(calls).toHaveLength(0);
  });
});
