/**
 * The diagnose command's work through the real engine (KernelLineReader, DiagnosisLog, the
 * catalogs), without building the CLI: correlation of a lost GPU's aftermath into one incident,
 * and an npu-smi fault code judged by mind-cluster's fault catalog.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';

import { describe, expect, it } from 'vitest';

import { diagnoseInputs, runDiagnose, type RunEnv } from './diagnoseRun.js';

const NOW = Date.UTC(2026, 11, 3, 12);
const ASCEND = join(import.meta.dirname, '../probes/ascend/fixtures');
const CATALOGS = join(import.meta.dirname, '../core/diagnosis/fixtures/catalogs');

function env(input = ''): RunEnv & { notes: string[] } {
  const notes: string[] = [];
  return {
    stdin: Readable.from([Buffer.from(input)]),
    now: NOW,
    width: 100,
    color: false,
    note: (l) => notes.push(l),
    notes,
  };
}

/*
 * Crafted in the driver's printf format (kernel_rc.c, contracts.md §3.5) with journald short-iso
 * prefixes: no real log in the fixtures holds a 79 → 45 → 43 sequence. One GPU at 0000:3b:00.
 */
const LOST_GPU = [
  "2025-12-01T14:02:11+0000 node-017 kernel: NVRM: Xid (PCI:0000:3b:00): 79, pid='<unknown>', name=<unknown>, GPU has fallen off the bus.",
  '2025-12-01T14:02:12+0000 node-017 kernel: NVRM: Xid (PCI:0000:3b:00): 45, pid=4242, name=vllm, Ch 00000010',
  '2025-12-01T14:02:13+0000 node-017 kernel: NVRM: Xid (PCI:0000:3b:00): 43, pid=4242, name=vllm, Ch 00000010',
  '',
].join('\n');

describe('diagnose run', () => {
  it('Xid 79 then 45 then 43 on one GPU is one incident, printed under one heading', async () => {
    const { diagnoses } = await diagnoseInputs({ kmsg: '-', node: 'node-017' }, env(LOST_GPU));
    expect(diagnoses.map((d) => d.code)).toEqual(['79', '45', '43']);
    expect(new Set(diagnoses.map((d) => d.incident)).size).toBe(1);
    expect(diagnoses.map((d) => d.ts)).toEqual([
      Date.UTC(2025, 11, 1, 14, 2, 11),
      Date.UTC(2025, 11, 1, 14, 2, 12),
      Date.UTC(2025, 11, 1, 14, 2, 13),
    ]);

    const text = await runDiagnose({ kmsg: '-', node: 'node-017' }, env(LOST_GPU));
    const lines = text.split('\n');
    expect(lines[0]).toBe(
      '3 diagnoses in 1 incident (1 critical, 2 warning) from 3 lines of standard input',
    );
    expect(lines[2]).toBe(
      'Incident 1 of 1 · GPU 0000:3b:00 · critical · Xid 79, then Xid 45, then Xid 43',
    );
    expect(text.match(/^Incident /gm)).toHaveLength(1);
  });

  it('an npu-smi health answer in Alarm with 0x80E24E00: the fault catalog’s level decides', async () => {
    const file = join(ASCEND, 'derived__910-23.0.5__health-alarm-80E24E00.txt');
    const e = env();
    const { diagnoses } = await diagnoseInputs({ npuSmi: file, node: 'n' }, e);
    const fault = diagnoses.find((d) => d.kind === 'npu-fault')!;
    // faultCode.json lists 80E24E00 under RestartNPUCodes: "stop the job, reset the chip", which
    // types.ts maps to reset-device.
    const catalog = JSON.parse(readFileSync(join(CATALOGS, 'faultCode.json'), 'utf8')) as Record<
      string,
      string[]
    >;
    const level = Object.keys(catalog).find((k) => catalog[k]!.includes('80E24E00'));
    expect(level).toBe('RestartNPUCodes');
    expect(fault.code).toBe('0x80E24E00');
    expect(fault.deviceLabel).toBe('NPU 0');
    expect(fault.action.bucket).toBe('reset-device');
    expect(fault.ref).toMatchObject({ catalog: 'ascend-fault-code', name: level });
    const health = diagnoses.filter((d) => d.kind === 'npu-health');
    expect(health.map((d) => [d.code, d.title])).toEqual([
      ['health', 'NPU 0 health is Alarm (npu-smi)'],
    ]);
    expect(e.notes).toHaveLength(1);
  });
});
