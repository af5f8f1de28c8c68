import { describe, expect, it } from 'vitest';

import type { OspreyDesktopApi } from '../../../electron/common/api.js';
import { createDesktopPlatform, ipcMessage } from './desktopPlatform.js';
import { ConnectionSaveError } from './Platform.js';

describe('desktop platform', () => {
  it('passes connection calls to the preload API', async () => {
    const calls: unknown[][] = [];
    const api = {
      listConnections: async () => [],
      saveConnection: async (...args: unknown[]) => {
        calls.push(args);
        return { id: 'a' };
      },
      removeConnection: async () => undefined,
      getConnectionSecret: async (id: string) => `secret-of-${id}`,
    } as unknown as OspreyDesktopApi;
    const platform = createDesktopPlatform(api);
    await platform.saveConnection(
      { name: 'x', kind: 'nats', natsUrl: 'ws://n', auth: 'none' },
      'a',
    );
    expect(calls).toEqual([[{ name: 'x', kind: 'nats', natsUrl: 'ws://n', auth: 'none' }, 'a']]);
    await expect(platform.getConnectionSecret('a')).resolves.toBe('secret-of-a');
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
});
