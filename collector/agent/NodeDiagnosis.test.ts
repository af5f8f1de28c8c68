import { describe, expect, it } from 'vitest';

import { parseKernelLine } from '../core/diagnosis/kernelLine.js';
import type { Signal } from '../core/diagnosis/types.js';
import type { DeviceInfo } from '../core/model.js';
import { NodeDiagnosis } from './NodeDiagnosis.js';

const NOW = Date.UTC(2026, 11, 3, 12);
// The GPU as nvidia-smi names it (8-digit domain, upper case), the Xid as NVRM prints it.
const gpu: DeviceInfo = {
  id: 'GPU-b6c3b2be-c55b-d076-fa0e-d464e4c7e08b',
  vendor: 'nvidia',
  index: 0,
  uuid: 'GPU-b6c3b2be-c55b-d076-fa0e-d464e4c7e08b',
  name: 'NVIDIA H100 80GB HBM3',
  pciBusId: '00000000:91:00.0',
};
const line = (text: string): Signal => parseKernelLine(text, { now: NOW })!;

describe('NodeDiagnosis', () => {
  it('an Xid 79 from the kernel log becomes one event on the GPU with its advice', () => {
    const nd = new NodeDiagnosis('node-7', 'lab');
    const events = nd.tick(
      [
        line(
          "NVRM: Xid (PCI:0000:91:00): 79, pid='<unknown>', name=<unknown>, GPU has fallen off the bus.",
        ),
      ],
      [],
      [gpu],
      NOW,
    );
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ kind: 'xid', code: '79', d: gpu.id, severity: 'critical' });
    expect(events[0]!.action?.bucket).toBe('reboot-node');
    expect(nd.samples()).toEqual([
      {
        m: 'diagnosis.open',
        v: 1,
        d: gpu.id,
        l: { kind: 'xid', code: '79', severity: 'critical' },
      },
      { m: 'diagnosis.signals', v: 1, l: { kind: 'xid', code: '79' } },
    ]);
  });

  it('counts a folded storm by its repeats, and the same fact again is no new event at once', () => {
    const nd = new NodeDiagnosis('node-7', undefined);
    const xid = line('NVRM: Xid (PCI:0000:91:00): 13, pid=1, name=vllm, Graphics Exception');
    const last = { ...xid.evidence[0]!, text: 'the 10,000th line' };
    const folded = {
      ...xid,
      detail: { ...xid.detail, repeats: 9_999 },
      evidence: [xid.evidence[0]!, last],
    };
    const events = nd.tick([folded], [], [gpu], NOW);
    expect(events.map((e) => [e.code, e.count])).toEqual([['13', 10_000]]);
    expect(events[0]!.evidence?.map((e) => e.text)).toEqual([
      xid.evidence[0]!.text,
      'the 10,000th line',
    ]);
    expect(nd.tick([xid], [], [gpu], NOW + 1_000)).toEqual([]);
    expect(nd.samples().find((s) => s.m === 'diagnosis.signals')).toEqual({
      m: 'diagnosis.signals',
      v: 10_001,
      l: { kind: 'xid', code: '13' },
    });
  });

  it('nothing read, nothing open: no events and no open samples', () => {
    const nd = new NodeDiagnosis('node-7', undefined);
    expect(nd.tick([], [], [gpu], NOW)).toEqual([]);
    expect(nd.samples()).toEqual([]);
  });

  it('an Xid read before nvidia-smi has named its GPU waits for it while probes are starting', () => {
    const nd = new NodeDiagnosis('node-7', undefined);
    const xid = line('NVRM: Xid (PCI:0000:91:00): 48, pid=1, name=vllm, DBE');
    expect(nd.tick([xid], [], [], NOW, false)).toEqual([]);
    const events = nd.tick([], [], [gpu], NOW + 1_000, true);
    expect(events.map((e) => [e.code, e.d])).toEqual([['48', gpu.id]]);
  });

  it('once settled, a signal for an address no probe knows is judged as it is', () => {
    const nd = new NodeDiagnosis('node-7', undefined);
    const xid = line('NVRM: Xid (PCI:0000:42:00): 48, pid=1, name=vllm, DBE');
    const events = nd.tick([xid], [], [gpu], NOW, true);
    expect(events.map((e) => [e.code, e.d])).toEqual([['48', undefined]]);
  });

  it('a temperature over the slowdown point opens a diagnosis; back under it, the all-clear resolves it', () => {
    const nd = new NodeDiagnosis('node-7', undefined);
    const temp = (v: number) => [
      { m: 'device.temperature', v, d: gpu.id },
      { m: 'device.temperature.slowdown', v: 87, d: gpu.id },
    ];
    const hot = nd.tick([], temp(91), [gpu], NOW);
    expect(hot.map((e) => [e.kind, e.code, e.d, e.resolved])).toEqual([
      ['temperature', 'slowdown', gpu.id, undefined],
    ]);
    const cool = nd.tick([], temp(70), [gpu], NOW + 1_000);
    expect(cool.map((e) => [e.kind, e.code, e.resolved])).toEqual([
      ['temperature', 'slowdown', NOW + 1_000],
    ]);
    expect(nd.samples().filter((s) => s.m === 'diagnosis.open')).toEqual([]);
  });
});
