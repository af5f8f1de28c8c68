import { describe, expect, it } from 'vitest';

import type { OspreyDesktopApi } from '../../../electron/common/api.js';
import { createDesktopPlatform } from './desktopPlatform.js';

describe('desktop platform: captureProfile', () => {
  it("rebuilds the main process's failure as a CaptureError with its kind", async () => {
    const api = {
      captureProfile: async () => ({
        ok: false,
        kind: 'tool-missing',
        error: 'py-spy is not installed on desk: pip install py-spy',
      }),
      cancelProfileCapture: async () => {},
    } as unknown as OspreyDesktopApi;
    const platform = createDesktopPlatform(api, () => 'r1');
    await expect(platform.captureProfile({ pid: 4, durationS: 2 })).rejects.toMatchObject({
      name: 'CaptureError',
      kind: 'tool-missing',
      message: 'py-spy is not installed on desk: pip install py-spy',
    });
  });

  it('an abort asks the main process to cancel that request id', async () => {
    const cancelled: string[] = [];
    let finish: (value: unknown) => void = () => {};
    const api = {
      captureProfile: () => new Promise((resolve) => (finish = resolve)),
      cancelProfileCapture: async (id: string) => {
        cancelled.push(id);
        finish({ ok: false, kind: 'cancelled', error: 'cancelled' });
      },
    } as unknown as OspreyDesktopApi;
    const platform = createDesktopPlatform(api, () => 'r7');
    const controller = new AbortController();
    const progress: number[] = [];
    const run = platform.captureProfile(
      { pid: 4, durationS: 2 },
      { signal: controller.signal, onProgress: (p) => progress.push(p.elapsedS) },
    );
    controller.abort();
    await expect(run).rejects.toMatchObject({ kind: 'cancelled' });
    expect(cancelled).toEqual(['r7']);
    expect(progress).toEqual([0]);
  });
});
