import { readFileSync } from 'node:fs';

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { COMPUTE_APPS_ARGS } from './ComputeAppsPoller.js';
import { createNvidiaReplayRunner } from './NvidiaReplayRunner.js';

const fixture = (name: string): string =>
  readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

const H100_LOAD = 'linux-x86_64__nvidia-h100-80gb-hbm3__590.48.01__load__query-gpu.csv';
const H100_APPS = 'linux-x86_64__nvidia-h100-80gb-hbm3__590.48.01__load__query-compute-apps.csv';
const MALFORMED = 'malformed__h100-load-derived__query-gpu.csv';
const UUID = 'GPU-00000000-0000-0000-0000-000000000000';

/** Hand-written: two GPUs sampled three times, nounits-style values under a header with units. */
const TINY = [
  'index, uuid, utilization.gpu [%], power.draw [W]',
  '0, GPU-a, 10, 100.5',
  '1, GPU-b, 20, 200.5',
  '0, GPU-a, 11, 101.5',
  '1, GPU-b, 21, 201.5',
  '0, GPU-a, 12, 102.5',
  '1, GPU-b, 22, 202.5',
].join('\n');

const gpuQuery = (fields: string, format = 'csv,noheader,nounits'): string[] => [
  `--query-gpu=${fields}`,
  `--format=${format}`,
];

