/**
 * Seeded property-based fuzzing of the one decoder every transport uses (issue 10, deliverable 7).
 * The seed is fixed so a failure reproduces; fast-check prints the shrunk counterexample, which then
 * becomes a plain unit test in decode.test.ts.
 */
import fc from 'fast-check';
import Value from 'typebox/value';
import { afterAll, describe, expect, it } from 'vitest';

import { decodeMessage, MAX_MESSAGE_BYTES, type DecodeResult } from './decode.js';
import { isMetricsMessage } from './fastValidate.js';
import { gridShapeProblem } from './grids.js';
import { MESSAGE_SCHEMAS, type MetricsMessage } from './spec.js';

const RUNS = { seed: 0x05b7e7, numRuns: 1500 };
const KINDS = ['oversized', 'not-json', 'unknown-type', 'wrong-version', 'schema'];
/** A problem is one line a person reads: paths and quoted values are cut short in decode.ts. */
const MAX_PROBLEM_CHARS = 1000;

/**
 * The schema with every object closed (`additionalProperties: false`, as spec.ts had it before
 * the evolution rule): what a decoded message must pass once its unknown fields are dropped.
 */
function closed(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(closed);
  if (typeof schema !== 'object' || schema === null) return schema;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) out[key] = closed(value);
  if ('properties' in schema && !('patternProperties' in schema)) out.additionalProperties = false;
  return out;
}
const CLOSED = {
  inventory: closed(MESSAGE_SCHEMAS.inventory) as typeof MESSAGE_SCHEMAS.inventory,
  metrics: closed(MESSAGE_SCHEMAS.metrics) as typeof MESSAGE_SCHEMAS.metrics,
  events: closed(MESSAGE_SCHEMAS.events) as typeof MESSAGE_SCHEMAS.events,
};

/**
 * What every decode result must be: a message the schema accepts with no field it does not
 * describe, or a named, bounded problem.
 */
function assertHonest(result: DecodeResult): void {
  if (result.ok) {
    const { message } = result;
    expect(Value.Check(CLOSED[message.type], message)).toBe(true);
    if (message.type === 'metrics') expect(gridShapeProblem(message)).toBeUndefined();
    return;
  }
  expect(KINDS).toContain(result.problem.kind);
  expect(result.problem.message.length).toBeGreaterThan(0);
  expect(result.problem.message.length).toBeLessThanOrEqual(MAX_PROBLEM_CHARS);
  // A schema problem names where: "metrics: /samples/3/v: …", "inventory: /: …" or "/type: …".
  if (
    result.problem.kind === 'schema' &&
    result.problem.message !== 'message is not a JSON object'
  ) {
    expect(result.problem.message).toMatch(/(^|: )\//);
  }
}

const name = fc.string({ minLength: 1, maxLength: 12 });
const finite = fc.double({ noNaN: true, noDefaultInfinity: true });
const labels = fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 }), {
  maxKeys: 3,
});

const sample = fc.record(
  {
    m: name,
    v: fc.option(finite, { nil: null }),
    d: name,
    l: labels,
    s: fc.constantFrom('unsupported', 'denied', 'error', 'missing', 'deprecated'),
    raw: fc.string({ maxLength: 8 }),
  },
  { requiredKeys: ['m', 'v'] },
);

const grid = fc
  .record({
    rows: fc.array(fc.record({ d: name, l: labels }, { requiredKeys: [] }), { maxLength: 4 }),
    cols: fc.array(fc.record({ m: name, l: labels }, { requiredKeys: ['m'] }), { maxLength: 4 }),
  })
  .chain(({ rows, cols }) =>
    fc
      .array(fc.option(finite, { nil: null }), {
        minLength: rows.length * cols.length,
        maxLength: rows.length * cols.length,
      })
      .map((v) => ({ rows, cols, v })),
  );

const envelope = {
  v: fc.constant(1),
  cluster: name,
  node: name,
  ts: fc.nat(),
  seq: fc.nat(),
};

const metricsMessage = fc.record(
  {
    ...envelope,
    type: fc.constant('metrics'),
    interval: fc.integer({ min: 1, max: 60_000 }),
    samples: fc.array(sample, { maxLength: 6 }),
    grids: fc.array(grid, { maxLength: 3 }),
  },
  { requiredKeys: ['v', 'cluster', 'node', 'ts', 'seq', 'type', 'interval', 'samples'] },
);

