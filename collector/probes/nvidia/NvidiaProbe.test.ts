import { readFileSync } from 'node:fs';

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import type { Sample } from '../../core/model.js';
import { exited, FakeCommandRunner, notFound, ok, type FakeStream } from '../FakeCommandRunner.js';
import type { ProbeReading } from '../types.js';
import { COMPUTE_APPS_ARGS } from './ComputeAppsPoller.js';
import { detect, queryArgs } from './detect.js';
import { allQueryNames } from './fields.js';
import { makeLayout } from './gpuRow.js';
import { createNvidiaProbe } from './NvidiaProbe.js';
import { createNvidiaReplayRunner } from './NvidiaReplayRunner.js';

const fixture = (name: string): string =>
  readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

const H100_LOAD = 'linux-x86_64__nvidia-h100-80gb-hbm3__590.48.01__load__query-gpu.csv';
const MALFORMED = 'malformed__h100-load-derived__query-gpu.csv';
const UUID = 'GPU-00000000-0000-0000-0000-000000000000';
const UUID1 = 'GPU-00000000-0000-0000-0000-000000000001';
const MIB = 1048576;

const cmd = (args: readonly string[]): string => ['nvidia-smi', ...args].join(' ');
const DETECT = cmd(queryArgs(allQueryNames()));
const APPS = cmd(COMPUTE_APPS_ARGS);
const DRIVER_GONE =
  "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver. Make sure that the latest NVIDIA driver is installed and running.";

/** The H100 capture as the probe would see it: its stream command line and two GPUs' lines. */
async function h100(): Promise<{
  stream: string;
  gpu0: string;
  gpu1: string;
  width: number;
  columns: string[];
}> {
  const replay = createNvidiaReplayRunner(fixture(H100_LOAD));
  const found = await detect(replay, 1000);
  if (found.state !== 'ok') throw new Error(found.message);
  const { columns } = makeLayout(found.chosen);
  const gpu0 = (await replay.run('nvidia-smi', queryArgs(columns))).stdout.trim();
  const cells = gpu0.split(', ');
  cells[columns.indexOf('index')] = '1';
  cells[columns.indexOf('uuid')] = UUID1;
  return {
    stream: cmd([...queryArgs(columns), '-lms', '1000']),
    gpu0,
    gpu1: cells.join(', '),
    width: columns.length,
    columns: [...columns],
  };
}

/** A runner answering the first run from the H100 capture, no compute apps, and `streams`. */
async function h100Runner(...streams: FakeStream[]): Promise<FakeCommandRunner> {
  const replay = createNvidiaReplayRunner(fixture(H100_LOAD));
  const { stream } = await h100();
  return new FakeCommandRunner()
    .on(DETECT, (call) => replay.run(call.cmd, call.args))
    .on(APPS, ok(''))
    .onStream(stream, ...streams);
}

const sample = (r: ProbeReading, m: string, d = UUID): Sample | undefined =>
  r.samples.find((s) => s.m === m && s.d === d);

