import { describe, expect, it } from 'vitest';

import { decodeMessage } from './decode.js';
import { metricsSamples, packGrids } from './grids.js';
import type { MetricsMessage, Sample } from './spec.js';

const message: MetricsMessage = {
  v: 1,
  cluster: 'prod',
  node: 'node-017',
  ts: 1_763_800_000_000,
  seq: 9,
  type: 'metrics',
  interval: 500,
  samples: [{ m: 'device.fan', v: null, d: 'GPU-1', s: 'unsupported', raw: '[N/A]' }],
  grids: [
    {
      rows: [{ d: 'GPU-0' }, { d: 'GPU-1' }],
      cols: [{ m: 'device.utilization' }, { m: 'device.temperature' }],
      v: [87, 61, null, 45],
    },
    {
      rows: [{ l: { engine: 'vllm-0', q: 'row' } }],
      cols: [{ m: 'engine.requests.running' }, { m: 'engine.latency.ttft', l: { q: 'p99' } }],
      v: [12, 0.25],
    },
  ],
};

describe('metrics grids', () => {
  it('stand for one sample per cell, row-major, before the plain samples', () => {
    expect(metricsSamples(message)).toEqual([
      { m: 'device.utilization', d: 'GPU-0', v: 87 },
      { m: 'device.temperature', d: 'GPU-0', v: 61 },
      { m: 'device.utilization', d: 'GPU-1', v: null, s: 'missing' },
      { m: 'device.temperature', d: 'GPU-1', v: 45 },
      { m: 'engine.requests.running', l: { engine: 'vllm-0', q: 'row' }, v: 12 },
      // The column's label wins over the row's.
      { m: 'engine.latency.ttft', l: { engine: 'vllm-0', q: 'p99' }, v: 0.25 },
      { m: 'device.fan', v: null, d: 'GPU-1', s: 'unsupported', raw: '[N/A]' },
    ]);
  });

  it('decode when every grid holds rows × columns values', () => {
    const r = decodeMessage(JSON.stringify(message));
    expect(r).toEqual({ ok: true, message });
  });

  it('are refused, naming the grid, when a value is missing or extra', () => {
    for (const v of [
      [87, 61, null],
      [87, 61, null, 45, 1],
    ]) {
      const grids = [{ ...message.grids![0]!, v }, message.grids![1]!];
      const r = decodeMessage(JSON.stringify({ ...message, grids }));
      expect(r.ok).toBe(false);
      if (r.ok) continue;
      expect(r.problem.kind).toBe('schema');
      expect(r.problem.message).toBe(
        `metrics: /grids/0/v: holds ${v.length} values, expected 2 rows × 2 columns = 4`,
      );
    }
  });

  it('may not carry more values in all than a message may carry samples', () => {
    const big = { rows: [{ d: 'GPU-0' }], cols: [{ m: 'device.utilization' }], v: [1] };
    const wide = {
      rows: Array.from({ length: 256 }, (_, i) => ({ d: `GPU-${i}` })),
      cols: Array.from({ length: 256 }, (_, i) => ({ m: `x.${i}` })),
      v: Array<number>(65536).fill(0),
    };
    expect(decodeMessage(JSON.stringify({ ...message, grids: [wide] })).ok).toBe(true);
    const r = decodeMessage(JSON.stringify({ ...message, grids: [wide, big] }));
    expect(r.ok ? '' : r.problem.message).toBe(
      'metrics: /grids: 65537 values in all, more than the 65536 a message may carry',
    );
  });

  it('are refused with the schema path when a cell is not a number', () => {
    const grids = [{ ...message.grids![0]!, v: [87, '61', null, 45] }];
    const r = decodeMessage(JSON.stringify({ ...message, grids }));
    expect(r.ok ? '' : r.problem.message).toBe('metrics: /grids/0/v/1: must be number or null');
  });
});

const base = { ...message, samples: [], grids: undefined };

describe('packGrids', () => {
  const samples: Sample[] = [
    { m: 'device.utilization', d: 'GPU-0', v: 87 },
    { m: 'device.temperature', d: 'GPU-0', v: 61 },
    { m: 'device.fan', d: 'GPU-0', v: null, s: 'unsupported', raw: '[N/A]' },
    { m: 'device.utilization', d: 'GPU-1', v: null, s: 'missing' },
    { m: 'device.temperature', d: 'GPU-1', v: 45 },
    { m: 'host.cpu.utilization', v: 12.5 },
    { m: 'host.cpu.core.utilization', v: 3, l: { cpu: '0' } },
    { m: 'host.cpu.core.utilization', v: 4, l: { cpu: '1' } },
    { m: 'device.power', d: 'GPU-0', v: 300, t: 999 },
    // The same series twice: the second stays a sample, applied after the grid.
    { m: 'device.utilization', d: 'GPU-0', v: 88 },
  ];

  it('puts plain values in grids and keeps the rest as samples, losing nothing', () => {
    const packed = packGrids(samples);
    expect(packed.grids).toEqual([
      {
        rows: [{ d: 'GPU-0' }, { d: 'GPU-1' }],
        cols: [{ m: 'device.utilization' }, { m: 'device.temperature' }],
        v: [87, 61, null, 45],
      },
      { rows: [{}], cols: [{ m: 'host.cpu.utilization' }], v: [12.5] },
      {
        rows: [{ l: { cpu: '0' } }, { l: { cpu: '1' } }],
        cols: [{ m: 'host.cpu.core.utilization' }],
        v: [3, 4],
      },
    ]);
    expect(packed.samples).toEqual([samples[2], samples[8], samples[9]]);
    const message = { ...base, samples: packed.samples, grids: packed.grids };
    // Deep equality ignores key order; the sort key must not depend on it.
    const key = (s: Sample) => JSON.stringify([s.m, s.d, s.l, s.v, s.s, s.raw, s.t]);
    const sort = (x: Sample[]) => [...x].sort((a, b) => key(a).localeCompare(key(b)));
    expect(sort(metricsSamples(message))).toEqual(sort(samples));
    expect(decodeMessage(JSON.stringify(message)).ok).toBe(true);
  });
});
