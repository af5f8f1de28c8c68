import Value from 'typebox/value';
import { describe, expect, it } from 'vitest';

import { codePointCount, isMetricsMessage } from './fastValidate.js';
import { MetricsMessage } from './spec.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json } | undefined;

/** mulberry32: a seeded PRNG, so a failing case can be replayed from its seed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const EMOJI = '\u{1F985}';

function validMessage(): Record<string, Json> {
  return {
    v: 1,
    cluster: 'prod',
    node: 'node-017',
    ts: 1_763_800_000_000,
    seq: 42,
    type: 'metrics',
    interval: 500,
    samples: [
      { m: 'device.utilization', v: 87, d: 'GPU-1' },
      { m: 'device.fan', v: null, d: 'GPU-1', s: 'unsupported', raw: '[N/A]' },
      { m: 'host.cpu.utilization', v: 0, t: 0 },
      {
        m: 'engine.latency.ttft',
        v: 0.25,
        l: { engine: 'vllm-0', model: 'Qwen/Qwen3-32B', framework: 'vllm', q: 'p99' },
      },
    ],
    grids: [
      {
        rows: [{ d: 'GPU-0' }, { d: 'GPU-1' }],
        cols: [{ m: 'device.utilization' }, { m: 'device.temperature' }],
        v: [87, 61, null, 0.5],
      },
      {
        rows: [{ l: { engine: 'vllm-0', framework: 'vllm' } }],
        cols: [{ m: 'engine.requests.running' }, { m: 'engine.latency.ttft', l: { q: 'p99' } }],
        v: [12, 0.25],
      },
    ],
  };
}

/** Values chosen to sit on every boundary the schema draws. */
const HOSTILE: Json[] = [
  undefined,
  null,
  true,
  0,
  -0,
  1,
  -1,
  0.5,
  2,
  1e308,
  Number.POSITIVE_INFINITY,
  Number.NaN,
  '',
  'x',
  '1',
  'metrics',
  'unsupported',
  'x'.repeat(64),
  'x'.repeat(65),
  'x'.repeat(256),
  'x'.repeat(257),
  EMOJI.repeat(256),
  EMOJI.repeat(257),
  'x'.repeat(255) + EMOJI,
  '\uD800'.repeat(257),
  '\uDC00',
  'a\nb',
  [],
  [1],
  {},
  { m: 'x', v: 1 },
  { 'a\nb': 5 },
  { ok: 'x', bad: 5 },
];

const EXTRA_KEYS = ['extra', 'a\nb', '__proto__', 'constructor', 'toString', ''];

function pick<T>(rand: () => number, list: readonly T[]): T {
  return list[Math.floor(rand() * list.length)]!;
}

/** Every object/array reachable in the message, with its keys. */
function containers(root: Json): Array<Record<string, Json> | Json[]> {
  const out: Array<Record<string, Json> | Json[]> = [];
  const walk = (x: Json) => {
    if (x === null || typeof x !== 'object') return;
    out.push(x);
    for (const child of Object.values(x)) walk(child as Json);
  };
  walk(root);
  return out;
}

function mutate(message: Record<string, Json>, rand: () => number): void {
  const steps = 1 + Math.floor(rand() * 2);
  for (let i = 0; i < steps; i++) {
    const target = pick(rand, containers(message));
    const keys = Object.keys(target);
    const op = rand();
    if (op < 0.15 && !Array.isArray(target)) {
      const key = pick(rand, EXTRA_KEYS);
      Object.defineProperty(target, key, {
        value: pick(rand, HOSTILE),
        enumerable: true,
        configurable: true,
        writable: true,
      });
    } else if (op < 0.3 && keys.length > 0) {
      const key = pick(rand, keys);
      if (Array.isArray(target)) target.splice(Number(key), 1);
      else delete target[key];
    } else if (keys.length > 0) {
      const key = pick(rand, keys);
      (target as Record<string, Json>)[key] = structuredClone(pick(rand, HOSTILE));
    }
  }
}

