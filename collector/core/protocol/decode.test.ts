import { describe, expect, it } from 'vitest';

import { decodeMessage, MAX_MESSAGE_BYTES, validateMessage } from './decode.js';

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
    expect(type.ok ? '' : type.problem.message).toBe(
      '/type: message type is an array, not a string',
    );
  });

  it('says the type is missing when there is none', () => {
    const { type: _omitted, ...untyped } = metrics;
    const r = decodeMessage(JSON.stringify(untyped));
    expect(r.ok ? null : r.problem).toEqual({
      kind: 'schema',
      message: '/type: missing message type',
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

const inventory = {
  v: 1,
  cluster: 'local',
  node: 'gpu-01',
  ts: 1_763_800_000_000,
  seq: 0,
  type: 'inventory',
  host: { hostname: 'gpu-01', os: 'linux', arch: 'x64', cpuCores: 64, memoryTotalBytes: 1e12 },
  devices: [{ id: 'GPU-1', vendor: 'nvidia', index: 0, name: 'NVIDIA H100 80GB HBM3' }],
  probes: [{ probe: 'nvidia-smi', state: 'ok', since: 1 }],
};
const events = {
  v: 1,
  cluster: 'local',
  node: 'gpu-01',
  ts: 1_763_800_000_000,
  seq: 5,
  type: 'events',
  events: [{ ts: 1, kind: 'xid', severity: 'critical', message: 'Xid 79', d: 'GPU-1' }],
};
const grid = {
  rows: [{ d: 'GPU-1' }, { l: { engine: 'vllm-0' } }],
  cols: [{ m: 'device.utilization' }],
  v: [87, null],
};

/** `value` with `extra` spread into the object at `path` (keys of nested objects and arrays). */
function withField(value: object, path: (string | number)[], extra: object): object {
  const copy = structuredClone(value) as Record<string | number, unknown>;
  let at: Record<string | number, unknown> = copy;
  for (const key of path) at = at[key] as Record<string | number, unknown>;
  Object.assign(at, extra);
  return copy;
}

describe('decodeMessage: evolution within v1 (spec.ts)', () => {
  it('accepts an unknown top-level field and drops it from the decoded message', () => {
    const r = decodeMessage(JSON.stringify({ ...metrics, region: 'eu-west', extra: { a: [1] } }));
    expect(r).toEqual({ ok: true, message: metrics, droppedFields: 2 });
    expect(r.ok && Object.hasOwn(r.message, 'region')).toBe(false);
  });

  it.each([
    ['host', inventory, ['host']],
    ['device', inventory, ['devices', 0]],
    ['probe', inventory, ['probes', 0]],
    ['sample', metrics, ['samples', 1]],
    ['grid', { ...metrics, grids: [grid] }, ['grids', 0]],
    ['grid row (engine)', { ...metrics, grids: [grid] }, ['grids', 0, 'rows', 1]],
    ['grid column', { ...metrics, grids: [grid] }, ['grids', 0, 'cols', 0]],
    ['event', events, ['events', 0]],
  ] as const)('accepts an unknown field in a %s and drops it', (_, message, path) => {
    const sent = withField(message, [...path], { futureField: { nested: 'x' }, power2: 7 });
    const r = decodeMessage(JSON.stringify(sent));
    expect(r).toEqual({ ok: true, message, droppedFields: 2 });
  });

  it('keeps label keys it does not know: labels are data, not fields', () => {
    const labelled = withField(metrics, ['samples', 0], { l: { newLabel: 'x' } });
    expect(decodeMessage(JSON.stringify(labelled))).toEqual({ ok: true, message: labelled });
  });

  it('drops unknown fields from an already-parsed value in place', () => {
    const value = withField(inventory, ['devices', 0], { nvlinkPeers: ['GPU-2'] });
    const r = validateMessage(value);
    expect(r).toEqual({ ok: true, message: inventory, droppedFields: 1 });
    expect(r.ok && r.message).toBe(value);
  });

  it('still refuses a known field of the wrong type beside an unknown one, naming its path', () => {
    const device = withField(inventory, ['devices', 0], { index: '0', futureField: 1 });
    const sample = withField(metrics, ['samples', 1], { d: 7, futureField: 1 });
    const cell = withField({ ...metrics, grids: [grid] }, ['grids', 0], { v: [87, 'x'], z: 1 });
    const problems = [device, sample, cell].map((m) => decodeMessage(JSON.stringify(m)));
    expect(problems.map((r) => (r.ok ? null : r.problem))).toEqual([
      { kind: 'schema', message: 'inventory: /devices/0/index: must be integer' },
      { kind: 'schema', message: 'metrics: /samples/1/d: must be string' },
      { kind: 'schema', message: 'metrics: /grids/0/v/1: must be number or null' },
    ]);
  });

  it('still refuses NaN and out-of-bounds known fields with their path', () => {
    const nan = validateMessage(withField(metrics, ['samples', 0], { v: Number.NaN, z: 1 }));
    const negative = decodeMessage(
      JSON.stringify(withField(inventory, ['host'], { cpuCores: -1 })),
    );
    const many = { ...inventory, devices: new Array(1025).fill(inventory.devices[0]), z: 1 };
    expect(nan.ok ? '' : nan.problem.message).toMatch(/^metrics: \/samples\/0\/v: /);
    expect(negative.ok ? '' : negative.problem.message).toBe(
      'inventory: /host/cpuCores: must be >= 0',
    );
    const r = decodeMessage(JSON.stringify(many));
    expect(r.ok ? '' : r.problem.message).toBe(
      'inventory: /devices: holds 1,025 items, at most 1,024',
    );
  });

  it('accepts a 3 MB unknown field and drops it; the 4 MB message bound still holds', () => {
    const big = 'x'.repeat(3 * 1024 * 1024);
    const r = decodeMessage(JSON.stringify({ ...metrics, attachment: big }));
    expect(r).toEqual({ ok: true, message: metrics, droppedFields: 1 });
    const tooBig = decodeMessage(JSON.stringify({ ...metrics, attachment: big + big }));
    expect(tooBig.ok ? '' : tooBig.problem.kind).toBe('oversized');
  });

  it('answers an unknown message type with a problem naming the type, for the reader to count', () => {
    const r = decodeMessage(JSON.stringify({ ...metrics, type: 'alerts' }));
    expect(r.ok ? null : r.problem).toEqual({
      kind: 'unknown-type',
      message: 'unknown message type "alerts", skipped (a newer sender?)',
      messageType: 'alerts',
    });
    const long = decodeMessage(JSON.stringify({ ...metrics, type: 't'.repeat(1000) }));
    expect(long.ok ? null : long.problem.messageType).toBe(`${'t'.repeat(40)}…`);
  });
});
