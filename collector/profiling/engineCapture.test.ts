import { describe, expect, it } from 'vitest';

import {
  checkAnyCaptureRequest,
  checkEngineCaptureRequest,
  portOfEngineLabel,
} from '../core/protocol/engineCapture.js';
import type { CaptureError, CapturedProfile } from '../core/protocol/profileCapture.js';
import { requestProfile } from '../core/protocol/profileRequester.js';
import { recordArgs, type CaptureOptions } from './captureProfile.js';
import { captureAny, captureEngine, type EngineCaptureDeps } from './engineCapture.js';
import type { EngineProcFs } from './engineProcess.js';

const LISTEN_8000 = `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 00000000:1F40 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 91234 1 0000000091471cbe 100 0 0 10 0
`;

/** One vLLM server, pid 200, holding the socket of port 8000. */
const PROC: EngineProcFs = {
  readFile: async (path) => {
    if (path === '/proc/net/tcp') return LISTEN_8000;
    if (path === '/proc/200/status') return 'State:\tS\nPPid:\t1\n';
    if (path === '/proc/200/cmdline') return 'python3\0/usr/bin/vllm\0serve\0m\0';
    throw new Error(`ENOENT ${path}`);
  },
  readLink: async (path) => {
    if (path === '/proc/200/fd/7') return 'socket:[91234]';
    if (path === '/proc/200/exe') return '/usr/bin/python3';
    throw new Error(`ENOENT ${path}`);
  },
  readDir: async (path) => {
    if (path === '/proc') return ['200'];
    if (path === '/proc/200/fd') return ['7'];
    throw new Error(`ENOENT ${path}`);
  },
};

function fakeCapturer() {
  const started: CaptureOptions[] = [];
  const cancelled: number[] = [];
  const deps: EngineCaptureDeps = {
    proc: PROC,
    ownPid: 9,
    capturer: {
      node: 'gpu-3',
      start: async (options) => {
        started.push(options);
        return {
          tool: 'py-spy',
          format: 'folded',
          text: 'a;b 3\n',
          pid: options.pid,
          node: 'gpu-3',
          durationS: options.durationS,
          rateHz: 100,
          startedAtMs: 0,
          command: 'py-spy record',
          warnings: ['tool warning'],
        } satisfies CapturedProfile;
      },
      cancel: (pid) => {
        cancelled.push(pid);
        return true;
      },
    },
  };
  return { deps, started, cancelled };
}

describe('engine capture requests', () => {
  it('checks the engine form with the pid form’s duration bounds', () => {
    expect(checkEngineCaptureRequest({ engine: { framework: 'vllm', port: 8000 } })).toEqual({
      engine: { framework: 'vllm', port: 8000 },
      durationS: 10,
    });
    expect(() =>
      checkEngineCaptureRequest({ engine: { framework: 'vllm' }, durationS: 61 }),
    ).toThrow('durationS must be whole seconds from 1 to 60, got 61');
    expect(() => checkEngineCaptureRequest({ engine: { framework: 'vllm', port: 70000 } })).toThrow(
      'engine.port must be a TCP port (1–65535), got 70000',
    );
    expect(() => checkEngineCaptureRequest({ engine: { framework: 'a b' } })).toThrow(
      /engine.framework must be a framework name/,
    );
    expect(() => checkAnyCaptureRequest({ pid: 3, engine: { framework: 'vllm' } })).toThrow(
      'a capture request names a pid or an engine, not both',
    );
    expect(checkAnyCaptureRequest({ pid: 3, durationS: 2 })).toEqual({ pid: 3, durationS: 2 });
  });

  it.each([
    ['10.0.0.7:8000', 8000],
    ['node-3.cluster.local:30000', 30000],
    ['[fe80::1]:8080', 8080],
    ['http://node-3:8000/metrics', 8000],
    ['vllm-0', undefined],
    ['host:0', undefined],
    ['host:99999', undefined],
  ])('the port of engine label %s is %s', (label, port) => {
    expect(portOfEngineLabel(label)).toBe(port);
  });

  it('py-spy follows subprocesses when asked (EngineCore runs in a child)', () => {
    const args = recordArgs('py-spy', { pid: 5, durationS: 3, subprocesses: true }, '/o');
    expect(args).toContain('--subprocesses');
    expect(recordArgs('py-spy', { pid: 5, durationS: 3 }, '/o')).not.toContain('--subprocesses');
    expect(recordArgs('perf', { pid: 5, durationS: 3, subprocesses: true }, '/o')).not.toContain(
      '--subprocesses',
    );
  });
});

describe('captureEngine', () => {
  it('resolves the port to the pid and captures it with subprocesses; how it was found comes first', async () => {
    const { deps, started } = fakeCapturer();
    const profile = await captureEngine(
      { engine: { framework: 'vllm', port: 8000 }, durationS: 5 },
      {},
      deps,
    );
    expect(started).toMatchObject([{ pid: 200, durationS: 5, subprocesses: true }]);
    expect(profile.pid).toBe(200);
    expect(profile.warnings).toEqual([
      'vllm on port 8000 on gpu-3: pid 200, listening on TCP port 8000',
      'tool warning',
    ]);
  });

  it('captureAny passes a pid request straight to the capturer', async () => {
    const { deps, started } = fakeCapturer();
    await captureAny({ pid: 77, durationS: 2 }, {}, deps);
    expect(started).toMatchObject([{ pid: 77, durationS: 2 }]);
    expect(started[0]!.subprocesses).toBeUndefined();
  });

  it('an engine not on the node fails with no-process and starts nothing', async () => {
    const { deps, started } = fakeCapturer();
    const error = (await captureAny(
      { engine: { framework: 'sglang' }, durationS: 2 },
      {},
      deps,
    ).catch((e: unknown) => e)) as CaptureError;
    expect(error.kind).toBe('no-process');
    expect(error.message).toMatch(/^no sglang engine process found on gpu-3: looked for/);
    expect(started).toEqual([]);
  });
});

describe('an agent older than engine targets', () => {
  it('its schema refusal is reported as an agent that profiles by pid only', async () => {
    // What an older agent's responder answers to a capture without a pid (its union requires one).
    const reply = {
      v: 1,
      ok: false,
      kind: 'invalid',
      error: 'profile request: /pid: Expected required property',
    };
    const error = (await requestProfile({
      cluster: 'c1',
      node: 'gpu-1',
      request: { engine: { framework: 'vllm', port: 8000 }, durationS: 1 },
      send: async () => new TextEncoder().encode(JSON.stringify(reply)),
      now: () => 0,
      every: () => () => {},
    }).catch((e: unknown) => e)) as CaptureError;
    expect(error.kind).toBe('invalid');
    expect(error.message).toBe(
      'the agent on gpu-1 profiles by pid only (an osprey older than engine targets): upgrade it ' +
        'to profile an engine (it said: profile request: /pid: Expected required property)',
    );
  });
});
