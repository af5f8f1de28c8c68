import { describe, expect, it, vi } from 'vitest';

import { ConnectionStore } from '../../collector/core/connections/ConnectionStore.js';
import { HostServices, type FetchPrometheus } from '../../collector/hostServices/HostServices.js';
import { IPC_CHANNELS } from '../common/api.js';
import { registerIpcHandlers, type DesktopServices, type IpcInvokeEvent } from './ipc.js';

const APP = 'http://127.0.0.1:41234';
const ENDPOINT = { url: APP, token: 'b'.repeat(64) };
type Handler = (event: IpcInvokeEvent, ...args: unknown[]) => unknown;

function memoryStore(): ConnectionStore {
  let text: string | undefined;
  let n = 0;
  const file = {
    path: '/tmp/connections.json',
    read: async () => text,
    write: async (t: string) => void (text = t),
  };
  return new ConnectionStore(file, () => `c${++n}`);
}

/** Answers with what it was asked; waits for `release` or the abort when told to hang. */
function fakeFetch(hang = false) {
  const calls: Parameters<FetchPrometheus>[0][] = [];
  const fetch: FetchPrometheus = (call) => {
    calls.push(call);
    const answer = {
      status: 200,
      contentType: 'text/plain',
      body: call.secret ?? '',
      url: call.settings.url,
    };
    if (!hang) return Promise.resolve(answer);
    return new Promise((_resolve, reject) =>
      call.signal?.addEventListener('abort', () => reject(new Error('aborted'))),
    );
  };
  return { calls, fetch };
}

function setup(services: Partial<DesktopServices> = {}, hang = false) {
  const handlers = new Map<string, Handler>();
  const opened: string[] = [];
  const upstream = fakeFetch(hang);
  const unregister = registerIpcHandlers(
    {
      handle: (channel, listener) => {
        if (handlers.has(channel)) throw new Error(`second handler for ${channel}`);
        handlers.set(channel, listener);
      },
      removeHandler: (channel) => handlers.delete(channel),
    },
    APP,
    {
      collectorEndpoint: () => ENDPOINT,
      appInfo: () => ({ version: '0.1.0', platform: 'linux' }),
      openExternal: async (url) => void opened.push(url),
      host: new HostServices(memoryStore(), upstream.fetch),
      files: {
        openFile: async () => ({ name: 'a.mcap', bytes: new Uint8Array([1, 2]) }),
        saveFile: async () => true,
      },
      ...services,
    },
  );
  const from = (url: string | null) => ({ senderFrame: url === null ? null : { url } });
  const call = async (channel: string, sender: string | null, ...args: unknown[]) =>
    handlers.get(channel)!(from(sender), ...args);
  return { handlers, opened, unregister, call, upstream };
}

