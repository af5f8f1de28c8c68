import { describe, expect, it } from 'vitest';

import { decodeMessage } from '../core/protocol/decode.js';
import { metricsSamples } from '../core/protocol/grids.js';
import type { WireMessage } from '../core/protocol/spec.js';
import type { Probe, ProbeReading } from '../probes/types.js';
import { Collector } from './Collector.js';

/** A probe whose next reading the test sets. */
function scriptedProbe(name: string, readings: ProbeReading[]): Probe {
  let i = 0;
  return {
    name,
    start: async () => undefined,
    stop: async () => undefined,
    collect: async () => readings[Math.min(i++, readings.length - 1)]!,
  };
}

const host = { hostname: 'box', os: 'linux', arch: 'x64', cpuCores: 2, memoryTotalBytes: 8e9 };
const gpu = {
  id: 'GPU-1',
  uuid: 'GPU-1',
  vendor: 'nvidia' as const,
  index: 0,
  name: 'NVIDIA L40S',
};

function reading(state: 'ok' | 'error', util: number | null, message?: string): ProbeReading {
  return {
    status: { probe: 'nvidia-smi', state, since: 0, ...(message ? { message } : {}) },
    devices: state === 'ok' ? [gpu] : [],
    samples: [
      util === null
        ? { m: 'device.utilization', v: null, d: 'GPU-1', s: 'missing' }
        : { m: 'device.utilization', v: util, d: 'GPU-1' },
    ],
    events: [],
  };
}

function collector(probes: Probe[], backlogMs = 3000) {
  let t = 1000;
  const c = new Collector({
    cluster: 'local',
    node: 'box',
    intervalMs: 1000,
    host,
    probes,
    backlogMs,
    now: () => (t += 1000),
  });
  const seen: WireMessage[] = [];
  c.subscribe((m) => seen.push(m));
  return { c, seen };
}

describe('Collector', () => {
  it('emits one valid metrics batch per tick and an inventory only when it changes', async () => {
    const { c, seen } = collector([
      scriptedProbe('nvidia-smi', [reading('ok', 10), reading('ok', 20)]),
    ]);
    await c.tick();
    await c.tick();
    expect(seen.map((m) => m.type)).toEqual(['inventory', 'metrics', 'metrics']);
    for (const m of seen) expect(decodeMessage(JSON.stringify(m)).ok).toBe(true);
    expect(seen.map((m) => m.seq)).toEqual([0, 1, 2]);
    const last = seen[2];
    expect(last?.type === 'metrics' && metricsSamples(last)[0]?.v).toBe(20);
  });

  it('announces probe state changes as events and a new inventory', async () => {
    const { c, seen } = collector([
      scriptedProbe('nvidia-smi', [
        reading('ok', 10),
        reading('error', null, 'nvidia-smi exited with code 15'),
      ]),
    ]);
    await c.tick();
    await c.tick();
    expect(seen.map((m) => m.type)).toEqual([
      'inventory',
      'metrics',
      'inventory',
      'events',
      'metrics',
    ]);
    const events = seen[3];
    expect(c.backlog().map((m) => m.type)).toEqual(['metrics', 'events', 'metrics']);
    expect(events?.type === 'events' && events.events[0]).toMatchObject({
      kind: 'probe',
      severity: 'error',
      message: 'nvidia-smi: ok → error (nvidia-smi exited with code 15)',
    });
  });

  it('keeps a bounded backlog for late subscribers', async () => {
    const { c } = collector([scriptedProbe('p', [reading('ok', 1)])], 3000);
    for (let i = 0; i < 10; i++) await c.tick();
    expect(c.backlog().map((m) => m.type)).toEqual(['metrics', 'metrics', 'metrics']);
    expect(c.backlog()[2]?.ts).toBeGreaterThan(c.backlog()[0]!.ts);
  });

  it('keeps serving other listeners when one throws', async () => {
    const { c, seen } = collector([scriptedProbe('p', [reading('ok', 1)])]);
    c.subscribe(() => {
      throw new Error('socket closed');
    });
    await c.tick();
    expect(seen).toHaveLength(2);
  });
});

describe('Collector under slow or oversized probes', () => {
  const never = new Promise<never>(() => {});

  it('ticks while a probe is still starting, reporting it as starting', async () => {
    let started = false;
    const slow: Probe = {
      name: 'nvidia-smi',
      start: () => never,
      stop: async () => undefined,
      collect: async () => {
        started = true;
        return reading('ok', 1);
      },
    };
    const c = new Collector({
      cluster: 'local',
      node: 'box',
      intervalMs: 1000,
      host,
      probes: [slow],
      startGraceMs: 10,
    });
    await c.start();
    await c.stop();
    expect(started).toBe(false);
    expect(c.currentInventory()?.probes).toEqual([
      { probe: 'nvidia-smi', state: 'starting', since: expect.any(Number) },
    ]);
  });

  it('keeps a probe that has not answered by half an interval at its last state, without samples', async () => {
    let calls = 0;
    const hangsSecondTime: Probe = {
      name: 'npu-smi',
      start: async () => undefined,
      stop: async () => undefined,
      collect: () => (calls++ === 0 ? Promise.resolve(reading('ok', 7)) : never),
    };
    const { c, seen } = collector([hangsSecondTime, scriptedProbe('host', [reading('ok', 1)])]);
    // Real timers with a 1 s interval: the late probe is given 500 ms.
    await c.tick();
    await c.tick();
    await c.tick();
    expect(calls).toBe(2); // the hanging collect is not started again while it runs
    const metrics = seen.filter((m) => m.type === 'metrics');
    expect(metrics.map((m) => metricsSamples(m).length)).toEqual([2, 1, 1]);
    expect(c.currentInventory()?.devices.map((d) => d.id)).toEqual(['GPU-1', 'GPU-1']);
  });

  it('keeps at most 1,024 devices in an inventory, whatever the probes return', async () => {
    const many = (name: string, n: number): ProbeReading => ({
      status: { probe: name, state: 'ok', since: 0 },
      devices: Array.from({ length: n }, (_, i) => ({ ...gpu, id: `${name}-${i}`, index: i })),
      samples: [],
      events: [],
    });
    const { c } = collector([
      scriptedProbe('a', [many('a', 700)]),
      scriptedProbe('b', [many('b', 700)]),
    ]);
    await c.tick();
    const inventory = c.currentInventory()!;
    expect(inventory.devices).toHaveLength(1024);
    expect(decodeMessage(JSON.stringify(inventory)).ok).toBe(true);
  });

  it('bounds the backlog by values: a node of 1,024 devices keeps its last ticks only', async () => {
    const big: ProbeReading = {
      status: { probe: 'p', state: 'ok', since: 0 },
      devices: [],
      samples: Array.from({ length: 30_000 }, (_, i) => ({
        m: 'device.power',
        v: i,
        d: `GPU-${i}`,
      })),
      events: [],
    };
    const { c } = collector([scriptedProbe('p', [big])], 120_000);
    for (let i = 0; i < 10; i++) await c.tick();
    expect(c.backlog().filter((m) => m.type === 'metrics')).toHaveLength(2);
  });
});
