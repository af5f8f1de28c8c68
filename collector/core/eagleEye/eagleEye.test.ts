/**
 * Eagle Eye's message format is not published, so every message here is CONSTRUCTED for the test:
 * vLLM SchedulerStats fields (vllm/v1/metrics/stats.py) plus the identity fields the default
 * mapping guesses. None of them was captured from a real Eagle Eye publisher.
 */
import { describe, expect, it } from 'vitest';

import { validateMessage } from '../protocol/decode.js';
import { checkEagleEyeMapping, parseEagleEyeMapping } from './checkMapping.js';
import { EagleEyeWindow } from './EagleEyeWindow.js';
import { mapEagleEye, valueAt } from './mapEagleEye.js';
import { DEFAULT_EAGLE_EYE_MAPPING, type EagleEyeMapping } from './mapping.js';

/** Constructed: one step of a vLLM engine as a SchedulerStats-shaped stat logger might send it. */
function step(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    engine_id: 0,
    model_name: 'Qwen/Qwen2.5-7B-Instruct',
    hostname: 'gpu-node-03',
    timestamp: 1_763_800_000.25,
    num_running_reqs: 12,
    num_waiting_reqs: 3,
    kv_cache_usage: 0.4375,
    prefix_cache_stats: { reset: false, requests: 4, queries: 2048, hits: 1536 },
    ...overrides,
  };
}

describe('mapEagleEye with the default mapping', () => {
  it('maps SchedulerStats fields onto engine metrics, scaling 0–1 usage to percent', () => {
    const r = mapEagleEye(step(), DEFAULT_EAGLE_EYE_MAPPING);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.warnings).toEqual([]);
    expect(r.reading).toEqual({
      node: 'gpu-node-03',
      engine: '0',
      model: 'Qwen/Qwen2.5-7B-Instruct',
      ts: 1_763_800_000_250,
      values: [
        { metric: 'engine.requests.running', v: 12 },
        { metric: 'engine.requests.waiting', v: 3 },
        { metric: 'engine.kv_cache.usage', v: 43.75 },
      ],
      ratios: [
        { metric: 'engine.prefix_cache.hit_rate', numerator: 1536, denominator: 2048, scale: 100 },
      ],
    });
  });

  it('refuses a message without its node or engine, naming the field', () => {
    const noHost = mapEagleEye(step({ hostname: undefined }), DEFAULT_EAGLE_EYE_MAPPING);
    expect(noHost).toEqual({
      ok: false,
      problem: { key: 'identity:hostname', message: 'node field "hostname" is missing' },
    });
    const badEngine = mapEagleEye(step({ engine_id: { id: 1 } }), DEFAULT_EAGLE_EYE_MAPPING);
    expect(badEngine.ok ? '' : badEngine.problem.message).toBe(
      'engine field "engine_id" is {"id":1}, not a name',
    );
    expect(mapEagleEye([1, 2], DEFAULT_EAGLE_EYE_MAPPING).ok).toBe(false);
  });

  it('keeps a missing or non-numeric field as an absent value with a warning, never 0', () => {
    const r = mapEagleEye(
      step({ num_waiting_reqs: undefined, kv_cache_usage: 'high', timestamp: 'now' }),
      DEFAULT_EAGLE_EYE_MAPPING,
    );
    if (!r.ok) throw new Error('refused');
    expect(r.reading.values).toContainEqual({
      metric: 'engine.requests.waiting',
      v: null,
      s: 'missing',
    });
    expect(r.reading.values).toContainEqual({
      metric: 'engine.kv_cache.usage',
      v: null,
      s: 'error',
      raw: '"high"',
    });
    expect(r.reading.ts).toBeUndefined();
    expect(r.warnings.map((w) => w.message)).toEqual([
      'field "timestamp" is "now", not a time; using the arrival time',
      'no field "num_waiting_reqs" (for engine.requests.waiting)',
      'field "kv_cache_usage" is "high", not a number (for engine.kv_cache.usage)',
    ]);
  });

  it('skips a ratio whose counts are missing or negative', () => {
    const r = mapEagleEye(
      step({ prefix_cache_stats: { queries: -1, hits: 0 } }),
      DEFAULT_EAGLE_EYE_MAPPING,
    );
    if (!r.ok) throw new Error('refused');
    expect(r.reading.ratios).toEqual([]);
    expect(r.warnings[0]?.key).toBe('not-number:prefix_cache_stats.queries');
  });

  it('follows a custom mapping with nested paths, ms timestamps and a cluster field', () => {
    const mapping: EagleEyeMapping = {
      identity: {
        engine: 'meta.instance',
        node: 'meta.host',
        cluster: 'meta.pool',
        timestamp: 't',
      },
      timestampUnit: 'ms',
      framework: 'sglang',
      metrics: [{ metric: 'engine.requests.running', path: 'stats.running.0' }],
    };
    // Constructed, in a shape unlike SchedulerStats on purpose.
    const message = {
      meta: { instance: 'sgl-1', host: 'n1', pool: 'east' },
      t: 5000,
      stats: { running: [7] },
    };
    const r = mapEagleEye(message, mapping);
    if (!r.ok) throw new Error('refused');
    expect(r.reading).toMatchObject({ cluster: 'east', node: 'n1', engine: 'sgl-1', ts: 5000 });
    expect(r.reading.values).toEqual([{ metric: 'engine.requests.running', v: 7 }]);
    expect(valueAt(message, 'stats.running.1')).toBeUndefined();
    expect(valueAt(message, 'meta.host.length')).toBeUndefined();
  });
});