describe('registerIpcHandlers', () => {
  it('handles exactly the channels of the API', () => {
    const { handlers } = setup();
    expect([...handlers.keys()].sort()).toEqual(Object.values(IPC_CHANNELS).sort());
  });

  it('answers the app window', async () => {
    const { call, opened } = setup();
    await expect(call(IPC_CHANNELS.getCollectorEndpoint, `${APP}/`)).resolves.toEqual(ENDPOINT);
    await expect(call(IPC_CHANNELS.getAppInfo, `${APP}/#x`)).resolves.toEqual({
      version: '0.1.0',
      platform: 'linux',
    });
    await expect(call(IPC_CHANNELS.openExternal, `${APP}/`, 'https://example.org/x')).resolves.toBe(
      undefined,
    );
    expect(opened).toEqual(['https://example.org/x']);
  });

  it.each([
    ['another origin', 'https://evil.test/'],
    ['another port on loopback', 'http://127.0.0.1:41235/'],
    ['a file page', 'file:///app/index.html'],
    ['a destroyed frame', null],
  ])('refuses every operation to %s', async (_what, sender) => {
    const { call, opened } = setup();
    for (const channel of Object.values(IPC_CHANNELS)) {
      await expect(call(channel, sender, 'https://example.org/')).rejects.toThrow(
        new RegExp(`refused ${channel}: the caller .* is not the Osprey window`),
      );
    }
    expect(opened).toEqual([]);
  });

  it('opens only http(s) URLs', async () => {
    const { call, opened } = setup();
    await expect(call(IPC_CHANNELS.openExternal, APP, 'file:///etc/passwd')).rejects.toThrow(
      /only http and https/,
    );
    await expect(call(IPC_CHANNELS.openExternal, APP, 42)).rejects.toThrow(/got number/);
    expect(opened).toEqual([]);
  });

  it('passes on why the collector is unreachable', async () => {
    const { call } = setup({
      collectorEndpoint: () => {
        throw new Error('the embedded collector stopped and did not come back after 5 restarts');
      },
    });
    await expect(call(IPC_CHANNELS.getCollectorEndpoint, APP)).rejects.toThrow(/5 restarts/);
  });

  it('saves, lists, hands out the secret of, and removes connections', async () => {
    const { call } = setup();
    const input = { name: 'prod', kind: 'nats', natsUrl: 'ws://n:80', auth: 'token', secret: 't' };
    const saved = (await call(IPC_CHANNELS.saveConnection, APP, input)) as {
      connection: { id: string };
    };
    expect(saved).toMatchObject({
      ok: true,
      connection: { id: 'c1', name: 'prod', hasSecret: true },
    });
    expect(saved.connection).not.toHaveProperty('secret');
    const { secret: _secret, ...rest } = input;
    await call(IPC_CHANNELS.saveConnection, APP, { ...rest, name: 'prod-2' }, 'c1');
    await expect(call(IPC_CHANNELS.listConnections, APP)).resolves.toMatchObject([
      { id: 'c1', name: 'prod-2', hasSecret: true },
    ]);
    await expect(call(IPC_CHANNELS.getConnectionSecret, APP, 'c1')).resolves.toBe('t');
    await call(IPC_CHANNELS.removeConnection, APP, 'c1');
    await expect(call(IPC_CHANNELS.listConnections, APP)).resolves.toEqual([]);
  });

  it('validates what the page sends before it reaches the store', async () => {
    const { call } = setup();
    // A refused save answers with the fields at fault, as the web API's 400 does.
    await expect(
      call(IPC_CHANNELS.saveConnection, APP, {
        name: 'x',
        kind: 'nats',
        natsUrl: 'nats://n',
        auth: 'none',
      }),
    ).resolves.toEqual({
      ok: false,
      error: expect.stringMatching(/^natsUrl: must be a ws:\/\/ or wss:\/\/ URL/),
      errors: [
        { field: 'natsUrl', message: expect.stringMatching(/^must be a ws:\/\/ or wss:\/\/ URL/) },
      ],
    });
    await expect(
      call(IPC_CHANNELS.saveConnection, APP, { name: 'x', kind: 'nats', auth: 'none' }, 'nope'),
    ).resolves.toEqual({ ok: false, error: 'no connection with id "nope"', errors: [] });
    await expect(call(IPC_CHANNELS.getConnectionSecret, APP, { id: 1 })).rejects.toThrow(
      /connection id must be a string/,
    );
    await expect(call(IPC_CHANNELS.removeConnection, APP, 'nope')).rejects.toThrow(
      'no connection with id "nope"',
    );
  });

  it('makes Prometheus calls with the stored secret, which never reaches the page otherwise', async () => {
    const { call, upstream } = setup();
    const input = {
      name: 'prom',
      kind: 'nats',
      auth: 'none',
      prometheus: { url: 'http://prom:9090', auth: 'bearer' },
      prometheusSecret: 'tok',
    };
    await call(IPC_CHANNELS.saveConnection, APP, input);
    const request = { endpoint: 'query', params: [['query', 'up']] };
    await expect(call(IPC_CHANNELS.prometheusRequest, APP, 'c1', request, 'r1')).resolves.toEqual({
      status: 200,
      contentType: 'text/plain',
      body: 'tok',
      url: 'http://prom:9090',
    });
    expect(upstream.calls[0]).toMatchObject({ request, secret: 'tok' });
    await expect(call(IPC_CHANNELS.getConnectionSecret, APP, 'c1')).resolves.toBeNull();
    const listed = await call(IPC_CHANNELS.listConnections, APP);
    expect(JSON.stringify(listed)).not.toContain('tok"');
    const test = { settings: { url: 'http://prom:9090/', auth: 'bearer' }, connectionId: 'c1' };
    await call(IPC_CHANNELS.testPrometheus, APP, test, 'r2');
    expect(upstream.calls[1]).toMatchObject({ request: { endpoint: 'buildinfo' }, secret: 'tok' });
  });

  it('tests another Prometheus URL only with a secret typed again, never the stored one', async () => {
    const { call, upstream } = setup();
    await call(IPC_CHANNELS.saveConnection, APP, {
      name: 'prom',
      kind: 'nats',
      auth: 'none',
      prometheus: { url: 'https://prom.a:9090/prom', auth: 'basic', user: 'ops' },
      prometheusSecret: 'stored-pw',
    });
    const elsewhere = [
      { url: 'http://evil.example:9090/prom', auth: 'basic', user: 'ops' },
      { url: 'https://prom.a:9090/other', auth: 'basic', user: 'ops' },
      { url: 'https://prom.a:9090/prom', auth: 'basic', user: 'attacker' },
    ];
    for (const [i, settings] of elsewhere.entries()) {
      await expect(
        call(IPC_CHANNELS.testPrometheus, APP, { settings, connectionId: 'c1' }, `r${i}`),
      ).rejects.toThrow(
        /^the saved password belongs to (user "ops" at )?https:\/\/prom\.a:9090\/prom; type it again to test another (URL|user name)$/,
      );
    }
    expect(upstream.calls).toEqual([]);
    const typed = { settings: elsewhere[0], connectionId: 'c1', secret: 'typed-pw' };
    await call(IPC_CHANNELS.testPrometheus, APP, typed, 'typed');
    expect(upstream.calls.map((c) => c.secret)).toEqual(['typed-pw']);
  });

  it('validates Prometheus requests from the page', async () => {
    const { call, upstream } = setup();
    await expect(
      call(IPC_CHANNELS.prometheusRequest, APP, 'c1', { endpoint: 'admin', params: [] }, 'r1'),
    ).rejects.toThrow(/^unknown Prometheus endpoint "admin"/);
    await expect(
      call(IPC_CHANNELS.prometheusRequest, APP, 'c1', { endpoint: 'query', params: [] }, 7),
    ).rejects.toThrow(/request id must be a string/);
    await expect(
      call(IPC_CHANNELS.testPrometheus, APP, { settings: { url: 'x', auth: 'none' } }, 'r'),
    ).rejects.toThrow(/^settings.url: must be an http:\/\/ or https:\/\/ URL/);
    expect(upstream.calls).toEqual([]);
  });

  it('cancels a Prometheus call by its request id', async () => {
    const { call, upstream } = setup({}, true);
    const settings = { url: 'http://prom:9090', auth: 'none' };
    const pending = call(IPC_CHANNELS.testPrometheus, APP, { settings }, 'r1');
    await expect(call(IPC_CHANNELS.testPrometheus, APP, { settings }, 'r1')).rejects.toThrow(
      'Prometheus request id "r1" is already in use',
    );
    await vi.waitFor(() => expect(upstream.calls).toHaveLength(1));
    await call(IPC_CHANNELS.cancelPrometheusRequest, APP, 'r1');
    await expect(pending).rejects.toThrow('aborted');
    expect(upstream.calls[0]!.signal?.aborted).toBe(true);
    await call(IPC_CHANNELS.cancelPrometheusRequest, APP, 'unknown');
  });

  it('removes its handlers again', () => {
    const { handlers, unregister } = setup();
    unregister();
    expect(handlers.size).toBe(0);
  });
});
