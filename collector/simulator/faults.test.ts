import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';
import { metricsSamples } from '../core/protocol/grids.js';

import type { MetricsMessage } from '../core/protocol/spec.js';
import { NPU_FAULT_LEVELS } from './npuFaultCodes.js';
import { Simulator, type SimulatorOptions } from './Simulator.js';
import { eventsOf, inventoriesOf, metricsOf, valueOf } from './testing.js';

const fixture = (name: string): string =>
  readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

const opts: SimulatorOptions = {
  clusters: 1,
  nodes: 12,
  devicesPerNode: 8,
  seed: 4,
  intervalMs: 500,
};
const T0 = 1_700_000_000_000;

function setup(o: Partial<SimulatorOptions> = {}) {
  const sim = new Simulator({ ...opts, ...o });
  const nvidia = sim.fleet.nodes.find((n) => n.devices[0]!.info.name.includes('H100'))!;
  const ascend = sim.fleet.nodes.find((n) => n.devices[0]!.info.vendor === 'ascend')!;
  let k = 0;
  const tick = () => sim.tick(T0 + k++ * 500);
  const ticks = (n: number) => {
    let out = tick();
    for (let i = 1; i < n; i++) out = tick();
    return out;
  };
  return { sim, nvidia, ascend, tick, ticks };
}

/** The NVRM Xid line pattern (contracts §3.5), checked on a real kernel log line first. */
const XID_LINE =
  /^NVRM: Xid \(PCI:([0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2})\): (\d+), pid='<unknown>', name=<unknown>, (.*)$/;

describe('Xid 79: GPU fallen off the bus', () => {
  it('matches the real kernel line format', () => {
    const real = fixture('kmsg-gpud-sxid-readme-xid79-sxid20034.txt')
      .split('\n')
      .map((l) => l.replace(/^\[[^\]]*\]\s*/, ''))
      .find((l) => l.includes('Xid (PCI'))!;
    expect(real).toMatch(XID_LINE);
    expect(XID_LINE.exec(real)![3]).toBe('GPU has fallen off the bus.');
  });

  it('silences the device until reset, with a critical event and a degraded probe', () => {
    const { sim, nvidia, tick, ticks } = setup();
    const dev = nvidia.devices[2]!;
    tick();
    expect(sim.command({ kind: 'xid79', node: nvidia.name, device: 2 })).toBeUndefined();
    const out = tick();
    const [event] = eventsOf(out);
    expect(event).toMatchObject({ kind: 'xid', code: '79', severity: 'critical', d: dev.info.id });
    const m = XID_LINE.exec(event!.message)!;
    expect(m[1]).toBe(`0000:${dev.info.pciBusId!.slice(9, 11).toLowerCase()}:00`);
    expect(m[2]).toBe('79');
    expect(m[3]).toBe('GPU has fallen off the bus.');

    const [inventory] = inventoriesOf(out);
    expect(inventory!.probes.find((p) => p.probe === 'nvidia-smi')).toMatchObject({
      state: 'degraded',
      message: expect.stringMatching(/Unable to determine the device handle for GPU0000:/),
    });

    const later = metricsOf(ticks(20), nvidia.name);
    const samples = metricsSamples(later).filter((s) => s.d === dev.info.id);
    expect(samples).toHaveLength(13);
    for (const s of samples) {
      if (s.m === 'device.health') expect(s.v).toBe(3);
      else expect(s).toMatchObject({ v: null, s: 'missing' });
    }
    const engine = nvidia.engines.find((e) => e.devices.includes(2))!;
    for (const s of metricsSamples(later).filter((x) => x.l?.engine === engine.id)) {
      expect(s).toMatchObject({ v: null, s: 'missing' });
    }

    sim.command({ kind: 'reset', node: nvidia.name, device: 2 });
    const back = tick();
    expect(eventsOf(back)).toEqual([
      expect.objectContaining({ kind: 'xid', severity: 'info', code: '79' }),
    ]);
    expect(inventoriesOf(back)[0]!.probes.find((p) => p.probe === 'nvidia-smi')?.state).toBe('ok');
    expect(valueOf(metricsOf(back, nvidia.name), 'device.utilization', dev.info.id)).toEqual(
      expect.any(Number),
    );
  });

  it('leaves every other node exactly as it would have been', () => {
    const a = setup();
    const b = setup();
    a.tick();
    b.tick();
    a.sim.command({ kind: 'xid79', node: a.nvidia.name });
    const fa = a.ticks(10).filter((o) => o.node.name !== a.nvidia.name);
    const fb = b.ticks(10).filter((o) => o.node.name !== b.nvidia.name);
    expect(fa.map((o) => Buffer.from(o.data).toString())).toEqual(
      fb.map((o) => Buffer.from(o.data).toString()),
    );
  });
});

