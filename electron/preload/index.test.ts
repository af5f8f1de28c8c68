import { beforeEach, describe, expect, it, vi } from 'vitest';

import { IPC_CHANNELS, MENU_CHANNEL, MENU_COMMANDS, type OspreyDesktopApi } from '../common/api.js';
import { PRELOAD_CHANNELS, PRELOAD_MENU_CHANNEL, PRELOAD_MENU_COMMANDS } from './index.js';

const electron = vi.hoisted(() => ({
  exposed: new Map<string, unknown>(),
  invoke: vi.fn<(channel: string, ...args: unknown[]) => Promise<unknown>>(),
  listeners: new Map<string, Set<(event: unknown, ...args: unknown[]) => void>>(),
}));

vi.mock('electron', () => ({
  contextBridge: {
    exposeInMainWorld: (key: string, api: unknown) => electron.exposed.set(key, api),
  },
  ipcRenderer: {
    invoke: electron.invoke,
    on: (channel: string, l: (event: unknown, ...args: unknown[]) => void) => {
      const set = electron.listeners.get(channel) ?? new Set();
      set.add(l);
      electron.listeners.set(channel, set);
    },
    removeListener: (channel: string, l: (event: unknown, ...args: unknown[]) => void) =>
      electron.listeners.get(channel)?.delete(l),
  },
}));

const api = electron.exposed.get('osprey') as OspreyDesktopApi;

describe('preload', () => {
  beforeEach(() => electron.invoke.mockReset());

  it('repeats exactly the channel names of common/api.ts', () => {
    expect(PRELOAD_CHANNELS).toEqual(IPC_CHANNELS);
    expect(PRELOAD_MENU_CHANNEL).toBe(MENU_CHANNEL);
    expect(PRELOAD_MENU_COMMANDS).toEqual(MENU_COMMANDS);
  });

  it('exposes one object, window.osprey, with one method per operation and nothing else', () => {
    expect([...electron.exposed.keys()]).toEqual(['osprey']);
    expect(Object.keys(api).sort()).toEqual([...Object.keys(IPC_CHANNELS), 'onMenuCommand'].sort());
    for (const value of Object.values(api)) expect(typeof value).toBe('function');
  });

  it('hands the page the menu’s known commands only, and stops when unsubscribed', () => {
    const heard: string[] = [];
    const off = api.onMenuCommand((c) => heard.push(c));
    const send = (...args: unknown[]) => {
      for (const l of electron.listeners.get(MENU_CHANNEL) ?? []) l({ sender: 'main' }, ...args);
    };
    send('open-recording');
    send('rm -rf /');
    send({ toString: () => 'open-recording' });
    off();
    send('open-recording');
    expect(heard).toEqual(['open-recording']);
  });

  it('invokes each operation on its own channel and passes the answer through', async () => {
    const endpoint = { url: 'http://127.0.0.1:4000', token: 'abc' };
    electron.invoke.mockResolvedValueOnce(endpoint);
    await expect(api.getCollectorEndpoint()).resolves.toEqual(endpoint);
    expect(electron.invoke).toHaveBeenLastCalledWith('osprey:get-collector-endpoint');

    electron.invoke.mockResolvedValueOnce({ version: '0.1.0', platform: 'linux' });
    await expect(api.getAppInfo()).resolves.toEqual({ version: '0.1.0', platform: 'linux' });
    expect(electron.invoke).toHaveBeenLastCalledWith('osprey:get-app-info');
  });

  it('sends openExternal a string only, and resolves with nothing', async () => {
    electron.invoke.mockResolvedValueOnce('ignored');
    await expect(api.openExternal('https://example.org/')).resolves.toBeUndefined();
    expect(electron.invoke).toHaveBeenLastCalledWith(
      'osprey:open-external',
      'https://example.org/',
    );

    electron.invoke.mockResolvedValueOnce(undefined);
    await api.openExternal({ toString: () => 'https://x.test/' } as unknown as string);
    expect(electron.invoke).toHaveBeenLastCalledWith('osprey:open-external', 'https://x.test/');
  });

  it('sends connection operations with plain arguments on their own channels', async () => {
    const input = { name: 'prod', kind: 'nats', natsUrl: 'ws://n', auth: 'none' } as const;
    electron.invoke.mockResolvedValueOnce([]);
    await expect(api.listConnections()).resolves.toEqual([]);
    expect(electron.invoke).toHaveBeenLastCalledWith('osprey:list-connections');

    electron.invoke.mockResolvedValueOnce({ ...input, id: 'a', hasSecret: false });
    await api.saveConnection(input);
    expect(electron.invoke).toHaveBeenLastCalledWith('osprey:save-connection', input);
    electron.invoke.mockResolvedValueOnce({ ...input, id: 'a', hasSecret: false });
    await api.saveConnection(input, 'a');
    expect(electron.invoke).toHaveBeenLastCalledWith('osprey:save-connection', input, 'a');

    electron.invoke.mockResolvedValueOnce('ignored');
    await expect(api.removeConnection('a')).resolves.toBeUndefined();
    expect(electron.invoke).toHaveBeenLastCalledWith('osprey:remove-connection', 'a');

    electron.invoke.mockResolvedValueOnce('s3cret');
    await expect(api.getConnectionSecret('a')).resolves.toBe('s3cret');
    expect(electron.invoke).toHaveBeenLastCalledWith('osprey:get-connection-secret', 'a');
  });

  it('sends Prometheus calls with their request id, and cancels by that id', async () => {
    const request = { endpoint: 'query', params: [['query', 'up']] } as const;
    const answer = { status: 200, contentType: 'application/json', body: '{}', url: 'http://p' };
    electron.invoke.mockResolvedValueOnce(answer);
    await expect(api.prometheusRequest('c1', request, 'r1')).resolves.toEqual(answer);
    expect(electron.invoke).toHaveBeenLastCalledWith(
      'osprey:prometheus-request',
      'c1',
      request,
      'r1',
    );

    const test = { settings: { url: 'http://p', auth: 'none' } } as const;
    electron.invoke.mockResolvedValueOnce(answer);
    await api.testPrometheus(test, 'r2');
    expect(electron.invoke).toHaveBeenLastCalledWith('osprey:test-prometheus', test, 'r2');

    electron.invoke.mockResolvedValueOnce('ignored');
    await expect(api.cancelPrometheusRequest('r1')).resolves.toBeUndefined();
    expect(electron.invoke).toHaveBeenLastCalledWith('osprey:cancel-prometheus-request', 'r1');
  });

  it('lets the main process refusal reach the page', async () => {
    electron.invoke.mockRejectedValueOnce(new Error('refused osprey:open-external'));
    await expect(api.openExternal('file:///etc/passwd')).rejects.toThrow(/refused/);
  });
});
