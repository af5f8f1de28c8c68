import { describe, expect, it } from 'vitest';

import { totalWeight } from '../../../collector/core/profile/model.js';
import {
  CaptureError,
  type CapturedProfile,
} from '../../../collector/core/protocol/profileCapture.js';
import { capturedSet, startCapture, type CapturePort } from './captureProfile.js';
import { ProfileLibrary } from './ProfileLibrary.js';

const PY_SPY: CapturedProfile = {
  tool: 'py-spy',
  format: 'folded',
  text: '<module> (spin.py:9);osprey_spin_target (spin.py:6) 180\n<module> (spin.py:9);osprey_spin_target (spin.py:5) 19\n',
  pid: 4121,
  node: 'node-017',
  durationS: 2,
  rateHz: 100,
  startedAtMs: 1_700_000_000_000,
  command: 'py-spy record …',
  warnings: ['pid 4121 exited during the capture'],
};

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('a capture in the console', () => {
  it("reads py-spy's folded text with the file importer: total, frames, name and the node's warnings", () => {
    const set = capturedSet(PY_SPY);
    expect(set.name).toBe('py-spy · pid 4121 · node-017');
    expect(set.profiles.reduce((n, p) => n + totalWeight(p), 0)).toBe(199);
    expect(set.profiles[0]!.frames.map((f) => f.name)).toContain('osprey_spin_target');
    expect(set.meta).toMatchObject({ source: 'py-spy', rateHz: 100, durationNs: 2e9 });
    expect(set.warnings[0]).toBe('pid 4121 exited during the capture');
  });

  it('begins a pending row, then the profile joins the list with its origin', async () => {
    const library = new ProfileLibrary();
    const port: CapturePort = { connection: 'prod', capture: async () => PY_SPY };
    const id = startCapture({
      library,
      port,
      target: { cluster: 'c1', node: 'node-017' },
      request: { pid: 4121, durationS: 10 },
      now: () => 5000,
    });
    expect(library.getState().pending).toMatchObject([
      { id, label: 'pid 4121 · node-017', startedAtMs: 5000, durationMs: 10_000 },
    ]);
    await tick();
    expect(library.getState().pending).toEqual([]);
    expect(library.getState().entries[0]).toMatchObject({
      origin: { kind: 'capture', node: 'node-017', pid: 4121, tool: 'py-spy', connection: 'prod' },
      addedAtMs: 5000,
    });
  });

  it('a failure stays in the list with its message', async () => {
    const library = new ProfileLibrary();
    const message = 'py-spy is not installed on node-017: pip install py-spy';
    const port: CapturePort = {
      connection: 'local',
      capture: () => Promise.reject(new CaptureError('tool-missing', message)),
    };
    startCapture({
      library,
      port,
      target: { cluster: 'c', node: 'node-017' },
      request: { pid: 1, durationS: 10 },
      now: () => 0,
    });
    await tick();
    expect(library.getState().pending[0]!.error).toBe(message);
  });

  it('cancel aborts the request and removes the row', async () => {
    const library = new ProfileLibrary();
    let signal: AbortSignal | undefined;
    const port: CapturePort = {
      connection: 'local',
      capture: (_t, _r, call) =>
        new Promise((_resolve, reject) => {
          signal = call.signal;
          call.signal!.addEventListener('abort', () =>
            reject(new CaptureError('cancelled', 'cancelled')),
          );
        }),
    };
    startCapture({
      library,
      port,
      target: { cluster: 'c', node: 'n' },
      request: { pid: 1, durationS: 10 },
      now: () => 0,
    });
    library.getState().pending[0]!.cancel();
    await tick();
    expect(signal?.aborted).toBe(true);
    expect(library.getState()).toEqual({ entries: [], pending: [] });
  });
});
