import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';
import { metricsSamples } from '../core/protocol/grids.js';

import type { MetricsMessage } from '../core/protocol/spec.js';
import { ascendFault } from '../core/diagnosis/ascendFaultCodes.js';
import { ABORT_SHARE, LENGTH_SHARE } from './engineSim.js';
import { DEFAULT_NPU_FAULT_CODES } from './faultSignals.js';
import { RESOLUTION_BUCKET, xidEntry } from '../core/diagnosis/xidCatalog.js';
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

  it('silences the device until reset, with the catalog’s diagnosis and a degraded probe', () => {
    const { sim, nvidia, tick, ticks } = setup();
    const dev = nvidia.devices[2]!;
    tick();
    expect(sim.command({ kind: 'xid79', node: nvidia.name, device: 2 })).toBeUndefined();
    const out = tick();
    const [event] = eventsOf(out);
    expect(event).toMatchObject({
      kind: 'xid',
      code: '79',
      severity: 'critical',
      d: dev.info.id,
      message: 'GPU 2 fell off the PCIe bus (Xid 79)',
      action: { bucket: RESOLUTION_BUCKET[xidEntry(79)!.resolution] },
      ref: { catalog: 'nvsentinel-xid', id: '79', name: xidEntry(79)!.mnemonic },
    });
    expect(event!.evidence![0]!.source).toBe('simulator');
    const m = XID_LINE.exec(event!.evidence![0]!.text)!;
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
    // All 14 of an NVIDIA GPU's samples (its slowdown temperature too) are missing but health.
    expect(samples).toHaveLength(14);
    for (const s of samples) {
      if (s.m === 'device.health') expect(s.v).toBe(3);
      else expect(s).toMatchObject({ v: null, s: 'missing' });
    }
    const engine = nvidia.engines.find((e) => e.devices.includes(2))!;
    for (const s of metricsSamples(later).filter((x) => x.l?.engine === engine.id)) {
      expect(s).toMatchObject({ v: null, s: 'missing' });
    }

    // A reset prints nothing in the kernel log: the GPU is simply back in the inventory.
    sim.command({ kind: 'reset', node: nvidia.name, device: 2 });
    const back = tick();
    expect(eventsOf(back)).toEqual([]);
    expect(inventoriesOf(back)[0]!.probes.find((p) => p.probe === 'nvidia-smi')?.state).toBe('ok');
    expect(valueOf(metricsOf(back, nvidia.name), 'device.utilization', dev.info.id)).toEqual(
      expect.any(Number),
    );
  });

  it('counts the running batch and the queue of the engine on the lost GPU as aborted, once, then sends nothing', () => {
    const { sim, nvidia, tick, ticks } = setup();
    const engine = nvidia.engines.find((e) => e.devices.includes(2))!;
    const of = (out: ReturnType<typeof tick>) =>
      metricsSamples(metricsOf(out, nvidia.name)).filter((s) => s.l?.engine === engine.id);
    const finished = (out: ReturnType<typeof tick>, reason: string) =>
      of(out).find((s) => s.m === 'engine.requests.finished' && s.l?.reason === reason)!.v;
    const before = ticks(10);
    const value = (m: string) => of(before).find((s) => s.m === m)!.v!;
    const held = value('engine.requests.running') + value('engine.requests.waiting');
    expect(held).toBeGreaterThan(0);
    sim.command({ kind: 'xid79', node: nvidia.name, device: 2 });
    const lost = tick();
    // On the tick of the loss: the batch and the queue it held fail; stop and length stay put.
    expect(finished(lost, 'abort')! - finished(before, 'abort')!).toBe(held);
    expect(finished(lost, 'stop')).toBe(finished(before, 'stop'));
    expect(finished(lost, 'length')).toBe(finished(before, 'length'));
    for (const s of of(lost).filter((x) => x.m !== 'engine.requests.finished')) {
      expect(s).toMatchObject({ v: null, s: 'missing' });
    }
    for (const s of of(tick())) expect(s).toMatchObject({ v: null, s: 'missing' });
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
      expect.objectContaining({
        kind: 'xid',
        code: '48',
        severity: 'critical',
        d: id,
        message: 'GPU 1 had a double-bit ECC error (Xid 48)',
      }),
    ]);
    expect(eventsOf(out)[0]!.evidence![0]!.text).toMatch(XID_LINE);
    const m = metricsOf(out, nvidia.name);
    expect(valueOf(m, 'device.ecc.uncorrected', id)).toBe(1);
    expect(valueOf(m, 'device.health', id)).toBe(2);
    // An Xid is an event, not a value: it does not resolve when health returns.
    const after = ticks(4);
    expect(eventsOf(after)).toEqual([]);
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
  it('heats the GPU past its slowdown limit; the rules read the values as a real node’s', () => {
    const faulty = setup();
    const calm = setup();
    const id = faulty.nvidia.devices[0]!.info.id;
    const slowdownC = faulty.nvidia.devices[0]!.hw.slowdownC;
    faulty.tick();
    calm.tick();
    faulty.sim.command({
      kind: 'thermal',
      node: faulty.nvidia.name,
      device: 0,
      durationMs: 90_000,
    });
    const events: ReturnType<typeof eventsOf> = [];
    let hot!: MetricsMessage;
    let cool!: MetricsMessage;
    // 75 s: three time constants of the 25 s thermal lag.
    for (let i = 0; i < 150; i++) {
      const out = faulty.tick();
      events.push(...eventsOf(out));
      hot = metricsOf(out, faulty.nvidia.name);
      cool = metricsOf(calm.tick(), calm.nvidia.name);
    }
    const v = (m: MetricsMessage, name: string) => valueOf(m, name, id)!;
    expect(v(hot, 'device.temperature')).toBeGreaterThan(v(cool, 'device.temperature') + 15);
    expect(v(hot, 'device.temperature')).toBeGreaterThanOrEqual(slowdownC);
    expect(v(hot, 'device.throttle.reasons') & 0x60).toBe(0x60);
    expect(v(hot, 'device.clock.sm')).toBeLessThan(0.7 * v(cool, 'device.clock.sm'));
    expect(v(hot, 'device.health')).toBe(1);

    // The fault printed nothing: the temperature against the GPU's own slowdown limit and the
    // thermal throttle reasons (each once held for its minimum) are the diagnoses, one incident.
    const opened = events.filter((e) => e.d === id);
    expect(new Set(opened.map((e) => `${e.kind}.${e.code}`))).toEqual(
      new Set([
        'temperature.slowdown',
        'throttle.sw_thermal_slowdown',
        'throttle.hw_thermal_slowdown',
      ]),
    );
    for (const e of opened)
      expect(e).toMatchObject({ severity: 'warning', action: { bucket: 'check-hardware' } });
    expect(new Set(opened.map((e) => e.incident)).size).toBe(1);
    expect(opened.find((e) => e.kind === 'temperature')!.message).toMatch(
      new RegExp(`^GPU 0 is hot: \\d+ °C \\(its slowdown limit ${slowdownC} °C\\)$`),
    );

    // Once the fault is over and the GPU cools down, each resolves with an info event.
    const resolved: ReturnType<typeof eventsOf> = [];
    for (let i = 0; i < 400 && resolved.length < opened.length; i++) {
      resolved.push(
        ...eventsOf(faulty.tick()).filter((e) => e.resolved !== undefined && e.d === id),
      );
    }
    expect(new Set(resolved.map((e) => e.id))).toEqual(new Set(opened.map((e) => e.id)));
    for (const e of resolved) expect(e.severity).toBe('info');
    // ~550 ticks of a 12-node fleet: seconds on a loaded 2-core machine.
  }, 20_000);
});

