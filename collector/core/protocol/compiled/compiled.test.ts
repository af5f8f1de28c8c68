import Value from 'typebox/value';
import { describe, expect, it } from 'vitest';

import { MESSAGE_SCHEMAS, type MessageType } from '../spec.js';
import { COMPILED_CHECKS } from './check.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json } | undefined;

const TYPES: MessageType[] = ['inventory', 'metrics', 'events'];

const VALID: Record<MessageType, Record<string, Json>> = {
  inventory: {
    v: 1,
    cluster: 'prod',
    node: 'node-017',
    ts: 1_763_800_000_000,
    seq: 0,
    type: 'inventory',
    host: { hostname: 'node-017', os: 'linux', arch: 'x64', cpuCores: 64, memoryTotalBytes: 1e12 },
    devices: [
      { id: 'GPU-1', vendor: 'nvidia', index: 0, name: 'NVIDIA H100', uuid: 'GPU-1', chip: 0 },
      { id: 'ascend:1', vendor: 'ascend', index: 1, name: 'Ascend 910B', memoryTotalBytes: 6e10 },
    ],
    probes: [{ probe: 'nvidia-smi', state: 'degraded', message: 'fan [N/A]', since: 1 }],
  },
  metrics: {
    v: 1,
    cluster: 'prod',
    node: 'node-017',
    ts: 1_763_800_000_000,
    seq: 42,
    type: 'metrics',
    interval: 500,
    samples: [
      { m: 'device.fan', v: null, d: 'GPU-1', s: 'unsupported', raw: '[N/A]' },
      { m: 'engine.latency.ttft', v: 0.25, l: { engine: 'vllm-0', q: 'p99' }, t: 0 },
    ],
    grids: [
      {
        rows: [{ d: 'GPU-0' }, { l: { engine: 'vllm-0' } }],
        cols: [{ m: 'device.utilization' }, { m: 'engine.latency.ttft', l: { q: 'p99' } }],
        v: [87, 61, null, 0.5],
      },
    ],
  },
  events: {
    v: 1,
    cluster: 'prod',
    node: 'node-017',
    ts: 1_763_800_000_000,
    seq: 7,
    type: 'events',
    events: [
      { ts: 1, kind: 'xid', severity: 'critical', message: 'Xid 79', d: 'GPU-1', code: '79' },
    ],
  },
};

/** Values on the boundaries the schemas draw. */
const HOSTILE: Json[] = [
  undefined,
  null,
  true,
  0,
  -1,
  0.5,
  Number.POSITIVE_INFINITY,
  Number.NaN,
  '',
  'x',
  'nvidia',
  'ok',
  'critical',
  'x'.repeat(257),
  '\u{1F985}'.repeat(256),
  '\u{1F985}'.repeat(257),
  'x'.repeat(4097),
  [],
  [1],
  {},
  { 'a\nb': 5 },
];
const EXTRA_KEYS = ['extra', '__proto__', 'constructor', ''];

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

const pick = <T>(rand: () => number, list: readonly T[]): T =>
  list[Math.floor(rand() * list.length)]!;

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

/** Adds an unknown key, deletes a key or replaces a value, somewhere in the message. */
function mutate(message: Record<string, Json>, rand: () => number): void {
  const target = pick(rand, containers(message));
  const keys = Object.keys(target);
  const op = rand();
  if (op < 0.15 && !Array.isArray(target)) {
    Object.defineProperty(target, pick(rand, EXTRA_KEYS), {
      value: structuredClone(pick(rand, HOSTILE)),
      enumerable: true,
      configurable: true,
      writable: true,
    });
  } else if (op < 0.3 && keys.length > 0) {
    const key = pick(rand, keys);
    if (Array.isArray(target)) target.splice(Number(key), 1);
    else delete target[key];
  } else if (keys.length > 0) {
    (target as Record<string, Json>)[pick(rand, keys)] = structuredClone(pick(rand, HOSTILE));
  }
}

describe('compiled validators (TypeBox Code(), written by .ci/generateValidators.mjs; .ci/generateValidators.test.ts keeps them current)', () => {
  it.each(TYPES)('answers as Value.Check does on 6,000 mutated %s messages', (type) => {
    const rand = random(20261202);
    let valid = 0;
    let invalid = 0;
    for (let i = 0; i < 3000; i++) {
      const m = structuredClone(VALID[type]);
      mutate(m, rand);
      if (rand() < 0.5) mutate(m, rand);
      for (const candidate of [m, JSON.parse(JSON.stringify(m)) as Json]) {
        const expected = Value.Check(MESSAGE_SCHEMAS[type], candidate);
        if (COMPILED_CHECKS[type](candidate) !== expected) {
          throw new Error(
            `${type} case ${i}: Value.Check says ${expected} for ${JSON.stringify(m)}`,
          );
        }
        if (expected) valid += 1;
        else invalid += 1;
      }
    }
    // Both answers must be common, or the comparison says little.
    expect(valid).toBeGreaterThan(600);
    expect(invalid).toBeGreaterThan(600);
  });

  it('accepts unknown fields, as the evolution rule says (spec.ts)', () => {
    for (const type of TYPES) {
      expect(COMPILED_CHECKS[type]({ ...VALID[type], addedLater: { any: 'thing' } })).toBe(true);
    }
  });
});
