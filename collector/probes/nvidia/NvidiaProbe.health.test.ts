import { readFileSync } from 'node:fs';

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import type { CommandResult, CommandRunner, LineStreamHandlers } from '../types.js';
import { queryArgs } from './detect.js';
import { allHealthNames } from './healthFields.js';
import { createNvidiaProbe } from './NvidiaProbe.js';
import { createNvidiaReplayRunner } from './NvidiaReplayRunner.js';

const fixture = (name: string): string =>
  readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

const H100_LOAD = 'linux-x86_64__nvidia-h100-80gb-hbm3__590.48.01__load__query-gpu.csv';
const H100_FAULTS = 'derived__h100-load__faults__query-gpu.csv';
const H100_NVLINK = 'linux-x86_64__nvidia-h100-80gb-hbm3__590.48.01__capabilities__nvlink-s.txt';
const HEALTH_ARG = queryArgs(allHealthNames())[0];

/**
 * The H100 capture replayed for everything, except that the health query is answered from the
 * given captures in turn (the last repeating), as a GPU whose health changes between two polls.
 */
function runner(healthFiles: readonly string[]): CommandRunner & { healthCalls: number } {
  const replay = createNvidiaReplayRunner(fixture(H100_LOAD), {
    nvlinkText: fixture(H100_NVLINK),
  });
  const out = {
    healthCalls: 0,
    run(cmd: string, args: readonly string[]): Promise<CommandResult> {
      if (args[0] !== HEALTH_ARG) return replay.run(cmd, args);
      const file = healthFiles[Math.min(out.healthCalls++, healthFiles.length - 1)]!;
      return createNvidiaReplayRunner(fixture(file)).run(cmd, args);
    },
    spawnLines: (cmd: string, args: readonly string[], h: LineStreamHandlers) =>
      replay.spawnLines(cmd, args, h),
  };
  return out;
}

describe('NvidiaProbe health checks', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('a healthy H100: no signals, status ok with what is not present here', async () => {
    const r = runner([H100_LOAD]);
    const probe = createNvidiaProbe(r, { intervalMs: 1000, now: () => Date.now() });
    await probe.start();
    await probe.collect(Date.now());
    await vi.advanceTimersByTimeAsync(10);
    const reading = await probe.collect(Date.now());
    expect(reading.signals).toBeUndefined();
    expect(reading.status).toMatchObject({
      state: 'ok',
      message:
        'health checks not present here: retired pages ([N/A]); nvidia-smi -q -x not present here: ' +
        'nvidia-smi exited with code 2: nvidia-smi replay: no recording of nvidia-smi -q -x',
    });
    expect(reading.devices.map((d) => d.id)).toEqual(['GPU-00000000-0000-0000-0000-000000000000']);
    await probe.stop();
  });

  it('polls every healthEveryMs (30 s) while collecting every second, and hands the signals to one reading', async () => {
    const r = runner([H100_LOAD, H100_FAULTS]);
    const probe = createNvidiaProbe(r, { intervalMs: 1000, now: () => Date.now() });
    await probe.start();
    const signals = [];
    for (let s = 0; s <= 31; s++) {
      const reading = await probe.collect(Date.now());
      signals.push(...(reading.signals ?? []));
      await vi.advanceTimersByTimeAsync(1000);
    }
    expect(r.healthCalls).toBe(2);
    expect(signals.map((s) => `${s.kind}/${s.code}`).sort()).toEqual([
      'ecc/uncorrected.aggregate',
      'ecc/uncorrected.volatile',
      'pcie-link/width',
      'power/cap-below-default',
      'remap/pending',
      'remap/uncorrectable',
    ]);
    await probe.stop();
  });

  it('healthEveryMs 0 turns the checks off', async () => {
    const r = runner([H100_FAULTS]);
    const probe = createNvidiaProbe(r, {
      intervalMs: 1000,
      healthEveryMs: 0,
      now: () => Date.now(),
    });
    await probe.start();
    await vi.advanceTimersByTimeAsync(10);
    const reading = await probe.collect(Date.now());
    expect(r.healthCalls).toBe(0);
    expect(reading.status.message).toBeUndefined();
    await probe.stop();
  });

  it("sends the GPU's slowdown and shutdown temperatures (A10G -q -x: 95 and 98 °C) on every tick once the first -q -x round read them, stamped with the tick", async () => {
    // The H100 capture as the GPU of the A10G's -q -x: its masked UUID set to that file's.
    const uuid = 'GPU-9a9a6c50-2a47-2f51-a902-b82c3b127e94';
    const csv = fixture(H100_LOAD).replaceAll('GPU-00000000-0000-0000-0000-000000000000', uuid);
    const replay = createNvidiaReplayRunner(csv, { xmlText: fixture('a10g.xml') });
    const probe = createNvidiaProbe(replay, { intervalMs: 1000, now: () => Date.now() });
    await probe.start();
    const limits = (r: { samples: { m: string }[] }) =>
      r.samples.filter((s) => s.m.startsWith('device.temperature.s'));
    // The first collect starts the health round; its samples cannot hold what it has not read.
    expect(limits(await probe.collect(Date.now()))).toEqual([]);
    for (let tick = 0; tick < 3; tick++) {
      await vi.advanceTimersByTimeAsync(1000);
      const now = Date.now();
      expect(limits(await probe.collect(now))).toEqual([
        { m: 'device.temperature.slowdown', v: 95, d: uuid, t: now },
        { m: 'device.temperature.shutdown', v: 98, d: uuid, t: now },
      ]);
    }
    await probe.stop();
  });

  it('a GPU printing N/A for its temperature limits (Tesla P4 -q -x) sends none', async () => {
    const uuid = 'GPU-1b1ea7c7-1c4b-ed49-1c72-26c65f2dd207';
    const csv = fixture(H100_LOAD).replaceAll('GPU-00000000-0000-0000-0000-000000000000', uuid);
    const replay = createNvidiaReplayRunner(csv, { xmlText: fixture('tesla_p4.xml') });
    const probe = createNvidiaProbe(replay, { intervalMs: 1000, now: () => Date.now() });
    await probe.start();
    await probe.collect(Date.now());
    await vi.advanceTimersByTimeAsync(1000);
    const reading = await probe.collect(Date.now());
    expect(reading.devices.map((d) => d.id)).toEqual([uuid]);
    expect(reading.samples.some((s) => s.m.startsWith('device.temperature.s'))).toBe(false);
    expect(reading.samples.some((s) => s.m === 'device.temperature' && s.v === 59)).toBe(true);
    await probe.stop();
  });
});
