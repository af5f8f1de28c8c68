import { describe, expect, it } from 'vitest';

import type { OspreyDesktopApi } from '../../../electron/common/api.js';
import { createDesktopPlatform, ipcMessage } from './desktopPlatform.js';
import { ConnectionSaveError, PrometheusTransportError } from './Platform.js';

describe('desktop platform', () => {
  it('passes connection calls to the preload API', async () => {
    const calls: unknown[][] = [];
    const api = {
      listConnections: async () => [],
      saveConnection: async (...args: unknown[]) => {
        calls.push(args);
        return { ok: true, connection: { id: 'a', name: 'x' } };
      },
      removeConnection: async () => undefined,
      getConnectionSecret: async (id: string) => `secret-of-${id}`,
    } as unknown as OspreyDesktopApi;
    const platform = createDesktopPlatform(api);
    await expect(
      platform.saveConnection({ name: 'x', kind: 'nats', natsUrl: 'ws://n', auth: 'none' }, 'a'),
    ).resolves.toEqual({ id: 'a', name: 'x' });
    expect(calls).toEqual([[{ name: 'x', kind: 'nats', natsUrl: 'ws://n', auth: 'none' }, 'a']]);
    await expect(platform.getConnectionSecret('a')).resolves.toBe('secret-of-a');
  });

  it('turns a refused save into a ConnectionSaveError with the fields at fault', async () => {
    const errors = [
      { field: 'natsUrl', message: 'must be a ws:// or wss:// URL' },
      { field: 'name', message: 'is required' },
    ];
    const error = 'natsUrl: must be a ws:// or wss:// URL; name: is required';
    const api = {
      saveConnection: async () => ({ ok: false, error, errors }),
    } as unknown as OspreyDesktopApi;
    const refusal = await createDesktopPlatform(api)
      .saveConnection({ name: '', kind: 'nats', natsUrl: 'x', auth: 'none' })
      .catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(ConnectionSaveError);
    expect(refusal).toMatchObject({ message: error, errors });
  });

  it('strips Electron’s wrapping from refusals and marks refused saves', async () => {
    const wrapped = new Error(
      "Error invoking remote method 'osprey:save-connection': ConnectionStoreError: natsUrl: must be a ws:// or wss:// URL",
    );
    expect(ipcMessage(wrapped)).toBe('natsUrl: must be a ws:// or wss:// URL');
    const api = {
      saveConnection: async () => {
        throw wrapped;
      },
    } as unknown as OspreyDesktopApi;
    const refusal = await createDesktopPlatform(api)
      .saveConnection({ name: 'x', kind: 'nats', natsUrl: 'x', auth: 'none' })
      .catch((e) => e);
    expect(refusal).toBeInstanceOf(ConnectionSaveError);
    expect(refusal.message).toBe('natsUrl: must be a ws:// or wss:// URL');
  });

  it('makes Prometheus calls with a request id and cancels that id on abort', async () => {
    const answer = { status: 503, contentType: 'application/json', body: '{}', url: 'http://p' };
    const cancelled: string[] = [];
    const pending: Array<(value: typeof answer) => void> = [];
    const api = {
      prometheusRequest: (_id: string, _request: unknown, requestId: string) =>
        requestId === 'r1'
          ? Promise.resolve(answer)
          : new Promise<typeof answer>((resolve) => pending.push(resolve)),
      testPrometheus: () =>
        Promise.reject(
          new Error(
            "Error invoking remote method 'osprey:test-prometheus': PrometheusTransportError: cannot reach Prometheus at http://p: connection refused",
          ),
        ),
      cancelPrometheusRequest: async (requestId: string) => void cancelled.push(requestId),
    } as unknown as OspreyDesktopApi;
    let n = 0;
    const platform = createDesktopPlatform(api, () => `r${++n}`);
    const request = { endpoint: 'query', params: [['query', 'up']] } as const;
    await expect(platform.prometheusRequest('c', request)).resolves.toEqual(answer);

    const controller = new AbortController();
    const aborted = platform.prometheusRequest('c', request, controller.signal);
    controller.abort();
    await expect(aborted).rejects.toMatchObject({ name: 'AbortError' });
    expect(cancelled).toEqual(['r2']);
    pending[0]!(answer); // a late answer changes nothing

    const refused = await platform
      .testPrometheus({ settings: { url: 'http://p', auth: 'none' } })
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(PrometheusTransportError);
    expect((refused as Error).message).toBe(
      'cannot reach Prometheus at http://p: connection refused',
    );
  });
});
