import { describe, expect, it } from 'vitest';

import { ConnectionStore } from '../../collector/core/connections/ConnectionStore.js';
import { CaptureError } from '../../collector/core/protocol/profileCapture.js';
import { HostServices } from '../../collector/hostServices/HostServices.js';
import { ProfileCapturer } from '../../collector/hostServices/profileCapturer.js';
import { IPC_CHANNELS } from '../common/api.js';
import { registerIpcHandlers, type IpcInvokeEvent } from './ipc.js';

const APP = 'http://127.0.0.1:41234';
type Handler = (event: IpcInvokeEvent, ...args: unknown[]) => unknown;

function setup(capture: ConstructorParameters<typeof ProfileCapturer>[2]) {
  const handlers = new Map<string, Handler>();
  const store = new ConnectionStore(
    { path: '/tmp/c.json', read: async () => undefined, write: async () => {} },
    () => 'c1',
  );
  const capturer = new ProfileCapturer(
    // The capture is the test's own: no tool runs.
    { runner: undefined as never, node: 'desk' },
    4,
    capture,
  );
  registerIpcHandlers(
    {
      handle: (channel, listener) => void handlers.set(channel, listener),
      removeHandler: () => {},
    },
    APP,
    {
      collectorEndpoint: () => ({ url: APP, token: 't' }),
      appInfo: () => ({ version: '0', platform: 'linux' }),
      openExternal: async () => {},
      host: new HostServices(store, undefined, capturer),
      files: { openFile: async () => null, saveFile: async () => true },
    },
  );
  const call = (channel: string, ...args: unknown[]) =>
    handlers.get(channel)!({ senderFrame: { url: `${APP}/` } }, ...args);
  return { call };
}

describe('IPC: captureProfile', () => {
  it("answers a capture's failure as data with its kind (Electron would keep only the message)", async () => {
    const { call } = setup((() =>
      Promise.reject(
        new CaptureError('permission', 'perf cannot sample pid 7 on desk: …'),
      )) as never);
    await expect(
      call(IPC_CHANNELS.captureProfile, { pid: 7, durationS: 5 }, 'r1'),
    ).resolves.toEqual({
      ok: false,
      kind: 'permission',
      error: 'perf cannot sample pid 7 on desk: …',
    });
  });

  it('refuses a bad request from the page before anything runs', async () => {
    const { call } = setup((() => Promise.reject(new Error('must not run'))) as never);
    await expect(
      call(IPC_CHANNELS.captureProfile, { pid: 7, durationS: 600 }, 'r1'),
    ).resolves.toMatchObject({
      ok: false,
      kind: 'invalid',
    });
  });

  it('cancelProfileCapture aborts the capture with that id', async () => {
    let signal: AbortSignal | undefined;
    const { call } = setup(
      ((options: { signal: AbortSignal }) =>
        new Promise((_resolve, reject) => {
          signal = options.signal;
          options.signal.addEventListener('abort', () =>
            reject(new CaptureError('cancelled', 'cancelled')),
          );
        })) as never,
    );
    const running = call(IPC_CHANNELS.captureProfile, { pid: 7, durationS: 30 }, 'r2');
    await new Promise((r) => setTimeout(r, 0));
    await call(IPC_CHANNELS.cancelProfileCapture, 'r2');
    await expect(running).resolves.toMatchObject({ ok: false, kind: 'cancelled' });
    expect(signal?.aborted).toBe(true);
  });
});
