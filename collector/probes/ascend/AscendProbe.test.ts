import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

import type { Sample } from '../../core/model.js';
import { exited, FakeCommandRunner, notFound, ok } from '../FakeCommandRunner.js';
import { AscendProbe, createAscendProbe } from './AscendProbe.js';
import { createNpuReplayRunner } from './NpuReplayRunner.js';

const fixture = (name: string): string =>
  readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

const A2 = fixture('npu-smi-info_910B3_A2_4of8-visible_24.1.rc2_procs_vllm-ascend-issue1155.txt');
const A3 = fixture('npu-smi-info_A3_16chip_24.1.rc3.7_idle_vllm-ascend-issue2667.txt');
const INFO = 'npu-smi info';
const usages = (npu: number): string => `npu-smi info -t usages -i ${npu}`;

/** Hand-built in the format of the real 23.0.5 `-t usages` capture (fixtures), with other values. */
const usagesOf = (npu: number, aicpu: number): string =>
  [
    `NPU ID                         : ${npu}`,
    'Chip Count                     : 1',
    '',
    'HBM Capacity(MB)               : 65536',
    'HBM Usage Rate(%)              : 20',
    'Aicore Usage Rate(%)           : 37',
    `Aicpu Usage Rate(%)            : ${aicpu}`,
    'Aivector Usage Rate(%)         : 5',
    'HBM Bandwidth Usage Rate(%)    : 9',
    'Chip ID                        : 0',
  ].join('\n');

const find = (samples: readonly Sample[], m: string, d: string): Sample | undefined =>
  samples.find((s) => s.m === m && s.d === d && s.l === undefined);

function a2Runner(): FakeCommandRunner {
  const runner = new FakeCommandRunner().on(INFO, ok(A2));
  for (const npu of [4, 5, 6, 7]) runner.on(usages(npu), ok(usagesOf(npu, 10 + npu)));
  return runner;
}

describe('AscendProbe: presence', () => {
  it('is absent, once and for all, when npu-smi is not installed', async () => {
    const runner = new FakeCommandRunner().on(INFO, notFound('npu-smi'));
    const probe = createAscendProbe(runner, { intervalMs: 1000 });
    await probe.start();
    const r1 = await probe.collect(1000);
    const r2 = await probe.collect(2000);
    expect(r1.status).toMatchObject({
      probe: 'npu-smi',
      state: 'absent',
      message: 'npu-smi not found',
    });
    expect(r2).toMatchObject({ devices: [], samples: [], events: [] });
    expect(runner.calls).toHaveLength(1);
  });

  it('is an error carrying npu-smi’s words when it exits non-zero', async () => {
    const said = 'dcmi module initialize failed. ret is -8005';
    const runner = new FakeCommandRunner().on(INFO, exited(255, `${said}\n`));
    const probe = createAscendProbe(runner, { intervalMs: 1000 });
    await probe.start();
    const r = await probe.collect(1000);
    expect(r.status.state).toBe('error');
    expect(r.status.message).toBe(`npu-smi info exited with code 255: ${said}`);
  });

  it('says when npu-smi hangs past its timeout', async () => {
    const runner = new FakeCommandRunner().on(INFO, exited(null, ''));
    const probe = createAscendProbe(runner, { intervalMs: 1000, timeoutMs: 5000 });
    const r = await probe.collect(1000);
    expect(r.status).toMatchObject({
      state: 'error',
      message: 'npu-smi info did not finish within 5000 ms',
    });
    expect(runner.calls[0]?.timeoutMs).toBe(5000);
  });

  it('is absent when npu-smi lists no NPU', async () => {
    const probe = createAscendProbe(new FakeCommandRunner().on(INFO, ok('')), { intervalMs: 1000 });
    await probe.start();
    expect((await probe.collect(1000)).status).toMatchObject({
      state: 'absent',
      message: 'npu-smi info lists no NPUs',
    });
  });

  it('never rejects, whatever the runner throws', async () => {
    const runner = new FakeCommandRunner().on(INFO, () => {
      throw new TypeError('boom');
    });
    const r = await createAscendProbe(runner, { intervalMs: 1000 }).collect(1000);
    expect(r.status).toMatchObject({ state: 'error', message: 'npu-smi info failed: boom' });
  });
});