describe('Xid 48: double-bit ECC error', () => {
  it('counts the error, raises health to 2 for the duration, then recovers', () => {
    const { sim, nvidia, tick, ticks } = setup();
    const id = nvidia.devices[1]!.info.id;
    tick();
    sim.command({ kind: 'xid48', node: nvidia.name, device: 1, durationMs: 2000 });
    const out = tick();
    expect(eventsOf(out)).toEqual([
      expect.objectContaining({ kind: 'xid', code: '48', severity: 'critical', d: id }),
    ]);
    expect(eventsOf(out)[0]!.message).toMatch(XID_LINE);
    const m = metricsOf(out, nvidia.name);
    expect(valueOf(m, 'device.ecc.uncorrected', id)).toBe(1);
    expect(valueOf(m, 'device.health', id)).toBe(2);
    const after = ticks(4);
    expect(eventsOf(after)).toEqual([
      expect.objectContaining({ kind: 'xid', code: '48', severity: 'info' }),
    ]);
    const m2 = metricsOf(after, nvidia.name);
    expect(valueOf(m2, 'device.health', id)).toBe(0);
    expect(valueOf(m2, 'device.ecc.uncorrected', id)).toBe(1);
  });

  it('is FATAL in NVIDIA’s Xid mapping, hence critical here', () => {
    const rows = new Map(
      fixture('nvsentinel_xiderrorsmapping.csv')
        .split('\n')
        .map((l) => l.split(','))
        .map((c) => [c[0], c[3]?.trim()]),
    );
    expect(rows.get('48')).toBe('FATAL');
    expect(rows.get('79')).toBe('FATAL');
  });
});

describe('thermal throttling', () => {
  it('heats the GPU, sets the thermal bits and lowers its clock', () => {
    const faulty = setup();
    const calm = setup();
    const id = faulty.nvidia.devices[0]!.info.id;
    faulty.tick();
    calm.tick();
    faulty.sim.command({
      kind: 'thermal',
      node: faulty.nvidia.name,
      device: 0,
      durationMs: 90_000,
    });
    const start = faulty.tick();
    calm.tick();
    expect(eventsOf(start)).toEqual([
      expect.objectContaining({ kind: 'throttle', severity: 'warning', code: '0x60', d: id }),
    ]);
    // 75 s: three time constants of the 25 s thermal lag.
    const hot = metricsOf(faulty.ticks(150), faulty.nvidia.name);
    const cool = metricsOf(calm.ticks(150), calm.nvidia.name);
    const v = (m: MetricsMessage, name: string) => valueOf(m, name, id)!;
    expect(v(hot, 'device.temperature')).toBeGreaterThan(v(cool, 'device.temperature') + 15);
    expect(v(hot, 'device.temperature')).toBeGreaterThanOrEqual(
      faulty.nvidia.devices[0]!.hw.slowdownC,
    );
    expect(v(hot, 'device.throttle.reasons') & 0x60).toBe(0x60);
    expect(v(hot, 'device.clock.sm')).toBeLessThan(0.7 * v(cool, 'device.clock.sm'));
    expect(v(hot, 'device.health')).toBe(1);
    const ended = Array.from({ length: 35 }, () => eventsOf(faulty.tick())).flat();
    expect(ended).toEqual([expect.objectContaining({ kind: 'throttle', severity: 'info', d: id })]);
  });
});