const inventoryMessage = fc.record({
  ...envelope,
  type: fc.constant('inventory'),
  host: fc.record({
    hostname: name,
    os: name,
    arch: name,
    cpuCores: fc.nat(),
    memoryTotalBytes: fc.nat(),
  }),
  devices: fc.array(
    fc.record({ id: name, vendor: fc.constantFrom('nvidia', 'ascend'), index: fc.nat(), name }),
    { maxLength: 4 },
  ),
  probes: fc.array(
    fc.record({
      probe: name,
      state: fc.constantFrom('starting', 'ok', 'absent', 'degraded', 'error'),
      since: fc.nat(),
    }),
    { maxLength: 3 },
  ),
});

const eventsMessage = fc.record({
  ...envelope,
  type: fc.constant('events'),
  events: fc.array(
    fc.record({
      ts: fc.nat(),
      kind: name,
      severity: fc.constantFrom('info', 'warning', 'error', 'critical'),
      message: fc.string({ maxLength: 20 }),
    }),
    { maxLength: 4 },
  ),
});

const validMessage = fc.oneof(metricsMessage, inventoryMessage, eventsMessage);

/** Values a hostile sender puts where a number or a name belongs. */
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(
    'NaN',
    'Infinity',
    '-Infinity',
    '87',
    '1e309',
    '',
    null,
    true,
    -1,
    1e300,
    -0,
    2 ** 53 + 1,
    '__proto__',
    '<img src=x onerror=alert(1)>',
    '\u202Eexe.doc',
    'x'.repeat(300),
  ),
  fc.jsonValue({ maxDepth: 3 }),
);

/** JSON text that JSON.stringify cannot make: NaN and Infinity literals, prototype keys. */
const rawTokens = fc.constantFrom('NaN', 'Infinity', '-Infinity', '1e999', '-1e999', '0x10', '01');
const protoKeys = fc.constantFrom(
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
);

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Replace, delete or add one field somewhere in a message (walks an explicit path, no recursion). */
function mutate(message: Json, steps: number[], value: unknown, op: number): Json {
  const root = structuredClone(message);
  let node: Json = root;
  for (const step of steps) {
    if (Array.isArray(node) && node.length > 0) {
      const i = step % node.length;
      if (typeof node[i] !== 'object' || node[i] === null) break;
      node = node[i]!;
    } else if (node !== null && typeof node === 'object' && !Array.isArray(node)) {
      const keys = Object.keys(node);
      if (keys.length === 0) break;
      const child = node[keys[step % keys.length]!]!;
      if (typeof child !== 'object' || child === null) break;
      node = child;
    } else break;
  }
  if (Array.isArray(node)) {
    if (op === 0 && node.length > 0) node.splice(0, 1);
    else node.push(value as Json);
  } else if (node !== null && typeof node === 'object') {
    const keys = Object.keys(node);
    const key = keys.length > 0 ? keys[op % keys.length]! : 'v';
    if (op === 0) delete node[key];
    else node[key] = value as Json;
  }
  return root;
}

