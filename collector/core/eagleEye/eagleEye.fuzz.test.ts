/**
 * Seeded property-based fuzzing of Eagle Eye mapping (issue 10, deliverable 7): arbitrary JSON
 * messages and mapping texts, default-mapping messages with hostile field values, prototype keys
 * and deep nesting. mapEagleEye must answer a reading or a problem, never throw; what it reads must
 * become metrics messages the wire accepts; a mapping text is accepted only when valid.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { validateMessage } from '../protocol/decode.js';
import { checkEagleEyeMapping, parseEagleEyeMapping } from './checkMapping.js';
import { EagleEyeWindow } from './EagleEyeWindow.js';
import { mapEagleEye, valueAt } from './mapEagleEye.js';
import { DEFAULT_EAGLE_EYE_MAPPING } from './mapping.js';

const RUNS = { seed: 0x05b7e7, numRuns: 2000 };

const hostile: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(
    null,
    '',
    ' ',
    'NaN',
    'Infinity',
    '12',
    -1,
    0,
    1e308,
    -1e308,
    2 ** 53,
    '__proto__',
    'x'.repeat(300),
    '\u202Eexe.doc',
    '<script>x</script>',
    [],
    {},
  ),
  fc.double(),
  fc.jsonValue({ maxDepth: 3 }),
);

const FIELDS = [
  'engine_id',
  'model_name',
  'hostname',
  'timestamp',
  'num_running_reqs',
  'num_waiting_reqs',
  'kv_cache_usage',
  'prefix_cache_stats',
  '__proto__',
  'constructor',
];

/** A step as the default mapping expects it, with some fields replaced by hostile values. */
const step = fc
  .array(fc.tuple(fc.constantFrom(...FIELDS), hostile), { maxLength: 5 })
  .map((edits) => {
    const m: Record<string, unknown> = {
      engine_id: 0,
      model_name: 'm',
      hostname: 'gpu-node-03',
      timestamp: 1_763_800_000.25,
      num_running_reqs: 12,
      num_waiting_reqs: 3,
      kv_cache_usage: 0.4375,
      prefix_cache_stats: { queries: 2048, hits: 1536 },
    };
    for (const [k, v] of edits) {
      Object.defineProperty(m, k, {
        value: v,
        enumerable: true,
        configurable: true,
        writable: true,
      });
    }
    return JSON.parse(JSON.stringify(m)) as unknown;
  });

function assertMapped(message: unknown): void {
  const result = mapEagleEye(message, DEFAULT_EAGLE_EYE_MAPPING);
  if (!result.ok) {
    expect(result.problem.message.length).toBeGreaterThan(0);
    expect(result.problem.message.length).toBeLessThanOrEqual(400);
    return;
  }
  for (const w of result.warnings) expect(w.message.length).toBeLessThanOrEqual(400);
  for (const v of result.reading.values) {
    if (v.v !== null) expect(Number.isFinite(v.v)).toBe(true);
  }
  // Through the window: every drained message is one the wire accepts (EagleEyeFeed checks too,
  // but a reading it must drop is a mapping bug this test should see).
  const window = new EagleEyeWindow('vllm');
  window.add(result.reading, 'eagle-eye', 1_000);
  for (const drained of window.drain(500)) {
    const check = validateMessage(drained);
    expect(check.ok, check.ok ? '' : check.problem.message).toBe(true);
  }
}

describe('Eagle Eye mapping under fuzzing (seeded)', () => {
  it('maps arbitrary JSON to a reading or a problem, never a throw', () => {
    fc.assert(fc.property(fc.jsonValue({ maxDepth: 5 }), assertMapped), RUNS);
  });

  it('maps default-shaped steps with hostile values to wire-valid metrics or a problem', () => {
    fc.assert(fc.property(step, assertMapped), RUNS);
  });

  it('answers deep nesting anywhere with a problem', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...FIELDS),
        fc.integer({ min: 65, max: 100_000 }),
        (field, depth) => {
          const deep = JSON.parse('{"a":'.repeat(depth) + '1' + '}'.repeat(depth)) as unknown;
          const message = { hostname: 'h', engine_id: 1, [field]: deep };
          expect(mapEagleEye(message, DEFAULT_EAGLE_EYE_MAPPING)).toMatchObject({ ok: false });
        },
      ),
      { ...RUNS, numRuns: 40 },
    );
  });

  it('valueAt reads own fields only, whatever the path', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('__proto__', 'constructor', 'toString', 'a', '0', 'length'), {
          minLength: 1,
          maxLength: 4,
        }),
        (steps) => {
          const path = steps.join('.');
          const own: Record<string, unknown> = { a: [1], 'a.0': 1, 'a.length': 1 };
          expect(valueAt({ a: [1] }, path)).toEqual(
            Object.hasOwn(own, path) ? own[path] : undefined,
          );
        },
      ),
      RUNS,
    );
  });

  it('accepts a mapping text only when the mapping checks out, and never throws', () => {
    const mappingLike = fc.record(
      {
        identity: fc.oneof(
          fc.record({ engine: fc.string(), node: fc.string(), model: fc.string() }),
          hostile,
        ),
        timestampUnit: fc.oneof(fc.constantFrom('s', 'ms'), hostile),
        framework: fc.oneof(fc.string({ maxLength: 70 }), hostile),
        metrics: fc.oneof(
          fc.array(
            fc.record(
              {
                metric: fc.constantFrom(
                  'engine.requests.running',
                  'engine.latency.ttft',
                  'device.utilization',
                  '__proto__',
                ),
                path: fc.string({ maxLength: 20 }),
                ratio: fc.record({ numerator: fc.string(), denominator: fc.string() }),
                scale: fc.oneof(fc.double(), hostile),
              },
              { requiredKeys: ['metric'] },
            ),
            { maxLength: 4 },
          ),
          hostile,
        ),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(
        fc.oneof(
          mappingLike.map((m) => JSON.stringify(m)),
          fc.string(),
        ),
        (text) => {
          const parsed = parseEagleEyeMapping(text);
          if (parsed.ok) expect(checkEagleEyeMapping(parsed.mapping).ok).toBe(true);
          else for (const e of parsed.errors) expect(e.field.startsWith('mapping')).toBe(true);
        },
      ),
      RUNS,
    );
  });
});
