import { describe, expect, it } from 'vitest';

import { DiagnosisLog } from './DiagnosisLog.js';
import { nvidiaNode, xid } from './testContext.js';
import type { Signal } from './types.js';
import { throttleMinSeconds } from './thresholds.js';

const T = 1_764_000_000_000;

describe('incidents', () => {
  it('Xid 79 then 45 then 43 on the same GPU is one incident, the 79’s', () => {
    const log = new DiagnosisLog();
    const [d79] = log.add([xid(79, 3, T)], nvidiaNode, T);
    const [d45] = log.add([xid(45, 3, T + 1000)], nvidiaNode, T + 1000);
    const [d43] = log.add([xid(43, 3, T + 2000)], nvidiaNode, T + 2000);
    expect(d45!.incident).toBe(d79!.incident);
    expect(d43!.incident).toBe(d79!.incident);
    expect(new Set(log.list().map((d) => d.incident)).size).toBe(1);
    expect(d45!.cause).toMatch(/^Follows Xid 79 on this GPU 1 s earlier\./);
    expect(d45!.action).toMatchObject({
      bucket: 'none',
      summary: 'Part of the Xid 79 incident: follow its advice',
    });
  });

  it('Xid 149 then 45: the 45 is the NVLink error’s aftermath', () => {
    const log = new DiagnosisLog();
    const [d149] = log.add([xid(149, 5, T)], nvidiaNode, T);
    const [d45] = log.add([xid(45, 5, T + 3000)], nvidiaNode, T + 3000);
    expect(d45!.incident).toBe(d149!.incident);
    expect(d45!.cause).toMatch(/^Follows Xid 149 /);
  });

  it('a 45 on another GPU, or long after, is its own incident', () => {
    const log = new DiagnosisLog();
    const [d149] = log.add([xid(149, 5, T)], nvidiaNode, T);
    const [other] = log.add([xid(45, 6, T + 1000)], nvidiaNode, T + 1000);
    const [late] = log.add([xid(45, 5, T + 3_600_000)], nvidiaNode, T + 3_600_000);
    expect(other!.incident).not.toBe(d149!.incident);
    expect(late!.incident).not.toBe(d149!.incident);
  });

  it('Xid 13 on one GPU is the application’s: restart-app, no node diagnosis', () => {
    const log = new DiagnosisLog();
    const out = log.add([xid(13, 2, T)], nvidiaNode, T);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ device: 'GPU-2', action: { bucket: 'restart-app' } });
  });

  it('Xid 13 on all 8 GPUs is the node’s: one node-wide critical diagnosis, the eight join it', () => {
    const log = new DiagnosisLog();
    const out = log.add(
      Array.from({ length: 8 }, (_, g) => xid(13, g, T + g * 100)),
      nvidiaNode,
      T + 1000,
    );
    const wide = out.filter((d) => d.device === undefined);
    expect(wide).toHaveLength(1);
    expect(wide[0]).toMatchObject({
      severity: 'critical',
      deviceLabel: 'node-017',
      count: 8,
      title: 'Xid 13 on 8 of 8 GPUs of node-017: a node problem, not one application',
      action: { bucket: 'update-software' },
    });
    const perGpu = log.list().filter((d) => d.device !== undefined);
    expect(perGpu).toHaveLength(8);
    for (const d of perGpu) expect(d.incident).toBe(wide[0]!.incident);
  });

  it('7 of 8 GPUs is node-wide too (all but one); 6 of 8 is not', () => {
    const seven = new DiagnosisLog();
    seven.add(
      Array.from({ length: 7 }, (_, g) => xid(31, g, T)),
      nvidiaNode,
      T,
    );
    expect(seven.list().some((d) => d.device === undefined)).toBe(true);
    const six = new DiagnosisLog();
    six.add(
      Array.from({ length: 6 }, (_, g) => xid(31, g, T)),
      nvidiaNode,
      T,
    );
    expect(six.list().some((d) => d.device === undefined)).toBe(false);
  });

  it('names a driver change seen before the node-wide errors', () => {
    const log = new DiagnosisLog();
    log.add([], nvidiaNode, T - 60_000);
    const upgraded = {
      ...nvidiaNode,
      devices: nvidiaNode.devices.map((d) => ({ ...d, driver: '595.71.05' })),
    };
    const out = log.add(
      Array.from({ length: 8 }, (_, g) => xid(13, g, T)),
      upgraded,
      T,
    );
    expect(out.find((d) => d.device === undefined)!.cause).toContain(
      'The driver changed from 590.48.01 to 595.71.05',
    );
  });
});

