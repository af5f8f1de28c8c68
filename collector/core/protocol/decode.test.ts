import { describe, expect, it } from 'vitest';

import { decodeMessage, MAX_MESSAGE_BYTES } from './decode.js';

const metrics = {
  v: 1,
  cluster: 'local',
  node: 'gpu-01',
  ts: 1_763_800_000_000,
  seq: 4,
  type: 'metrics',
  interval: 1000,
  samples: [
    { m: 'device.utilization', v: 87, d: 'GPU-1' },
    { m: 'device.fan', v: null, d: 'GPU-1', s: 'unsupported', raw: '[N/A]' },
  ],
};

describe('decodeMessage', () => {
  it('accepts a valid metrics batch from text and from bytes', () => {
    const text = JSON.stringify(metrics);
    const a = decodeMessage(text);
    const b = decodeMessage(new TextEncoder().encode(text));
    expect(a).toEqual({ ok: true, message: metrics });
    expect(b).toEqual(a);
  });

  it('names the field path when a sample is wrong', () => {
    const bad = { ...metrics, samples: [{ m: 'device.utilization', v: '87' }] };
    const r = decodeMessage(JSON.stringify(bad));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problem.kind).toBe('schema');
    expect(r.problem.message).toBe('metrics: /samples/0/v: must be number or null');
  });

  it('names unexpected fields', () => {
    const r = decodeMessage(JSON.stringify({ ...metrics, extra: 1 }));
    expect(r.ok ? '' : r.problem.message).toContain('unexpected field(s) ["extra"]');
  });

  it('names unexpected fields when there are 8 or more (TypeBox then omits its summary error)', () => {
    const extra = Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`x${i}`, 1]));
    const r = decodeMessage(JSON.stringify({ ...metrics, ...extra }));
    expect(r.ok ? '' : r.problem.message).toBe(
      'metrics: /: unexpected field(s) ["x0","x1","x2","x3","x4"] and 3 more',
    );
  });

  it('cuts long unexpected field names and long paths short', () => {
    const long = 'k'.repeat(10_000);
    const r = decodeMessage(JSON.stringify({ ...metrics, [long]: 1 }));
    expect(r.ok ? '' : r.problem.message).toBe(
      `metrics: /: unexpected field(s) ["${'k'.repeat(40)}…"]`,
    );
  });

  it('rejects other protocol versions saying which it got and which it reads', () => {
    const r = decodeMessage(JSON.stringify({ ...metrics, v: 7 }));
    expect(r.ok ? null : r.problem).toEqual({
      kind: 'wrong-version',
      message: 'protocol version 7 is not supported (this console reads 1)',
    });
  });

  it('says the version is missing when an inventory has no `v` (not "version undefined")', () => {
    const inventory = {
      cluster: 'local',
      node: 'gpu-01',
      ts: 1,
      seq: 0,
      type: 'inventory',
      host: { hostname: 'h', os: 'linux', arch: 'x64', cpuCores: 1, memoryTotalBytes: 1 },
      devices: [],
      probes: [],
    };
    const r = decodeMessage(JSON.stringify(inventory));
    expect(r.ok ? null : r.problem).toEqual({
      kind: 'wrong-version',
      message: 'missing protocol version `v` (expected 1)',
    });
  });

  it('quotes a string or structured version briefly instead of serialising it', () => {
    const messages = [{ v: '1' }, { v: 'x'.repeat(1000) }, { v: [1] }, { v: { a: 1 } }, { v: null }]
      .map((m) => decodeMessage(JSON.stringify({ ...metrics, ...m })))
      .map((r) => (r.ok ? '' : r.problem.message));
    expect(messages).toEqual([
      'protocol version "1" is not supported (this console reads 1)',
      `protocol version "${'x'.repeat(40)}…" is not supported (this console reads 1)`,
      'protocol version an array is not supported (this console reads 1)',
      'protocol version an object is not supported (this console reads 1)',
      'protocol version null is not supported (this console reads 1)',
    ]);
  });

  it('does not throw on a version or type nested 100,000 deep (JSON.stringify would overflow)', () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    const version = decodeMessage(`{"v":${deep}}`);
    const type = decodeMessage(`{"v":1,"type":${deep}}`);
    expect(version.ok ? '' : version.problem.message).toBe(
      'protocol version an array is not supported (this console reads 1)',
    );
    expect(type.ok ? '' : type.problem.message).toBe('unknown message type an array');
  });

  it('says the type is missing when there is none', () => {
    const { type: _omitted, ...untyped } = metrics;
    const r = decodeMessage(JSON.stringify(untyped));
    expect(r.ok ? null : r.problem).toEqual({
      kind: 'unknown-type',
      message: 'missing message type `type`',
    });
  });

  it('rejects unknown types, non-JSON, non-objects and oversized input without throwing', () => {
    const kinds = [
      decodeMessage(JSON.stringify({ ...metrics, type: 'gossip' })),
      decodeMessage('{"v":1,'),
      decodeMessage('[1,2]'),
      decodeMessage('x'.repeat(MAX_MESSAGE_BYTES + 1)),
    ].map((r) => (r.ok ? 'ok' : r.problem.kind));
    expect(kinds).toEqual(['unknown-type', 'not-json', 'schema', 'oversized']);
  });

  it('bounds what a sender can make a reader hold', () => {
    const many = { ...metrics, samples: Array.from({ length: 65537 }, () => ({ m: 'x', v: 1 })) };
    const r = decodeMessage(JSON.stringify(many));
    expect(r.ok ? '' : r.problem.message).toContain('/samples');
  });

  it('names an oversized array by its count and bound without describing each item', () => {
    const many = { ...metrics, samples: Array.from({ length: 70_000 }, () => ({ m: 'x', v: 1 })) };
    const r = decodeMessage(JSON.stringify(many));
    expect(r.ok ? '' : r.problem.message).toBe(
      'metrics: /samples: holds 70,000 items, at most 65,536',
    );
    const grid = { rows: [{ d: 'GPU-1' }], cols: [{ m: 'device.utilization' }], v: [1] };
    const grids = { ...metrics, grids: [grid, { ...grid, v: new Array(65_537).fill(1) }] };
    const g = decodeMessage(JSON.stringify(grids));
    expect(g.ok ? '' : g.problem.message).toBe(
      'metrics: /grids/1/v: holds 65,537 items, at most 65,536',
    );
  });
});