describe('power capping', () => {
  it('pins the draw at the limit with the sw_power_cap bit', () => {
    const { sim, nvidia, tick, ticks } = setup();
    tick();
    sim.command({ kind: 'power', node: nvidia.name });
    const start = tick();
    expect(eventsOf(start)).toHaveLength(8);
    expect(eventsOf(start)[0]).toMatchObject({
      kind: 'throttle',
      code: '0x4',
      severity: 'warning',
    });
    const m = metricsOf(ticks(3), nvidia.name);
    for (const d of nvidia.devices) {
      expect(valueOf(m, 'device.throttle.reasons', d.info.id)! & 0x4).toBe(0x4);
      expect(valueOf(m, 'device.power', d.info.id)).toBeGreaterThanOrEqual(
        0.985 * d.hw.powerLimitW,
      );
    }
  });
});

describe('NPU health alarm', () => {
  it('raises health to 2 with a fault code from the Ascend dictionary', () => {
    const { sim, ascend, tick } = setup();
    tick();
    sim.command({ kind: 'npu-fault', node: ascend.name, device: 3 });
    const out = tick();
    const [event] = eventsOf(out);
    expect(event).toMatchObject({ kind: 'npu-fault', severity: 'error', d: 'ascend:3:0' });
    expect(event!.code).toMatch(/^0x[0-9A-F]{8}$/);
    expect(event!.message).toMatch(/^NPU 3 chip 0 \(910B\d\): health Alarm; error code 0x/);
    expect(valueOf(metricsOf(out, ascend.name), 'device.health', 'ascend:3:0')).toBe(2);
  });

  it('uses codes that sit in the level it names', () => {
    const dictionary = JSON.parse(fixture('faultCode.json')) as Record<string, string[]>;
    for (const level of NPU_FAULT_LEVELS) {
      for (const code of level.codes) expect(dictionary[level.level], code).toContain(code);
    }
  });

  it('takes a code given in the command', () => {
    const { sim, ascend, tick } = setup();
    tick();
    sim.command({ kind: 'npu-fault', node: ascend.name, device: 0, code: '0x80E18402' });
    expect(eventsOf(tick())[0]!.message).toContain('0x80E18402 (SeparateNPUCodes');
  });
});

describe('validation and schedules', () => {
  it('refuses faults that cannot apply, saying why', () => {
    const { sim, nvidia, ascend } = setup();
    expect(sim.command({ kind: 'thermal', node: 'node-999' })).toMatch(
      /no node "node-999" in the fleet \(node-000…node-011\)/,
    );
    expect(sim.command({ kind: 'thermal', node: nvidia.name, device: 8 })).toMatch(
      /has devices 0–7, not 8/,
    );
    expect(sim.command({ kind: 'xid79', node: ascend.name })).toMatch(/xid79 is an NVIDIA fault/);
    expect(sim.command({ kind: 'npu-fault', node: nvidia.name })).toMatch(
      /npu-fault is an Ascend fault/,
    );
    expect(
      () => new Simulator({ ...opts, schedule: [{ atMs: 0, kind: 'xid48', node: ascend.name }] }),
    ).toThrow(/fault schedule: xid48 is an NVIDIA fault/);
  });

  it('injects a scheduled fault at its time, not before', () => {
    const probe = setup();
    const { tick, nvidia } = setup({
      schedule: [{ atMs: 1000, kind: 'xid79', node: probe.nvidia.name, device: 0 }],
    });
    expect(eventsOf(tick())).toEqual([]);
    expect(eventsOf(tick())).toEqual([]);
    expect(eventsOf(tick())).toEqual([
      expect.objectContaining({ code: '79', d: nvidia.devices[0]!.info.id }),
    ]);
  });
});