describe('NvidiaReplayRunner.run', () => {
  it('reorders the ~200 captured columns to the query, by name through aliases', async () => {
    const runner = createNvidiaReplayRunner(fixture(H100_LOAD));
    const fields = 'power.draw,index,clocks.sm,gpu_uuid,clocks_throttle_reasons.active,fan.speed';
    const res = await runner.run('nvidia-smi', gpuQuery(fields));
    expect(res).toEqual({
      code: 0,
      stdout: `631.95, 0, 1980, ${UUID}, 0x0000000000000000, [N/A]\n`,
      stderr: '',
    });
  });

  it('keeps the header and the units unless asked not to', async () => {
    const runner = createNvidiaReplayRunner(fixture(H100_LOAD));
    const res = await runner.run('nvidia-smi', gpuQuery('memory.used,temperature.gpu', 'csv'));
    expect(res.stdout).toBe('memory.used [MiB], temperature.gpu\n19818 MiB, 59\n');
  });

  it('rejects a field the capture lacks when it has another of its names, like that driver', async () => {
    const runner = createNvidiaReplayRunner(TINY);
    const res = await runner.run('nvidia-smi', gpuQuery('index,power.draw.average'));
    expect(res).toEqual({
      code: 2,
      stdout: 'Field "power.draw.average" is not a valid field to query.\n\n',
      stderr: '',
    });
    const unknown = await runner.run('nvidia-smi', gpuQuery('index,device_minor'));
    expect(unknown.stdout).toBe('Field "device_minor" is not a valid field to query.\n\n');
  });

  it('answers [N/A] for a probe field the capture has under no name', async () => {
    const runner = createNvidiaReplayRunner(TINY);
    const res = await runner.run('nvidia-smi', gpuQuery('index,temperature.memory,pstate'));
    expect(res.stdout).toBe('0, [N/A], [N/A]\n1, [N/A], [N/A]\n');
  });

  it('answers compute apps from their capture, reordered, or with nothing', async () => {
    const withApps = createNvidiaReplayRunner(fixture(H100_LOAD), {
      computeAppsText: fixture(H100_APPS),
    });
    const res = await withApps.run('nvidia-smi', COMPUTE_APPS_ARGS);
    expect(res.stdout).toBe(
      [
        `${UUID}, 11327, /root/tools/memhog, 2566`,
        `${UUID}, 11328, /root/tools/memhog, 1542`,
        `${UUID}, 11345, ./gpu_burn, 15690`,
        '',
      ].join('\n'),
    );
    const none = await createNvidiaReplayRunner(TINY).run('nvidia-smi', COMPUTE_APPS_ARGS);
    expect(none).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('says no devices for a header without rows, and refuses what it has no recording for', async () => {
    const empty = createNvidiaReplayRunner('index, uuid\n');
    expect(await empty.run('nvidia-smi', gpuQuery('index'))).toEqual({
      code: 6,
      stdout: 'No devices were found\n',
      stderr: '',
    });
    const notCapture = await createNvidiaReplayRunner('hello world\n').run(
      'nvidia-smi',
      gpuQuery('index'),
    );
    expect(notCapture.code).toBe(2);
    expect(notCapture.stderr).toContain('the first line is not a --format=csv header');
    const table = await createNvidiaReplayRunner(TINY).run('nvidia-smi', ['-q']);
    expect(table.stderr).toContain('unsupported argument "-q"');
  });
});

describe('NvidiaReplayRunner.spawnLines', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('streams one block per interval, looping, and run() answers the block last streamed', async () => {
    const runner = createNvidiaReplayRunner(TINY);
    expect(runner.blockCount).toBe(3);
    const lines: string[] = [];
    const stream = runner.spawnLines(
      'nvidia-smi',
      [...gpuQuery('utilization.gpu,uuid'), '-lms', '100'],
      {
        onLine: (l) => lines.push(l),
        onExit: () => lines.push('EXIT'),
      },
    );
    await vi.advanceTimersByTimeAsync(0);
    expect(lines).toEqual(['10, GPU-a', '20, GPU-b']);
    await vi.advanceTimersByTimeAsync(300);
    expect(lines).toEqual([
      '10, GPU-a',
      '20, GPU-b',
      '11, GPU-a',
      '21, GPU-b',
      '12, GPU-a',
      '22, GPU-b',
      '10, GPU-a',
      '20, GPU-b',
    ]);
    expect((await runner.run('nvidia-smi', gpuQuery('index,power.draw'))).stdout).toBe(
      '0, 100.5\n1, 200.5\n',
    );
    stream.stop();
    await vi.advanceTimersByTimeAsync(1000);
    expect(lines).toHaveLength(8);
  });

  it('prints the header once and stops after one block without a loop', async () => {
    const runner = createNvidiaReplayRunner(TINY);
    const lines: string[] = [];
    runner.spawnLines('nvidia-smi', gpuQuery('index', 'csv'), {
      onLine: (l) => lines.push(l),
      onExit: (code) => lines.push(`EXIT ${code}`),
    });
    await vi.advanceTimersByTimeAsync(0);
    expect(lines).toEqual(['index', '0', '1', 'EXIT 0']);
  });

  it('passes damaged capture lines through verbatim, in their block', async () => {
    const runner = createNvidiaReplayRunner(fixture(MALFORMED));
    const lines: string[] = [];
    runner.spawnLines('nvidia-smi', [...gpuQuery('index,utilization.gpu'), '-lms', '1000'], {
      onLine: (l) => lines.push(l),
      onExit: () => lines.push('EXIT'),
    });
    await vi.advanceTimersByTimeAsync(0);
    expect(lines).toHaveLength(4);
    expect(lines[0]).toBe('0, 100');
    expect(lines[1]!.startsWith('2026/07/14 08:12:53.353, 590.48.01')).toBe(true);
    expect(lines.slice(2)).toEqual(['Segmentation fault (core dumped)', '1, 100']);
  });

  it('prints the invalid-field message and exits 2, as nvidia-smi does', async () => {
    const runner = createNvidiaReplayRunner(TINY);
    const seen: string[] = [];
    runner.spawnLines('nvidia-smi', [...gpuQuery('power.draw.instant'), '-lms', '100'], {
      onLine: (l) => seen.push(l),
      onExit: (code) => seen.push(`EXIT ${code}`),
    });
    await vi.advanceTimersByTimeAsync(0);
    expect(seen).toEqual([
      'Field "power.draw.instant" is not a valid field to query.',
      '',
      'EXIT 2',
    ]);
  });
});
