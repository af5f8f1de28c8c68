// The core's code never touches files; its tests read their fixtures.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

import { DiagnosisLog } from './DiagnosisLog.js';
import { parseKernelLine } from './kernelLine.js';
import type { NodeContext, Signal } from './types.js';
import { xidEntry } from './xidCatalog.js';

// Real kernel logs (fixtures/kernel, with their SOURCES.md) through parse → DiagnosisLog: what an
// operator is shown for each. Counts of lines are kernelLine.test.ts's, written down from the files.
const NOW = Date.UTC(2026, 11, 3, 12, 0, 0);
const BOOT = Date.UTC(2025, 0, 1);

function signalsOf(name: string, bootTimeMs?: number): Signal[] {
  return readFileSync(new URL(`./fixtures/kernel/${name}`, import.meta.url), 'utf8')
    .split('\n')
    .map((l) => parseKernelLine(l, { now: NOW, ...(bootTimeMs !== undefined && { bootTimeMs }) }))
    .filter((s): s is Signal => s !== undefined);
}

function gpuAt(pci: string, index: number): NodeContext['devices'][number] {
  const [dom, bus, dev] = pci.split(':');
  return {
    id: `GPU-${index}`,
    vendor: 'nvidia',
    index,
    model: 'NVIDIA H100 80GB HBM3',
    pciBusId: `0000${dom}:${bus!.toUpperCase()}:${dev}.0`,
  };
}

describe('real kernel logs through the rules', () => {
  it('gpud sxid README: Xid 79 + its fallen-off-bus line are one critical incident; 8 SXid 20034 one diagnosis per switch', () => {
    const ctx: NodeContext = { node: 'hgx', devices: [gpuAt('0000:91:00', 0)] };
    const out = new DiagnosisLog().add(
      signalsOf('kmsg-gpud-sxid-readme-xid79-sxid20034.txt', BOOT),
      ctx,
      NOW,
    );
    const x79 = out.find((d) => d.kind === 'xid')!;
    expect(x79).toMatchObject({
      severity: 'critical',
      device: 'GPU-0',
      title: 'GPU 0 fell off the PCIe bus (Xid 79)',
      action: { bucket: 'reboot-node' },
    });
    expect(xidEntry(79)!.cls).toBe('FATAL');
    const fallen = out.find((d) => d.kind === 'fallen-off-bus')!;
    expect(fallen.incident).toBe(x79.incident);
    // Three NVSwitches, one diagnosis each: 4 + 1 + 3 lines; each has a Fatal line, so critical
    // (switch 2's first line is a non-fatal 'Severity 1' one, raised by its Fatal repeat).
    const sxid = out.filter((d) => d.kind === 'sxid').map((d) => [d.code, d.count, d.severity]);
    expect(sxid).toEqual([
      ['20034', 1, 'critical'],
      ['20034', 4, 'critical'],
      ['20034', 3, 'critical'],
    ]);
  });

  it('gpud iso log: 16 Xid 13 are one diagnosis (count 16, restart the app); the Xid 43 after them joins their incident', () => {
    const ctx: NodeContext = { node: 'n', devices: [gpuAt('0000:38:00', 0)] };
    const out = new DiagnosisLog().add(signalsOf('dmesg-gpud-xid13-xid43-iso-ts.log'), ctx, NOW);
    expect(out.map((d) => [d.code, d.count])).toEqual([
      ['13', 16],
      ['43', 1],
    ]);
    expect(out[0]).toMatchObject({ severity: 'error', action: { bucket: 'restart-app' } });
    expect(out[1]!.incident).toBe(out[0]!.incident);
    expect(out[1]!.cause).toMatch(/^Follows Xid 13 on this GPU/);
  });

  it('DCGM #144: three Xid 119 on one GPU, one critical reset-the-GPU diagnosis with count 3', () => {
    const ctx: NodeContext = { node: 'n', devices: [gpuAt('0000:07:00', 0)] };
    const out = new DiagnosisLog().add(
      signalsOf('kmsg-issue-dcgm144-xid119-gsp-timeout.txt', BOOT),
      ctx,
      NOW,
    );
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({
      code: '119',
      count: 3,
      severity: 'critical',
      action: { bucket: 'reset-device' },
      ref: { name: 'GSP_RPC_TIMEOUT' },
    });
  });
});