describe('NvidiaProbe', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  // The slow health checks have their own tests (NvidiaProbe.health.test.ts, HealthPoller.test.ts).
  const probeOf = (runner: FakeCommandRunner) =>
    createNvidiaProbe(runner, { intervalMs: 1000, healthEveryMs: 0, now: () => Date.now() });

  it('is absent, and quiet, where nvidia-smi is not installed', async () => {
    const runner = new FakeCommandRunner().on(DETECT, notFound('nvidia-smi'));
    const probe = probeOf(runner);
    await probe.start();
    const r = await probe.collect(Date.now());
    expect(r).toMatchObject({ devices: [], samples: [], events: [] });
    expect(r.status).toMatchObject({
      probe: 'nvidia-smi',
      state: 'absent',
      message: 'nvidia-smi not found',
    });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(runner.calls).toHaveLength(1);
  });

  it('is absent with nvidia-smi own words when the driver is not loaded', async () => {
    const runner = new FakeCommandRunner().on(DETECT, exited(9, '', `${DRIVER_GONE}\n\n`));
    const probe = probeOf(runner);
    await probe.start();
    const r = await probe.collect(Date.now());
    expect(r.status).toMatchObject({ state: 'absent', message: DRIVER_GONE });
    expect(r.devices).toEqual([]);
  });

  it('reports an unreadable driver as an error and tries again after 1 s', async () => {
    const replay = createNvidiaReplayRunner(fixture(H100_LOAD));
    const { stream, gpu0 } = await h100();
    const runner = new FakeCommandRunner()
      .on(
        DETECT,
        exited(18, 'Failed to initialize NVML: Driver/library version mismatch\n'),
        (call) => replay.run(call.cmd, call.args),
      )
      .on(APPS, ok(''))
      .onStream(stream, { lines: [gpu0], open: true });
    const probe = probeOf(runner);
    await probe.start();
    expect((await probe.collect(Date.now())).status).toMatchObject({
      state: 'error',
      message:
        'nvidia-smi exited with code 18: Failed to initialize NVML: Driver/library version mismatch; retrying in 1 s',
    });
    await vi.advanceTimersByTimeAsync(1010);
    const r = await probe.collect(Date.now());
    expect(r.status.state).toBe('ok');
    expect(sample(r, 'device.utilization')?.v).toBe(100);
    expect(runner.callsOf(DETECT)).toHaveLength(2);
    await probe.stop();
  });

  it('reads the capture values at once, then from ONE long-lived -lms stream', async () => {
    const { stream, gpu0, columns } = await h100();
    const cells = gpu0.split(', ');
    cells[columns.indexOf('utilization.gpu')] = '55';
    const runner = await h100Runner({ lines: [cells.join(', ')], open: true });
    const probe = probeOf(runner);
    await probe.start();
    const first = await probe.collect(Date.now());
    expect(first.status.state).toBe('ok');
    expect(first.devices).toEqual([
      {
        id: UUID,
        vendor: 'nvidia',
        index: 0,
        uuid: UUID,
        name: 'NVIDIA H100 80GB HBM3',
        driver: '590.48.01',
        firmware: '96.00.A5.00.01',
        pciBusId: '00000000:00:09.0',
        memoryTotalBytes: 81559 * MIB,
      },
    ]);
    expect(sample(first, 'device.memory.used')?.v).toBe(19818 * MIB);
    expect(sample(first, 'device.power')?.v).toBe(631.95);
    expect(sample(first, 'device.fan')).toMatchObject({ v: null, s: 'unsupported', raw: '[N/A]' });

    expect(sample(first, 'device.utilization')?.v).toBe(100);
    await vi.advanceTimersByTimeAsync(500);
    const later = await probe.collect(Date.now());
    expect(sample(later, 'device.utilization')?.v).toBe(55);
    expect(runner.calls.filter((c) => c.line === stream)).toHaveLength(1);
    expect(stream).toContain('-lms 1000');
    await probe.stop();
    expect(runner.stopped).toEqual([stream]);
  });

  it('keeps good rows from a stream with garbage, and says which lines were bad', async () => {
    const { gpu0, gpu1, width } = await h100();
    const runner = await h100Runner({
      lines: [gpu0, 'Segmentation fault (core dumped)', gpu0.slice(0, 40), gpu1],
      open: true,
    });
    const probe = probeOf(runner);
    await probe.start();
    await vi.advanceTimersByTimeAsync(10);
    const r = await probe.collect(Date.now());
    expect(r.status.state).toBe('degraded');
    expect(r.status.message).toBe(
      `2 problems in the last 3 s; latest: nvidia-smi stream line 3: expected ${width} columns, got ` +
        `${gpu0.slice(0, 40).split(',').length} (truncated or garbled): ${JSON.stringify(gpu0.slice(0, 40))}`,
    );
    expect(r.devices.map((d) => d.id)).toEqual([UUID, UUID1]);
    expect(sample(r, 'device.utilization', UUID1)?.v).toBe(100);
    await probe.stop();
  });

  it('keeps the first 1,024 GPUs of a stream listing more, and names how many it listed', async () => {
    const { gpu0, columns } = await h100();
    const rows = Array.from({ length: 1500 }, (_, i) => {
      const cells = gpu0.split(', ');
      cells[columns.indexOf('index')] = String(i);
      cells[columns.indexOf('uuid')] = `GPU-new-${i}`;
      return cells.join(', ');
    });
    const probe = probeOf(await h100Runner({ lines: rows, open: true }));
    await probe.start();
    await vi.advanceTimersByTimeAsync(10);
    const r = await probe.collect(Date.now());
    // The first run's GPU and the first 1,023 of the stream.
    expect(r.devices).toHaveLength(1024);
    expect(r.devices.at(-1)?.id).toBe('GPU-new-1022');
    expect(r.status.state).toBe('degraded');
    expect(r.status.message).toBe(
      'nvidia-smi listed 1,501 devices; the collector keeps the first 1,024',
    );
    await probe.stop();
  });

  it('turns rows older than three intervals into missing samples, never zeros', async () => {
    const runner = await h100Runner({ lines: [], open: true });
    const probe = probeOf(runner);
    await probe.start();
    await vi.advanceTimersByTimeAsync(3001);
    const r = await probe.collect(Date.now());
    expect(r.status).toMatchObject({
      state: 'error',
      message: 'nvidia-smi has printed no rows for over 3 s',
    });
    expect(r.samples.length).toBeGreaterThan(10);
    expect(r.samples.every((s) => s.v === null && s.s === 'missing' && s.d === UUID)).toBe(true);
    expect(r.devices.map((d) => d.id)).toEqual([UUID]);
    await probe.stop();
  });

  it('reports a dead stream with its stderr, restarts it after 1 s, and recovers', async () => {
    const { gpu0 } = await h100();
    const said = 'Unable to determine the device handle for GPU0000:00:09.0: Unknown Error';
    const runner = await h100Runner(
      { lines: [gpu0], code: 15, stderr: `${said}\n` },
      { lines: [gpu0], open: true },
    );
    const probe = probeOf(runner);
    await probe.start();
    await vi.advanceTimersByTimeAsync(10);
    const down = await probe.collect(Date.now());
    expect(down.status).toMatchObject({
      state: 'error',
      message: `nvidia-smi exited with code 15: ${said}; restarting in 1 s`,
    });
    // The last rows are still fresh, so they are still reported.
    expect(sample(down, 'device.utilization')?.v).toBe(100);
    await vi.advanceTimersByTimeAsync(1000);
    const up = await probe.collect(Date.now());
    expect(up.status.state).toBe('ok');
    expect(up.status.message).toBeUndefined();
    await probe.stop();
  });

  it('lists compute apps every computeAppsEveryMs, in the background', async () => {
    const runner = (await h100Runner({ lines: [], open: true })).on(
      APPS,
      ok(`${UUID}, 11345, ./gpu_burn, 15690\n`),
    );
    const probe = createNvidiaProbe(runner, {
      intervalMs: 1000,
      computeAppsEveryMs: 5000,
      now: () => Date.now(),
    });
    await probe.start();
    const t0 = Date.now();
    const r = await probe.collect(t0);
    expect(r.samples.filter((s) => s.m === 'process.device.memory.used')).toEqual([
      {
        m: 'process.device.memory.used',
        v: 15690 * MIB,
        d: UUID,
        l: { pid: '11345', process: './gpu_burn' },
        t: t0,
      },
    ]);
    await probe.collect(t0 + 1000);
    expect(runner.callsOf(APPS)).toHaveLength(1);
    await probe.collect(t0 + 5000);
    expect(runner.callsOf(APPS)).toEqual([
      expect.objectContaining({ timeoutMs: 5000 }),
      expect.objectContaining({ timeoutMs: 5000 }),
    ]);
    await probe.stop();
  });
});

