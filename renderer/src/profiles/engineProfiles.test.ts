import { describe, expect, it } from 'vitest';

import { totalWeight } from '../../../collector/core/profile/model.js';
import type { EngineCaptureRequest } from '../../../collector/core/protocol/engineCapture.js';
import {
  CaptureError,
  type CapturedProfile,
} from '../../../collector/core/protocol/profileCapture.js';
import type { CapturePort } from './captureProfile.js';
import { profileEngine, type EngineInstance } from './engineProfiles.js';
import { ProfileLibrary } from './ProfileLibrary.js';

/** py-spy --subprocesses raw output of a vLLM server (pid) and its EngineCore child (pid + 1). */
function pySpy(node: string, pid: number, server: number, core: number): CapturedProfile {
  const root = `process ${pid}:"python3 /usr/bin/vllm serve llama-70b"`;
  const child = `process ${pid + 1}:"python3 -c from multiprocessing.spawn import spawn_main"`;
  return {
    tool: 'py-spy',
    format: 'folded',
    text:
      `${root};run_server (vllm/entrypoints/api_server.py:120) ${server}\n` +
      `${root};${child};run_busy_loop (vllm/v1/engine/core.py:540);schedule (vllm/v1/core/sched/scheduler.py:210) ${core}\n`,
    pid,
    node,
    durationS: 10,
    rateHz: 100,
    startedAtMs: 1_700_000_000_000,
    command: 'py-spy record --subprocesses …',
    warnings: [],
  };
}

const instance = (node: string, port = 8000): EngineInstance => ({
  cluster: 'prod',
  node,
  engine: `${node}:${port}`,
  target: { framework: 'vllm', port },
});

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('profile an engine on all its nodes', () => {
  it('one failing node: the others arrive, the merged total is the sum of theirs, the failure says why', async () => {
    const library = new ProfileLibrary();
    const asked: { node: string; request: EngineCaptureRequest }[] = [];
    const port: CapturePort = {
      connection: 'prod',
      capture: async (target, request) => {
        asked.push({ node: target.node, request: request as EngineCaptureRequest });
        if (target.node === 'gpu-2') {
          throw new CaptureError(
            'no-process',
            'no vllm on port 8000 engine process found on gpu-2: looked for …',
          );
        }
        if (target.node === 'gpu-1') return pySpy('gpu-1', 4121, 300, 700);
        return pySpy('gpu-3', 977, 120, 880);
      },
    };
    const run = profileEngine({
      library,
      port,
      model: 'llama-70b',
      instances: [instance('gpu-1'), instance('gpu-2'), instance('gpu-3')],
      durationS: 10,
      now: () => 5000,
    });
    expect(library.getState().pending.map((p) => p.label)).toEqual([
      'llama-70b · gpu-1 · vllm on port 8000',
      'llama-70b · gpu-2 · vllm on port 8000',
      'llama-70b · gpu-3 · vllm on port 8000',
    ]);
    const result = await run.done;
    expect(asked.map((a) => a.request)).toEqual([
      { engine: { framework: 'vllm', port: 8000 }, durationS: 10 },
      { engine: { framework: 'vllm', port: 8000 }, durationS: 10 },
      { engine: { framework: 'vllm', port: 8000 }, durationS: 10 },
    ]);
    expect(result.failures).toEqual([
      'gpu-2: no vllm on port 8000 engine process found on gpu-2: looked for …',
    ]);
    // The failed row stays with why; the others became entries.
    expect(library.getState().pending.map((p) => p.error)).toEqual([result.failures[0]]);
    const names = library.getState().entries.map((e) => e.set.name);
    expect(names).toEqual([
      'llama-70b · gpu-1',
      'llama-70b · gpu-3',
      'llama-70b · 2 nodes · merged',
    ]);
    const total = (i: number) => totalWeight(library.getState().entries[i]!.set.profiles[0]!);
    expect(total(0)).toBe(1000);
    expect(total(1)).toBe(1000);
    expect(total(2)).toBe(total(0) + total(1));
    expect(result.merged?.origin).toEqual({
      kind: 'merged',
      nodes: ['gpu-1', 'gpu-3'],
      tool: 'py-spy',
      connection: 'prod',
    });
    // Pids stripped: the two nodes' servers are one tower, the scheduler one frame with both's samples.
    const merged = result.merged!.set.profiles[0]!;
    const roots = merged.frames.filter((f) => f.name.startsWith('process '));
    expect(roots.map((f) => f.name)).toEqual([
      'process "python3 /usr/bin/vllm serve llama-70b"',
      'process "python3 -c from multiprocessing.spawn import spawn_main"',
    ]);
    const schedule = merged.frames.findIndex((f) => f.name === 'schedule');
    const scheduleWeight = merged.sampleStacks.reduce(
      (n, s, i) => n + (merged.stacks[s]!.at(-1) === schedule ? merged.weights[i]! : 0),
      0,
    );
    expect(scheduleWeight).toBe(700 + 880);
  });

  it('cancel all: every running capture aborted, rows gone, nothing merged', async () => {
    const library = new ProfileLibrary();
    const signals: AbortSignal[] = [];
    const port: CapturePort = {
      connection: 'local',
      capture: (_t, _r, call) =>
        new Promise((_resolve, reject) => {
          signals.push(call.signal!);
          call.signal!.addEventListener('abort', () =>
            reject(new CaptureError('cancelled', 'cancelled')),
          );
        }),
    };
    const run = profileEngine({
      library,
      port,
      model: 'm',
      instances: [instance('a'), instance('b')],
      durationS: 5,
      now: () => 0,
    });
    await tick();
    run.cancelAll();
    const result = await run.done;
    expect(signals.every((s) => s.aborted)).toBe(true);
    expect(result).toMatchObject({ cancelled: true, merged: undefined, failures: [] });
    expect(library.getState()).toEqual({ entries: [], pending: [] });
  });

  it('two engines of the model on one node are told apart by their label', async () => {
    const library = new ProfileLibrary();
    const port: CapturePort = {
      connection: 'local',
      capture: async (t, r) => pySpy(t.node, (r as EngineCaptureRequest).engine.port ?? 1, 10, 10),
    };
    const run = profileEngine({
      library,
      port,
      model: 'm',
      instances: [instance('n1', 8000), instance('n1', 8001)],
      durationS: 1,
      now: () => 0,
    });
    expect(library.getState().pending.map((p) => p.label)).toEqual([
      'm · n1 n1:8000 · vllm on port 8000',
      'm · n1 n1:8001 · vllm on port 8001',
    ]);
    const result = await run.done;
    expect(result.merged?.set.name).toBe('m · 2 engines on 1 node · merged');
  });
});