describe('isMetricsMessage', () => {
  it('accepts the valid message', () => {
    const m = validMessage();
    expect(Value.Check(MetricsMessage, m)).toBe(true);
    expect(isMetricsMessage(m)).toBe(true);
  });

  it('answers as Value.Check does on 20,000 mutated messages, before and after a JSON round trip', () => {
    const rand = random(20251122);
    let valid = 0;
    let invalid = 0;
    for (let i = 0; i < 10_000; i++) {
      const m = validMessage();
      mutate(m, rand);
      for (const candidate of [m, JSON.parse(JSON.stringify(m)) as Json]) {
        const expected = Value.Check(MetricsMessage, candidate);
        if (isMetricsMessage(candidate) !== expected) {
          throw new Error(`case ${i}: Value.Check says ${expected} for ${JSON.stringify(m)}`);
        }
        if (expected) valid += 1;
        else invalid += 1;
      }
    }
    // Both answers must be common, or the comparison says little.
    expect(valid).toBeGreaterThan(2000);
    expect(invalid).toBeGreaterThan(2000);
  });

  it('agrees on the edges TypeBox draws differently from plain JSON Schema', () => {
    const cases: Array<[string, (m: Record<string, Json>) => void]> = [
      ['256 emoji in a name (512 UTF-16 units)', (m) => (m.node = EMOJI.repeat(256))],
      ['257 emoji in a name', (m) => (m.node = EMOJI.repeat(257))],
      [
        'an optional field holding undefined',
        (m) => ((m.samples as Json[])[0] = { m: 'x', v: 1, d: undefined }),
      ],
      [
        'a label key with a line break holding a number',
        (m) => ((m.samples as Json[])[0] = { m: 'x', v: 1, l: { 'a\nb': 5 } }),
      ],
      [
        'a label key of 65 characters',
        (m) => ((m.samples as Json[])[0] = { m: 'x', v: 1, l: { ['k'.repeat(65)]: 'v' } }),
      ],
      [
        'an infinite value',
        (m) => ((m.samples as Json[])[0] = { m: 'x', v: Number.POSITIVE_INFINITY }),
      ],
      ['an array as the message', (m) => (m.samples = [[]])],
      [
        '65,537 samples',
        (m) => (m.samples = Array.from({ length: 65537 }, () => ({ m: 'x', v: 1 }))),
      ],
      ['interval 0', (m) => (m.interval = 0)],
      ['grids holding undefined', (m) => (m.grids = undefined)],
      [
        'a grid row with neither device nor labels',
        (m) => ((m.grids as Json[])[0] = { rows: [{}], cols: [], v: [] }),
      ],
      [
        '65,537 grid cells',
        (m) => ((m.grids as Json[])[0] = { rows: [], cols: [], v: Array<Json>(65537).fill(1) }),
      ],
      [
        '1,025 grid rows',
        (m) =>
          ((m.grids as Json[])[0] = {
            rows: Array.from({ length: 1025 }, () => ({})),
            cols: [],
            v: [],
          }),
      ],
      [
        '65 grids',
        (m) => (m.grids = Array.from({ length: 65 }, () => ({ rows: [], cols: [], v: [] }))),
      ],
      ['seq 1.5', (m) => (m.seq = 1.5)],
    ];
    for (const [name, change] of cases) {
      const m = validMessage();
      change(m);
      expect(isMetricsMessage(m), name).toBe(Value.Check(MetricsMessage, m));
    }
  });
});

describe('codePointCount', () => {
  it('counts a surrogate pair once and a lone surrogate once', () => {
    expect(codePointCount('ab')).toBe(2);
    expect(codePointCount(EMOJI)).toBe(1);
    expect(codePointCount('\uD800')).toBe(1);
    expect(codePointCount('\uDC00\uD800')).toBe(2);
    expect(codePointCount(`\uD800${EMOJI}`)).toBe(2);
  });
});
