import { describe, expect, it } from 'vitest';
import { metricsSamples } from '../core/protocol/grids.js';

import { metricDef } from '../core/catalog.js';
import { subjectFor } from '../core/protocol/subjects.js';
import { Simulator } from './Simulator.js';
import { decodeAll, inventoriesOf, metricsOf } from './testing.js';

const opts = { clusters: 2, nodes: 6, devicesPerNode: 8, seed: 21, intervalMs: 500 };
const T0 = 1_700_000_000_000;

const text = new TextDecoder();

/** Every message of `ticks` ticks, as one string per tick. */
function run(sim: Simulator, ticks: number): string[] {
  return Array.from({ length: ticks }, (_, k) =>
    sim
      .tick(T0 + k * 500)
      .map((o) => text.decode(o.data))
      .join('\n'),
  );
}

describe('Simulator', () => {
  it('announces every node, then sends one metrics message per node per tick', () => {
    const sim = new Simulator(opts);
    const first = sim.tick(T0);
    expect(inventoriesOf(first).map((m) => m.node)).toEqual(sim.fleet.nodes.map((n) => n.name));
    expect(first.filter((o) => o.type === 'metrics')).toHaveLength(12);
    const second = sim.tick(T0 + 500);
    expect(second.map((o) => o.type)).toEqual(Array(12).fill('metrics'));
    for (const o of second) {
      expect(o.subject).toBe(subjectFor('metrics', o.node.cluster, o.node.name));
    }
  });

  it('produces messages that all pass the protocol decoder, with catalog names only', () => {
    const sim = new Simulator(opts);
    for (let k = 0; k < 30; k++) {
      for (const m of decodeAll(sim.tick(T0 + k * 500))) {
        if (m.type !== 'metrics') continue;
        for (const s of metricsSamples(m)) expect(metricDef(s.m), s.m).toBeDefined();
      }
    }
  });

  it('reports 14 samples per NVIDIA GPU (its slowdown temperature included), 13 per Ascend NPU, and 7 + 3 finished-by-reason + 3 per latency stage per engine', () => {
    const sim = new Simulator(opts);
    const out = sim.tick(T0);
    for (const node of sim.fleet.nodes) {
      const msg = metricsOf(out, node.name);
      for (const d of node.devices) {
        const samples = metricsSamples(msg).filter((s) => s.d === d.info.id);
        expect(samples).toHaveLength(d.info.vendor === 'nvidia' ? 14 : 13);
      }
      for (const e of node.engines) {
        const samples = metricsSamples(msg).filter((s) => s.l?.engine === e.id);
        const stages = e.framework === 'vllm' ? 6 : 3;
        expect(samples).toHaveLength(7 + 3 + 3 * stages);
        for (const s of samples) {
          expect(s.d).toBeUndefined();
          expect(s.l).toMatchObject({ model: e.model.name, framework: e.framework });
        }
      }
      const counted = sim.tick(T0).find((o) => o.type === 'metrics' && o.node === node)!.count;
      expect(counted).toBe(metricsSamples(msg).length);
    }
  });

  it('keeps values in range and consistent with each other', () => {
    const sim = new Simulator({ ...opts, nodes: 10 });
    for (let k = 0; k < 60; k++) {
      for (const m of decodeAll(sim.tick(T0 + k * 500))) {
        if (m.type !== 'metrics') continue;
        const by = new Map<string, Map<string, number | null>>();
        for (const s of metricsSamples(m)) {
          const key = s.d ?? `${s.l?.engine}/${s.l?.q ?? ''}`;
          if (!by.has(key)) by.set(key, new Map());
          by.get(key)!.set(s.m, s.v);
        }
        for (const [key, v] of by) {
          if (key.startsWith('GPU-') || key.startsWith('ascend:')) {
            expect(v.get('device.utilization')).toBeGreaterThanOrEqual(0);
            expect(v.get('device.utilization')).toBeLessThanOrEqual(100);
            expect(v.get('device.memory.used')!).toBeLessThanOrEqual(v.get('device.memory.total')!);
            expect(v.get('device.temperature')).toBeGreaterThan(20);
            expect(v.get('device.temperature')).toBeLessThan(95);
            if (key.startsWith('GPU-')) {
              expect(v.get('device.power')!).toBeLessThanOrEqual(v.get('device.power.limit')!);
            }
          } else if (v.has('engine.kv_cache.usage')) {
            expect(v.get('engine.kv_cache.usage')).toBeGreaterThanOrEqual(0);
            expect(v.get('engine.kv_cache.usage')).toBeLessThanOrEqual(100);
          }
        }
        const ttft = (q: string): number =>
          metricsSamples(m).find((s) => s.m === 'engine.latency.ttft' && s.l?.q === q)!.v!;
        expect(ttft('p50')).toBeLessThan(ttft('p90'));
        expect(ttft('p90')).toBeLessThan(ttft('p99'));
      }
    }
  });

  it('marks what a board does not report as unsupported, never 0', () => {
    const sim = new Simulator({ ...opts, nodes: 20 });
    const out = sim.tick(T0);
    const nvidia = sim.fleet.nodes.find((n) => n.devices[0]!.info.vendor === 'nvidia')!;
    const ascend = sim.fleet.nodes.find((n) => n.devices[0]!.info.vendor === 'ascend')!;
    const fan = metricsSamples(metricsOf(out, nvidia.name)).find((s) => s.m === 'device.fan')!;
    expect(fan).toMatchObject({ v: null, s: 'unsupported', raw: '[N/A]' });
    const npu = metricsSamples(metricsOf(out, ascend.name)).filter((s) => s.d === 'ascend:0:0');
    expect(npu.find((s) => s.m === 'device.power.limit')).toMatchObject({
      v: null,
      s: 'unsupported',
      raw: 'NA',
    });
    expect(npu.find((s) => s.m === 'device.aicpu.utilization')?.v).toEqual(expect.any(Number));
  });

  it("sends each NVIDIA GPU's slowdown temperature from the hardware table (H100 87, A100 89, L40S 88 °C), none for Ascend", () => {
    const sim = new Simulator({ ...opts, nodes: 20 });
    const out = sim.tick(T0);
    const byModel = new Map<string, Set<number | null>>();
    for (const node of sim.fleet.nodes) {
      const samples = metricsSamples(metricsOf(out, node.name));
      for (const d of node.devices) {
        const slowdown = samples.filter(
          (s) => s.d === d.info.id && s.m === 'device.temperature.slowdown',
        );
        if (d.info.vendor === 'ascend') {
          expect(slowdown).toEqual([]);
          continue;
        }
        expect(slowdown).toHaveLength(1);
        expect(slowdown[0]!.v).toBe(d.hw.slowdownC);
        const seen = byModel.get(d.info.name) ?? new Set();
        byModel.set(d.info.name, seen.add(slowdown[0]!.v));
      }
    }
    expect(Object.fromEntries([...byModel].map(([m, v]) => [m, [...v]]))).toEqual({
      'NVIDIA H100 80GB HBM3': [87],
      'NVIDIA A100-SXM4-80GB': [89],
      'NVIDIA L40S': [88],
    });
  });

  it('counts seq per node across message types', () => {
    const sim = new Simulator(opts);
    const seqs = new Map<string, number[]>();
    for (let k = 0; k < 3; k++) {
      for (const m of decodeAll(sim.tick(T0 + k * 500))) {
        seqs.set(m.node, [...(seqs.get(m.node) ?? []), m.seq]);
      }
    }
    for (const s of seqs.values()) expect(s).toEqual([0, 1, 2, 3]);
  });

  it('re-announces inventories periodically, staggered, and after reannounce()', () => {
    const sim = new Simulator({ ...opts, inventoryEveryMs: 2000 });
    sim.tick(T0);
    const counts = Array.from(
      { length: 4 },
      (_, k) => inventoriesOf(sim.tick(T0 + (k + 1) * 500)).length,
    );
    expect(counts.reduce((a, b) => a + b, 0)).toBe(12);
    expect(Math.max(...counts)).toBeLessThan(12);
    sim.reannounce();
    expect(inventoriesOf(sim.tick(T0 + 5 * 500))).toHaveLength(12);
  });

  it('gives the same bytes for the same seed, and other values for another seed', () => {
    const a = run(new Simulator(opts), 40);
    const b = run(new Simulator(opts), 40);
    expect(b).toEqual(a);
    const c = run(new Simulator({ ...opts, seed: 22 }), 40);
    expect(c[39]).not.toEqual(a[39]);
  });

  it('sends the same wire values whether or not it keeps /metrics histograms', () => {
    const plain = run(new Simulator(opts), 30);
    const counted = run(new Simulator({ ...opts, histograms: true }), 30);
    expect(counted).toEqual(plain);
  });
});
