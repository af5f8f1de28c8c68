import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import type { Signal } from '../../core/diagnosis/types.js';
import { exited, FakeCommandRunner, ok } from '../FakeCommandRunner.js';
import { createAscendProbe } from './AscendProbe.js';
import { createNpuReplayRunner } from './NpuReplayRunner.js';

const fixture = (name: string): string =>
  readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

// The table: a container seeing NPUs 4–7 of an A2 (910B3) box, 24.1.rc2, all OK.
const A2 = fixture('npu-smi-info_910B3_A2_4of8-visible_24.1.rc2_procs_vllm-ascend-issue1155.txt');
const DOC_910 = fixture(
  'mind-cluster-docs_npu_info_before_example_910-8card_23.0.5_info_health_ecc_board_usages.txt',
);
const ALARM = fixture('derived__910-23.0.5__health-alarm-80E24E00.txt');

/** The output recorded under one command line of the 23.0.5 bundle, up to the next command. */
function section(command: string): string {
  const lines = DOC_910.split('\n');
  const rest = lines.slice(lines.indexOf(command) + 1);
  const end = rest.findIndex((l) => l.startsWith('/usr/local/'));
  return rest.slice(0, end < 0 ? undefined : end).join('\n');
}

// The 23.0.5 answers (910, real) stand in for each NPU of the 24.1.rc2 A2 table: the key/value
// format is the one npu-smi prints from 23.0.5 on; no A2 recording of `-t health|ecc|board` exists.
const HEALTH_OK = section('/usr/local/bin/npu-smi info -i 0 -c 0 -t health');
const ECC = section('/usr/local/bin/npu-smi info -i 0 -t ecc');
const BOARD = section('/usr/local/bin/npu-smi info -i 0 -t board');
const USAGES = section('/usr/local/bin/npu-smi info -i 0 -t usages');
const NPUS = [4, 5, 6, 7];
const q = (check: string, npu: number): string => `npu-smi info -t ${check} -i ${npu}`;

function runner(): FakeCommandRunner {
  const r = new FakeCommandRunner().on('npu-smi info', ok(A2));
  for (const npu of NPUS) {
    r.on(`npu-smi info -t usages -i ${npu}`, ok(USAGES));
    r.on(q('health', npu), ok(HEALTH_OK));
    r.on(q('ecc', npu), ok(ECC));
    r.on(q('board', npu), ok(BOARD));
  }
  return r;
}

async function tick(
  probe: ReturnType<typeof createAscendProbe>,
  t: number,
): Promise<{ signals: Signal[]; message?: string }> {
  await probe.collect(t);
  await probe.whenIdle();
  const r = await probe.collect(t + 1);
  await probe.whenIdle();
  return { signals: r.signals ?? [], message: r.status.message };
}

describe('Ascend slow health checks (NpuHealthPoller in AscendProbe)', () => {
  it('runs health and ecc per NPU once per 60 s and board on the first round only', async () => {
    const r = runner();
    const probe = createAscendProbe(r, { intervalMs: 1000 });
    await probe.start();
    for (let t = 0; t < 60_000; t += 10_000) await tick(probe, t);
    expect(NPUS.map((n) => r.callsOf(q('health', n)).length)).toEqual([1, 1, 1, 1]);
    expect(NPUS.map((n) => r.callsOf(q('ecc', n)).length)).toEqual([1, 1, 1, 1]);
    await tick(probe, 60_000);
    expect(NPUS.map((n) => r.callsOf(q('health', n)).length)).toEqual([2, 2, 2, 2]);
    expect(NPUS.map((n) => r.callsOf(q('board', n)).length)).toEqual([1, 1, 1, 1]);
    await probe.stop();
  });

  it('healthy NPUs: no signals, no note; NPU 5 then in Alarm with 80E24E00: two signals on its device and bus', async () => {
    const r = runner();
    const probe = createAscendProbe(r, { intervalMs: 1000 });
    await probe.start();
    const first = await tick(probe, 0);
    expect(first).toEqual({ signals: [], message: undefined });
    r.on(q('health', 5), ok(ALARM));
    const second = await tick(probe, 60_000);
    expect(second.signals.map((s) => [s.kind, s.code, s.value, s.device, s.pci])).toEqual([
      ['npu-health', 'health', 2, 'ascend:5', '0000:02:00'],
      ['npu-fault', '0x80E24E00', undefined, 'ascend:5', '0000:02:00'],
    ]);
    await probe.stop();
  });

  it('an ecc query npu-smi refuses: "not present here" in the status, not asked again for ten rounds', async () => {
    const r = runner();
    for (const npu of NPUS) r.on(q('ecc', npu), exited(2, ''));
    const probe = createAscendProbe(r, { intervalMs: 1000 });
    await probe.start();
    const first = await tick(probe, 0);
    expect(first.message).toBe(
      'npu-smi info -t ecc not present here (NPU 4, 5, 6, 7): npu-smi info -t ecc -i 4 exited with code 2: no output',
    );
    await tick(probe, 60_000);
    expect(r.callsOf(q('ecc', 4))).toHaveLength(1);
    expect(r.callsOf(q('ecc', 5))).toHaveLength(1);
    expect(r.callsOf(q('health', 5))).toHaveLength(2);
    await probe.stop();
  });

  it('replays from a recording (`--replay npu-smi=FILE`): the table, then NPU 6 health OK and then in Alarm', async () => {
    // A replay file is the table followed by `# npu-smi …` sections, answered in turn (NpuReplayRunner).
    const recording = [
      A2,
      '# npu-smi info -t health -i 6',
      HEALTH_OK,
      '# npu-smi info -t health -i 6',
      ALARM,
    ].join('\n');
    const probe = createAscendProbe(createNpuReplayRunner(recording), { intervalMs: 1000 });
    await probe.start();
    const first = await tick(probe, 0);
    expect(first.signals).toEqual([]);
    // The other NPUs' checks and ecc/board have no recording: not present here, not errors.
    expect(first.message).toMatch(
      /^npu-smi info -t health not present here \(NPU 4, 5, 7\): npu-smi info -t health -i 4 exited with code 1/,
    );
    const second = await tick(probe, 60_000);
    expect(second.signals.map((s) => [s.kind, s.code, s.device])).toEqual([
      ['npu-health', 'health', 'ascend:6'],
      ['npu-fault', '0x80E24E00', 'ascend:6'],
    ]);
    await probe.stop();
  });

  it('healthEveryMs 0 turns the checks off', async () => {
    const r = runner();
    const probe = createAscendProbe(r, { intervalMs: 1000, healthEveryMs: 0 });
    await probe.start();
    await tick(probe, 0);
    expect(r.callsOf(q('health', 4))).toHaveLength(0);
    await probe.stop();
  });
});
