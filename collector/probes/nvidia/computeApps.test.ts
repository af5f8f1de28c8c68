import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { COMPUTE_APPS_ARGS } from './ComputeAppsPoller.js';
import { parseComputeApps } from './computeApps.js';
import { createNvidiaReplayRunner } from './NvidiaReplayRunner.js';

const fixture = (name: string): string =>
  readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

const H100 = 'linux-x86_64__nvidia-h100-80gb-hbm3__590.48.01__';
const RTX4080 = 'linux-x86_64__nvidia-geforce-rtx-4080-super__595.71.05__';
const MIB = 1048576;

/** What nvidia-smi would print for the probe's query on the captured machine. */
async function probeQueryOutput(prefix: string, state: 'idle' | 'load'): Promise<string> {
  const runner = createNvidiaReplayRunner(fixture(`${prefix}${state}__query-gpu.csv`), {
    computeAppsText: fixture(`${prefix}${state}__query-compute-apps.csv`),
  });
  return (await runner.run('nvidia-smi', COMPUTE_APPS_ARGS)).stdout;
}

describe('parseComputeApps', () => {
  it('H100 under load: one sample per process, memory in bytes, keyed by GPU UUID', async () => {
    const out = await probeQueryOutput(H100, 'load');
    const { samples, problems } = parseComputeApps(out);
    expect(problems).toEqual([]);
    const d = 'GPU-00000000-0000-0000-0000-000000000000';
    expect(samples).toEqual([
      {
        m: 'process.device.memory.used',
        v: 2566 * MIB,
        d,
        l: { pid: '11327', process: '/root/tools/memhog' },
      },
      {
        m: 'process.device.memory.used',
        v: 1542 * MIB,
        d,
        l: { pid: '11328', process: '/root/tools/memhog' },
      },
      {
        m: 'process.device.memory.used',
        v: 15690 * MIB,
        d,
        l: { pid: '11345', process: './gpu_burn' },
      },
    ]);
  });

  it('GeForce RTX 4080: desktop and ffmpeg processes', async () => {
    const { samples } = parseComputeApps(await probeQueryOutput(RTX4080, 'load'));
    expect(samples.map((s) => [s.l?.process, s.v])).toEqual([
      ['/usr/bin/kwin_wayland', 25 * MIB],
      ['ffmpeg', 503 * MIB],
      ['ffmpeg', 360 * MIB],
    ]);
  });

  it('an idle GPU with no processes gives no samples and no problems', async () => {
    const out = await probeQueryOutput(H100, 'idle');
    expect(out).toBe('');
    expect(parseComputeApps(out)).toEqual({ samples: [], problems: [] });
  });

  it('keeps a process whose memory nvidia-smi cannot see, as absent with its reason', () => {
    const { samples } = parseComputeApps(
      'GPU-a, 42, python3, [Insufficient Permissions]\nGPU-a, 43, python3, [N/A]\n',
    );
    expect(samples).toEqual([
      {
        m: 'process.device.memory.used',
        v: null,
        s: 'denied',
        raw: '[Insufficient Permissions]',
        d: 'GPU-a',
        l: { pid: '42', process: 'python3' },
      },
      {
        m: 'process.device.memory.used',
        v: null,
        s: 'unsupported',
        raw: '[N/A]',
        d: 'GPU-a',
        l: { pid: '43', process: 'python3' },
      },
    ]);
  });

  it('reads a header, units, and a process name holding commas', () => {
    const { samples, problems } = parseComputeApps(
      'gpu_uuid, pid, process_name, used_memory [MiB]\nGPU-a, 7, vllm serve --x a,b, 100 MiB\n',
    );
    expect(problems).toEqual([]);
    expect(samples).toEqual([
      {
        m: 'process.device.memory.used',
        v: 100 * MIB,
        d: 'GPU-a',
        l: { pid: '7', process: 'vllm serve --x a,b' },
      },
    ]);
  });

  it('names bad lines and keeps the good ones', () => {
    const { samples, problems } = parseComputeApps(
      'GPU-a, 1, ok, 10\ngarbage\nGPU-a, x1, bad, 10\nGPU-a, 2, odd, lots\n',
      'apps',
    );
    expect(problems).toEqual([
      'apps line 2: expected 4 columns, got 1: "garbage"',
      'apps line 3, column 2 (pid): "x1" is not a process id',
      'apps line 4, column 4 (used_memory): "lots" is not MiB',
    ]);
    expect(samples.map((s) => [s.l?.pid, s.v, s.s])).toEqual([
      ['1', 10 * MIB, undefined],
      ['2', null, 'error'],
    ]);
  });

  // Found by parsers.fuzz.test.ts: each of these made a sample the wire refuses, or a problem
  // that quoted 10,000 characters.
  it('keeps what it sends within the wire limits', () => {
    const long = 'x'.repeat(10_000);
    const { samples, problems } = parseComputeApps(
      `GPU-${long}, 1, p, 10\nGPU-a, ${'9'.repeat(11)}, p, 10\nGPU-a, 2, p, 1e308\nGPU-a, 3, p, ${long}\n`,
      'apps',
    );
    expect(samples.map((s) => [s.d?.length, s.v, s.s])).toEqual([
      [256, 10 * MIB, undefined],
      [5, null, 'error'],
      [5, null, 'error'],
    ]);
    expect(samples[2]!.raw).toHaveLength(256);
    expect(problems).toEqual([
      `apps line 2, column 2 (pid): "${'9'.repeat(11)}" is not a process id`,
      'apps line 3, column 4 (used_memory): "1e308" is not MiB',
      `apps line 4, column 4 (used_memory): "${'x'.repeat(60)}…" is not MiB`,
    ]);
  });
});