describe('EagleEyeWindow', () => {
  const reading = (overrides: Record<string, unknown>) => {
    const r = mapEagleEye(step(overrides), DEFAULT_EAGLE_EYE_MAPPING);
    if (!r.ok) throw new Error('refused');
    return r.reading;
  };

  it('drains one valid metrics message per node: latest gauges, summed ratios', () => {
    const window = new EagleEyeWindow('vllm');
    window.add(reading({ num_running_reqs: 10, timestamp: 100 }), 'prod', 0);
    window.add(
      reading({
        num_running_reqs: 11,
        timestamp: 100.5,
        prefix_cache_stats: { queries: 2048, hits: 0 },
      }),
      'prod',
      0,
    );
    window.add(reading({ engine_id: 1, timestamp: 100.25 }), 'prod', 0);
    const [message, ...rest] = window.drain(500);
    expect(rest).toEqual([]);
    expect(validateMessage(message).ok).toBe(true);
    expect(message).toMatchObject({
      cluster: 'prod',
      node: 'gpu-node-03',
      ts: 100_500,
      interval: 500,
    });
    const labels = { engine: '0', model: 'Qwen/Qwen2.5-7B-Instruct', framework: 'vllm' };
    expect(message!.samples).toContainEqual({ m: 'engine.requests.running', v: 11, l: labels });
    // (1536 + 0) / (2048 + 2048)
    expect(message!.samples).toContainEqual({
      m: 'engine.prefix_cache.hit_rate',
      v: 37.5,
      l: labels,
    });
    expect(message!.samples).toContainEqual({
      m: 'engine.requests.running',
      v: 12,
      l: { ...labels, engine: '1' },
      t: 100_250,
    });
    expect(window.size).toBe(0);
    expect(window.drain(500)).toEqual([]);
  });

  it('gives no hit rate, not 0, for a window without queries', () => {
    const window = new EagleEyeWindow('vllm');
    window.add(reading({ prefix_cache_stats: { queries: 0, hits: 0 } }), 'prod', 0);
    const [message] = window.drain(500);
    expect(message!.samples.map((s) => s.m)).not.toContain('engine.prefix_cache.hit_rate');
  });

  it('uses the arrival time when the message has none, and refuses engines beyond its bound', () => {
    const window = new EagleEyeWindow('vllm', 2);
    expect(window.add(reading({ timestamp: undefined }), 'c', 42)).toBe(true);
    expect(window.add(reading({ engine_id: 1 }), 'c', 0)).toBe(true);
    expect(window.add(reading({ engine_id: 2 }), 'c', 0)).toBe(false);
    expect(window.add(reading({ engine_id: 1 }), 'c', 0)).toBe(true);
    const [message] = window.drain(500);
    expect(message!.samples.find((s) => s.l?.engine === '0')?.t).toBe(42);
  });
});