describe('NvidiaProbe over replays', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('a damaged capture: degraded, both GPUs kept', async () => {
    const probe = createNvidiaProbe(createNvidiaReplayRunner(fixture(MALFORMED)), {
      intervalMs: 1000,
      now: () => Date.now(),
    });
    await probe.start();
    await vi.advanceTimersByTimeAsync(10);
    const r = await probe.collect(Date.now());
    expect(r.status.state).toBe('degraded');
    expect(r.status.message).toContain('nvidia-smi stream line 3: expected');
    expect(r.devices.map((d) => [d.index, d.id])).toEqual([
      [0, UUID],
      [1, UUID1],
    ]);
    await probe.stop();
  });

  it('an older driver: rejected names fall back, and the stream asks for the old ones', async () => {
    // Hand-written, modelled on a pre-535 driver: no power.draw.average/.instant, no
    // enforced.power.limit, no pcie.link.gen.gpucurrent.
    const capture = [
      'index, uuid, name, memory.total [MiB], memory.used [MiB], utilization.gpu [%], power.draw [W], ' +
        'power.limit [W], clocks_throttle_reasons.active, pcie.link.gen.current, pstate',
      '0, GPU-old, Tesla V100-SXM2-32GB, 32510 MiB, 1024 MiB, 37 %, 61.25 W, 300.00 W, 0x0000000000000020, 3, P0',
    ].join('\n');
    const replay = createNvidiaReplayRunner(capture);
    const spawned: string[] = [];
    const runner = {
      run: replay.run.bind(replay),
      spawnLines: (
        c: string,
        args: readonly string[],
        h: Parameters<typeof replay.spawnLines>[2],
      ) => {
        spawned.push(args.join(' '));
        return replay.spawnLines(c, args, h);
      },
    };
    const probe = createNvidiaProbe(runner, { intervalMs: 1000, now: () => Date.now() });
    await probe.start();
    await vi.advanceTimersByTimeAsync(10);
    const r = await probe.collect(Date.now());
    expect(r.status.state).toBe('ok');
    expect(spawned).toHaveLength(1);
    const fields = spawned[0]!.split(' ')[0]!.slice('--query-gpu='.length).split(',');
    expect(fields).toEqual(
      expect.arrayContaining(['power.draw', 'power.limit', 'pcie.link.gen.current']),
    );
    expect(fields).not.toContain('power.draw.average');
    const by = (m: string): Sample | undefined => sample(r, m, 'GPU-old');
    expect(by('device.power')?.v).toBe(61.25);
    expect(by('device.power.limit')?.v).toBe(300);
    expect(by('device.pcie.link.gen')?.v).toBe(3);
    expect(by('device.throttle.reasons')?.v).toBe(0x20);
    expect(by('device.memory.temperature')).toMatchObject({ v: null, s: 'unsupported' });
    await probe.stop();
  });
});