describe('decodeMessage under fuzzing (seeded)', () => {
  afterAll(() => {
    // A `__proto__` key in a message must stay a plain own property, never reach Object.prototype.
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('never throws on arbitrary text or bytes', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ maxLength: 200 }), fc.uint8Array({ maxLength: 200 })),
        (input) => {
          assertHonest(decodeMessage(input));
        },
      ),
      RUNS,
    );
  });

  it('never throws on arbitrary JSON, and accepts nothing the schema would not', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), (value) => {
        assertHonest(decodeMessage(JSON.stringify(value)));
      }),
      RUNS,
    );
  });

  it('accepts every valid message exactly as sent', () => {
    fc.assert(
      fc.property(validMessage, (message) => {
        const text = JSON.stringify(message);
        // Compared with the JSON round trip of what was sent (JSON writes -0 as 0).
        expect(decodeMessage(text)).toEqual({ ok: true, message: JSON.parse(text) });
      }),
      RUNS,
    );
  });

  it('answers a mutated valid message with the message or a problem naming a path', () => {
    fc.assert(
      fc.property(
        validMessage,
        fc.array(fc.nat(), { maxLength: 5 }),
        hostileValue,
        fc.nat({ max: 3 }),
        (message, steps, value, op) => {
          const mutated = mutate(message as Json, steps, value, op);
          const result = decodeMessage(JSON.stringify(mutated));
          assertHonest(result);
          // The fast metrics check must agree with TypeBox on everything a mutation makes.
          if ((mutated as { type?: unknown }).type === 'metrics') {
            const schemaSays = Value.Check(MESSAGE_SCHEMAS.metrics, mutated);
            expect(isMetricsMessage(mutated)).toBe(schemaSays);
          }
        },
      ),
      RUNS,
    );
  });

  it('answers NaN/Infinity literals, strings-as-numbers and prototype keys without throwing', () => {
    fc.assert(
      fc.property(
        validMessage,
        rawTokens,
        protoKeys,
        fc.constantFrom('v', 'ts', 'seq', 'interval', 'cluster'),
        (message, token, protoKey, field) => {
          const text = JSON.stringify(message);
          // Splice a literal JSON cannot carry into a field, and a prototype key beside it.
          const withToken = text.replace(`"${field}":`, `"${field}":${token},"_${field}":`);
          const withProto = text.replace('{', `{"${protoKey}":{"polluted":1,"v":2},`);
          assertHonest(decodeMessage(withToken));
          const proto = decodeMessage(withProto);
          assertHonest(proto);
          // An unknown own key is an unknown field, whatever its name: accepted, then dropped.
          expect(proto.ok && proto.droppedFields).toBe(1);
          if (proto.ok) expect(Object.hasOwn(proto.message, protoKey)).toBe(false);
          const stringNumber = text.replace(`"${field}":`, `"${field}":"1","_${field}":`);
          assertHonest(decodeMessage(stringNumber));
        },
      ),
      { ...RUNS, numRuns: 1000 },
    );
  });

  it('answers deep nesting anywhere with a problem, not a stack overflow', () => {
    fc.assert(
      fc.property(
        validMessage,
        fc.integer({ min: 1, max: 100_000 }),
        fc.constantFrom('[', '{"a":'),
        fc.constantFrom('v', 'type', 'cluster', 'samples', 'host', 'events', 'ts'),
        (message, depth, open, field) => {
          const close = open === '[' ? ']' : '}';
          const deep = open.repeat(depth) + '1' + close.repeat(depth);
          const text = JSON.stringify({ ...message, [field]: 0 }).replace(
            `"${field}":0`,
            `"${field}":${deep}`,
          );
          const result = decodeMessage(text);
          assertHonest(result);
          // A known field nested deep is refused; an unknown one is dropped without being walked.
          const known = Object.hasOwn(MESSAGE_SCHEMAS[message.type].properties, field);
          expect(result.ok).toBe(!known);
          if (result.ok) expect(Object.hasOwn(result.message, field)).toBe(false);
        },
      ),
      { ...RUNS, numRuns: 40 },
    );
  });

  it('answers huge arrays and long names with a bounded problem', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('samples', 'devices', 'events', 'grids', 'probes'),
        fc.integer({ min: 1, max: 70_000 }),
        fc.constantFrom(0, 1, 'x', { m: 'x'.repeat(257), v: 1 }, null),
        (field, length, item) => {
          const base = {
            v: 1,
            cluster: 'c'.repeat(length % 300),
            node: 'n',
            ts: 0,
            seq: 0,
            type: field === 'samples' || field === 'grids' ? 'metrics' : 'inventory',
            interval: 1000,
            samples: [],
          };
          const text = JSON.stringify({ ...base, [field]: Array.from({ length }, () => item) });
          if (text.length > MAX_MESSAGE_BYTES) {
            expect(decodeMessage(text)).toMatchObject({
              ok: false,
              problem: { kind: 'oversized' },
            });
          } else {
            assertHonest(decodeMessage(text));
          }
        },
      ),
      { ...RUNS, numRuns: 20 },
    );
  });

  it('accepts and drops many or long unknown fields', () => {
    fc.assert(
      fc.property(
        validMessage,
        fc.integer({ min: 1, max: 5000 }),
        fc.integer({ min: 1, max: 100_000 }),
        (message, count, longest) => {
          // At most ~2 MB of keys, so the message stays under the 4 MB limit the decoder checks first.
          const keyLength = Math.max(1, Math.min(longest, Math.floor(2_000_000 / count)));
          const extra = Object.fromEntries(
            Array.from({ length: count }, (_, i) => [
              `${i}${'k'.repeat(keyLength)}`.slice(0, keyLength),
              1,
            ]),
          );
          const result = decodeMessage(JSON.stringify({ ...message, ...extra }));
          assertHonest(result);
          // Keys start with a digit, so none is a known field name.
          expect(result.ok && result.droppedFields).toBe(Object.keys(extra).length);
        },
      ),
      { ...RUNS, numRuns: 40 },
    );
  });

  it('keeps the metrics fast path equal to the schema on valid messages', () => {
    fc.assert(
      fc.property(metricsMessage, (message) => {
        expect(isMetricsMessage(message as MetricsMessage)).toBe(true);
      }),
      RUNS,
    );
  });
});