describe('AscendProbe: readings', () => {
  it('reads the table every tick and -t usages per NPU every 5th tick, in the background', async () => {
    const runner = a2Runner();
    const probe = new AscendProbe(runner, { intervalMs: 1000, now: () => 500 });
    await probe.start();
    const first = await probe.collect(1000);
    expect(first.status).toEqual({ probe: 'npu-smi', state: 'ok', since: 500 });
    expect(first.devices.map((d) => d.id)).toEqual([
      'ascend:4',
      'ascend:5',
      'ascend:6',
      'ascend:7',
    ]);
    expect(find(first.samples, 'device.power', 'ascend:6')?.v).toBe(100.0);
    await probe.whenIdle();
    const second = await probe.collect(2000);
    // Taken at 1000 and kept: the sample says when.
    expect(find(second.samples, 'device.aicpu.utilization', 'ascend:6')).toEqual({
      m: 'device.aicpu.utilization',
      v: 16,
      d: 'ascend:6',
      t: 1000,
    });
    // The table's AICore (0) stays: the fresher source wins over -t usages (37).
    expect(find(second.samples, 'device.utilization', 'ascend:6')?.v).toBe(0);
    for (let now = 3000; now <= 6000; now += 1000) await probe.collect(now);
    await probe.whenIdle();
    // Six collects, one npu-smi info each: start's answer served the first.
    expect(runner.callsOf(INFO)).toHaveLength(6);
    expect(runner.callsOf(usages(4))).toHaveLength(2);
    const sixth = await probe.collect(7000);
    expect(find(sixth.samples, 'device.aivector.utilization', 'ascend:4')).toMatchObject({
      v: 5,
      t: 6000,
    });
  });

  it('marks the -t metrics missing, never 0, when the query fails', async () => {
    const runner = a2Runner().on(
      usages(5),
      exited(1, 'Usage: npu-smi info <watch|proc-mem|-h|-m>'),
    );
    const probe = createAscendProbe(runner, { intervalMs: 1000 });
    await probe.collect(1000);
    await probe.whenIdle();
    const r = await probe.collect(2000);
    expect(find(r.samples, 'device.aivector.utilization', 'ascend:5')).toEqual({
      m: 'device.aivector.utilization',
      v: null,
      s: 'missing',
      d: 'ascend:5',
      t: 1000,
    });
    expect(find(r.samples, 'device.aivector.utilization', 'ascend:4')?.v).toBe(5);
    expect(r.status.state).toBe('ok');
  });

  it('turns garbage into degraded, keeping the last good devices', async () => {
    const cut = A2.split('\n').slice(0, 14).join('\n');
    const runner = a2Runner().on(
      INFO,
      ok(A2),
      ok('Segmentation fault (core dumped)\n'),
      ok(cut),
      ok(A2),
    );
    const probe = createAscendProbe(runner, { intervalMs: 1000 });
    expect((await probe.collect(1000)).status.state).toBe('ok');

    const garbage = await probe.collect(2000);
    expect(garbage.status).toMatchObject({
      state: 'degraded',
      since: 2000,
      message:
        'npu-smi info: no npu-smi table in the output (it begins "Segmentation fault (core dumped)")',
    });
    expect(garbage.devices).toHaveLength(4);
    expect(find(garbage.samples, 'device.power', 'ascend:4')).toMatchObject({
      v: null,
      s: 'error',
    });

    const truncated = await probe.collect(3000);
    expect(truncated.status).toEqual({
      probe: 'npu-smi',
      state: 'degraded',
      since: 2000,
      message: 'npu-smi info: line 14: the table ends without its border line (output cut short?)',
    });
    expect(truncated.devices.map((d) => d.id)).toEqual([
      'ascend:4',
      'ascend:5',
      'ascend:6',
      'ascend:7',
    ]);
    expect(find(truncated.samples, 'device.power', 'ascend:6')?.v).toBe(100.0);
    expect(find(truncated.samples, 'device.power', 'ascend:7')).toMatchObject({
      v: null,
      s: 'error',
    });

    expect((await probe.collect(4000)).status).toEqual({
      probe: 'npu-smi',
      state: 'ok',
      since: 4000,
    });
  });
});

describe('AscendProbe: health changes', () => {
  // The A2 capture with NPU 5's health cell edited to Alarm (hand-made variation).
  const alarm = A2.replace(
    '| 5     910B3               | OK            |',
    '| 5     910B3               | Alarm         |',
  );
  const healthQuery = 'npu-smi info -t health -i 5';

  it('a chip leaving OK brings the -t health check forward: its health and fault code arrive as Signals, not as a second event', async () => {
    const runner = a2Runner()
      .on(INFO, ok(A2), ok(alarm))
      .on(
        healthQuery,
        ok('Health Status : OK\nError Code : NA\n'),
        ok('Health Status : Alarm\nError Code : 80E21007\nError Information : NA\n'),
      );
    const probe = createAscendProbe(runner, { intervalMs: 1000 });
    await probe.collect(1000);
    await probe.whenIdle();
    expect((await probe.collect(2000)).signals ?? []).toEqual([]);
    await probe.whenIdle();
    // Due again only at 61,000 ms by its cadence; the Alarm in the table asked at 2,000 ms.
    const third = await probe.collect(3000);
    expect(runner.callsOf(healthQuery)).toHaveLength(2);
    expect(third.events).toEqual([]);
    expect((third.signals ?? []).map((s) => [s.kind, s.code, s.value ?? null, s.device])).toEqual([
      ['npu-health', 'health', 2, 'ascend:5'],
      ['npu-fault', '0x80E21007', null, 'ascend:5'],
    ]);
  });
});

describe('AscendProbe with the replay runner', () => {
  it('loops over the recorded tables', async () => {
    const probe = createAscendProbe(createNpuReplayRunner(A2 + A3), { intervalMs: 1000 });
    await probe.start();
    const counts = [];
    for (let now = 1000; now <= 3000; now += 1000)
      counts.push((await probe.collect(now)).devices.length);
    expect(counts).toEqual([4, 16, 4]);
    await probe.stop();
  });

  it('leaves the -t metrics the replay did not record missing', async () => {
    const probe = createAscendProbe(createNpuReplayRunner(A3), { intervalMs: 1000 });
    await probe.collect(1000);
    await probe.whenIdle();
    const r = await probe.collect(2000);
    expect(find(r.samples, 'device.aicpu.utilization', 'ascend:0:1')).toEqual({
      m: 'device.aicpu.utilization',
      v: null,
      s: 'missing',
      d: 'ascend:0:1',
      t: 1000,
    });
    expect(find(r.samples, 'device.power', 'ascend:0:0')?.v).toBe(178.9);
    expect(r.status.state).toBe('ok');
  });
});