describe('storms', () => {
  it('10,000 repeats of one Xid are one diagnosis with count 10,000 and 5 evidence lines', () => {
    const log = new DiagnosisLog();
    const storm = Array.from({ length: 10_000 }, (_, i) => xid(31, 1, T + i, `line ${i}`));
    const out = log.add(storm, nvidiaNode, T + 10_000);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ count: 10_000, ts: T, lastTs: T + 9999 });
    expect(out[0]!.evidence.map((e) => /line \d+$/.exec(e.text)![0])).toEqual([
      'line 0',
      'line 1',
      'line 2',
      'line 3',
      'line 9999',
    ]);
  });

  it('a storm the kernel probe folded (detail.repeats) counts every line it stands for', () => {
    const log = new DiagnosisLog();
    const folded = (n: number, ts: number): Signal => {
      const s = xid(31, 1, ts, `line ${ts - T}`);
      return { ...s, detail: { ...s.detail, repeats: n - 1 } };
    };
    expect(log.add([folded(10_000, T)], nvidiaNode, T)[0]).toMatchObject({ count: 10_000 });
    const later = log.add([folded(2_500, T + 20_000)], nvidiaNode, T + 20_000);
    expect(later[0]).toMatchObject({ count: 12_500, lastTs: T + 20_000 });
  });

  it('one line per call: updates at most every 10 s, the count always right', () => {
    const log = new DiagnosisLog();
    let returned = 0;
    for (let i = 0; i < 1000; i++)
      returned += log.add([xid(31, 1, T + i * 100)], nvidiaNode, T + i * 100).length;
    expect(returned).toBe(1 + 9);
    expect(log.list()[0]!.count).toBe(1000);
  });

  it('keeps at most maxPerNode diagnoses per node', () => {
    const log = new DiagnosisLog({ maxPerNode: 16 });
    for (let c = 1; c <= 100; c++) log.add([xid(c, 1, T + c)], nvidiaNode, T + c);
    const kept = log.list('node-017');
    expect(kept).toHaveLength(16);
    expect(kept[0]!.code).toBe('100');
  });
});

describe('durations and resolution', () => {
  const throttle = (ts: number, ok = false): Signal => ({
    kind: 'throttle',
    code: 'hw_thermal_slowdown',
    ts,
    device: 'GPU-4',
    evidence: [{ ts, text: 'mask 0x40', source: 'metrics' }],
    ...(ok && { ok: true }),
  });

  it('a throttle reason opens only once held for its minimum, and resolves when clear', () => {
    const min = throttleMinSeconds('hw_thermal_slowdown');
    const log = new DiagnosisLog();
    const steps: number[] = [];
    for (let s = 0; s <= min + 2; s++)
      if (log.add([throttle(T + s * 1000)], nvidiaNode, T + s * 1000).length > 0) steps.push(s);
    expect(steps[0]).toBe(min);
    const [resolved] = log.add([throttle(T + 20_000, true)], nvidiaNode, T + 20_000);
    expect(resolved).toMatchObject({
      resolved: T + 20_000,
      kind: 'throttle',
      code: 'hw_thermal_slowdown',
    });
    expect(log.add([throttle(T + 21_000, true)], nvidiaNode, T + 21_000)).toEqual([]);
  });

  it('a throttle held shorter than its minimum never opens', () => {
    const log = new DiagnosisLog();
    expect(log.add([throttle(T)], nvidiaNode, T)).toEqual([]);
    expect(log.add([throttle(T + 3000, true)], nvidiaNode, T + 3000)).toEqual([]);
    expect(log.add([throttle(T + 4000)], nvidiaNode, T + 4000)).toEqual([]);
  });

  it('a continuous value with no signal for 2 minutes resolves by itself', () => {
    const log = new DiagnosisLog();
    const hot: Signal = {
      kind: 'temperature',
      code: 'slowdown',
      ts: T,
      device: 'GPU-1',
      value: 90,
      limit: 87,
      evidence: [],
    };
    expect(log.add([hot], nvidiaNode, T)).toHaveLength(1);
    expect(log.add([], nvidiaNode, T + 60_000)).toEqual([]);
    expect(log.add([], nvidiaNode, T + 120_000)[0]).toMatchObject({ resolved: T + 120_000 });
  });

  it('an Xid never resolves by a value; it ages out after an hour', () => {
    const log = new DiagnosisLog();
    log.add([xid(79, 3, T)], nvidiaNode, T);
    expect(log.add([{ ...xid(79, 3, T + 1), ok: true }], nvidiaNode, T + 1)).toEqual([]);
    log.add([], nvidiaNode, T + 3_700_000);
    expect(log.list()).toEqual([]);
  });
});