describe('power capping', () => {
  it('pins the draw at the limit with the sw_power_cap bit; each GPU is diagnosed at its cap', () => {
    const { sim, nvidia, tick, ticks } = setup();
    tick();
    sim.command({ kind: 'power', node: nvidia.name });
    const start = eventsOf(tick());
    expect(start).toHaveLength(8);
    for (const [i, d] of nvidia.devices.entries()) {
      expect(start[i]).toMatchObject({
        kind: 'power',
        code: 'at-limit',
        severity: 'info',
        d: d.info.id,
      });
      expect(start[i]!.message).toMatch(
        new RegExp(`^GPU ${i} draws \\d+ W, at its ${d.hw.powerLimitW} W limit$`),
      );
    }
    const m = metricsOf(ticks(3), nvidia.name);
    for (const d of nvidia.devices) {
      expect(valueOf(m, 'device.throttle.reasons', d.info.id)! & 0x4).toBe(0x4);
      expect(valueOf(m, 'device.power', d.info.id)).toBeGreaterThanOrEqual(
        0.985 * d.hw.powerLimitW,
      );
    }
  });
});

describe('NPU fault code', () => {
  it('diagnoses the code by its level in the Ascend dictionary; the health word joins it', () => {
    const { sim, ascend, tick } = setup();
    tick();
    sim.command({ kind: 'npu-fault', node: ascend.name, device: 3 });
    const out = tick();
    const [fault, health] = eventsOf(out);
    expect(fault!.code).toMatch(/^0x[0-9A-F]{8}$/);
    const level = ascendFault(fault!.code!)!;
    expect(fault).toMatchObject({
      kind: 'npu-fault',
      severity: level.severity,
      d: 'ascend:3:0',
      action: { bucket: level.bucket, summary: level.summary },
      ref: { catalog: 'ascend-fault-code', name: level.level },
    });
    expect(fault!.message).toBe(
      `NPU 3 chip 0 reported fault ${fault!.code} (${level.summary.toLowerCase()})`,
    );
    expect(health).toMatchObject({
      kind: 'npu-health',
      severity: 'error',
      incident: fault!.incident,
    });
    expect(health!.message).toBe('NPU 3 chip 0 health is Alarm (npu-smi)');
    expect(valueOf(metricsOf(out, ascend.name), 'device.health', 'ascend:3:0')).toBe(2);
  });

  it('picks default codes from the dictionary’s RestartNPUCodes', () => {
    const dictionary = JSON.parse(fixture('faultCode.json')) as Record<string, string[]>;
    for (const code of DEFAULT_NPU_FAULT_CODES) {
      expect(dictionary.RestartNPUCodes, code).toContain(code);
      expect(ascendFault(code)!.level).toBe('RestartNPUCodes');
    }
  });

  it('takes a code given in the command', () => {
    const { sim, ascend, tick } = setup();
    tick();
    sim.command({ kind: 'npu-fault', node: ascend.name, device: 0, code: '0x80E18402' });
    const [fault] = eventsOf(tick());
    expect(fault).toMatchObject({
      code: '0x80E18402',
      severity: 'critical',
      ref: { name: 'SeparateNPUCodes' },
      action: { bucket: 'isolate-device' },
    });
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

describe('finished requests while serving', () => {
  it('counts finished requests by vLLM finish reason, never going back, 0.5 % aborted and 10 % length', () => {
    const { sim, tick } = setup();
    const sums = new Map<string, number>();
    const last = new Map<string, number>();
    for (let k = 0; k < 600; k++) {
      const out = tick();
      for (const node of sim.fleet.nodes) {
        for (const s of metricsSamples(metricsOf(out, node.name))) {
          if (s.m !== 'engine.requests.finished') continue;
          const key = `${node.name}/${s.l!.engine}/${s.l!.reason}`;
          expect(s.v!).toBeGreaterThanOrEqual(last.get(key) ?? 0);
          last.set(key, s.v!);
        }
      }
    }
    for (const [key, v] of last) {
      const reason = key.split('/')[2]!;
      sums.set(reason, (sums.get(reason) ?? 0) + v);
    }
    expect([...sums.keys()].sort()).toEqual(['abort', 'length', 'stop']);
    const total = sums.get('abort')! + sums.get('length')! + sums.get('stop')!;
    expect(total).toBeGreaterThan(1000);
    // Each engine's counters are floors of its own share: within one request per engine.
    const engines = last.size / 3;
    expect(Math.abs(sums.get('abort')! - total * ABORT_SHARE)).toBeLessThanOrEqual(engines);
    expect(Math.abs(sums.get('length')! - total * LENGTH_SHARE)).toBeLessThanOrEqual(engines);
  });
});