describe('checkEagleEyeMapping', () => {
  it('accepts the default mapping', () => {
    expect(checkEagleEyeMapping(DEFAULT_EAGLE_EYE_MAPPING)).toEqual({
      ok: true,
      mapping: DEFAULT_EAGLE_EYE_MAPPING,
    });
  });

  it('names each bad field', () => {
    const r = checkEagleEyeMapping({
      identity: { engine: 'engine_id' },
      metrics: [
        {
          metric: 'engine.requests.running',
          path: 'a',
          ratio: { numerator: 'b', denominator: 'c' },
        },
        { metric: 'device.utilization', path: 'a' },
        { metric: 'engine.latency.ttft', path: 'x' },
        { metric: 'engine.requests.running', path: 'b', scale: 0 },
      ],
    });
    expect(r.ok ? [] : r.errors).toEqual([
      { field: 'mapping.identity.node', message: 'is required' },
      { field: 'mapping.metrics.3.scale', message: 'must be > 0' },
    ]);
    const semantic = checkEagleEyeMapping({
      identity: { engine: 'e', node: 'n' },
      metrics: [
        {
          metric: 'engine.requests.running',
          path: 'a',
          ratio: { numerator: 'b', denominator: 'c' },
        },
        { metric: 'device.utilization', path: 'a' },
        { metric: 'engine.latency.ttft', path: 'x' },
        { metric: 'engine.requests.running', path: 'b' },
      ],
    });
    expect(semantic.ok ? [] : semantic.errors.map((e) => `${e.field}: ${e.message}`)).toEqual([
      'mapping.metrics.0: needs exactly one of "path" and "ratio"',
      'mapping.metrics.1.metric: "device.utilization" is not an engine metric of the catalog (e.g. engine.requests.running)',
      'mapping.metrics.2.metric: "engine.latency.ttft" is a latency distribution; per-step stats cannot fill it',
      'mapping.metrics.3.metric: "engine.requests.running" is mapped twice',
    ]);
  });

  it('reports JSON syntax errors of the text form', () => {
    const r = parseEagleEyeMapping('{"identity": ', 'eagleEye.mapping');
    expect(r.ok ? '' : r.errors[0]!.field).toBe('eagleEye.mapping');
    expect(r.ok ? '' : r.errors[0]!.message).toMatch(/^not JSON: /);
    expect(parseEagleEyeMapping(JSON.stringify(DEFAULT_EAGLE_EYE_MAPPING)).ok).toBe(true);
  });
});

describe('Eagle Eye against deep nesting (issue 10: threw RangeError in Node at ≥ 5,000 levels)', () => {
  const deep = (depth: number): unknown =>
    JSON.parse('{"a":'.repeat(depth) + '1' + '}'.repeat(depth));

  it('refuses a message nested past 64 levels with a problem, at 5,000 and 1,000,000 levels', () => {
    for (const depth of [65, 5_000, 1_000_000]) {
      const r = mapEagleEye(step({ num_running_reqs: deep(depth) }), DEFAULT_EAGLE_EYE_MAPPING);
      expect(r).toEqual({
        ok: false,
        problem: { key: 'too-deep', message: 'message nests deeper than 64 levels' },
      });
    }
  });

  it('still maps a message at the limit and quotes a nested value briefly', () => {
    const r = mapEagleEye(step({ num_running_reqs: deep(62) }), DEFAULT_EAGLE_EYE_MAPPING);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const warning = r.warnings.find((w) => w.key === 'not-number:num_running_reqs');
    expect(warning?.message).toBe(
      `field "num_running_reqs" is ${'{"a":'.repeat(11)}{"..., not a number (for engine.requests.running)`,
    );
  });

  it('checks a mapping nested 100,000 deep without throwing', () => {
    const text = `{"identity":${'['.repeat(100_000)}${']'.repeat(100_000)},"metrics":[]}`;
    const r = parseEagleEyeMapping(text);
    expect(r.ok).toBe(false);
    const flat = checkEagleEyeMapping({ identity: deep(100_000), metrics: deep(100_000) });
    expect(flat.ok).toBe(false);
  });
});

describe('Eagle Eye values that overflow when scaled', () => {
  // Found by eagleEye.fuzz.test.ts: kv_cache_usage × 100 became -Infinity, and the drained
  // metrics message was refused by the wire check.
  it('keeps them as errors with a warning, not as Infinity', () => {
    const r = mapEagleEye(step({ kv_cache_usage: -1.8e306 }), DEFAULT_EAGLE_EYE_MAPPING);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.reading.values.find((v) => v.metric === 'engine.kv_cache.usage')).toEqual({
      metric: 'engine.kv_cache.usage',
      v: null,
      s: 'error',
      raw: '-1.8e+306',
    });
    expect(r.warnings.find((w) => w.key === 'not-number:kv_cache_usage')?.message).toBe(
      'field "kv_cache_usage" is -1.8e+306, not a value that fits when scaled by 100 (for engine.kv_cache.usage)',
    );
  });
});
