/**
 * Eagle Eye variants on `eagle_eye.routing_metrics` (vLLM per-step stats mapped by the default
 * mapping, collector/core/eagleEye/mapping.ts): a good engine that keeps stepping, hostile names
 * in its identity fields, wrong types, nesting 10,000 deep (the mapping threw in Node from 5,000),
 * huge arrays, prototype keys, wild timestamps and bodies over the 64 KB limit.
 */
import { EAGLE_EYE_SUBJECT } from '../../../collector/core/protocol/subjects.js';
import type { Rng } from '../../../collector/simulator/prng.js';
import { nested } from './malformed.js';
import { bidiName, stableMarkupName } from './names.js';
import { jsonPublication, type Publication } from './publication.js';

export const GOOD_EAGLE_ENGINE = 'ee-good-0';
export const GOOD_EAGLE_HOST = 'ee-host-0';

/** One step of an engine, as the default mapping expects it (timestamp in seconds). */
export function eagleStep(
  engine: string,
  host: string,
  model: string,
  nowMs: number,
  rng: Rng,
): Record<string, unknown> {
  const queries = 100 + rng.int(100);
  return {
    engine_id: engine,
    model_name: model,
    hostname: host,
    timestamp: nowMs / 1000,
    num_running_reqs: rng.int(32),
    num_waiting_reqs: rng.int(8),
    kv_cache_usage: rng.next(),
    prefix_cache_stats: { queries, hits: rng.int(queries) },
  };
}

export function goodEagleStep(nowMs: number, rng: Rng): Publication {
  return jsonPublication(
    EAGLE_EYE_SUBJECT,
    eagleStep(GOOD_EAGLE_ENGINE, GOOD_EAGLE_HOST, 'Qwen/Qwen2.5-7B-Instruct', nowMs, rng),
    'a good Eagle Eye step',
  );
}

export function hostileEagleEye(seed: number, nowMs: number, rng: Rng): Publication[] {
  const step = (): Record<string, unknown> => eagleStep('ee-bad', 'ee-bad-host', 'm', nowMs, rng);
  const json = JSON.stringify(step());
  const out: Publication[] = [
    jsonPublication(
      EAGLE_EYE_SUBJECT,
      eagleStep(
        stableMarkupName(seed, 'ee-engine'),
        stableMarkupName(seed, 'ee-host'),
        stableMarkupName(seed, 'ee-model'),
        nowMs,
        rng,
      ),
      'markup in engine, host and model',
    ),
    jsonPublication(
      EAGLE_EYE_SUBJECT,
      eagleStep(bidiName('ee-engine'), bidiName('ee-host'), bidiName('ee-model'), nowMs, rng),
      'bidi in engine, host and model',
    ),
    jsonPublication(
      EAGLE_EYE_SUBJECT,
      { ...step(), num_running_reqs: '12', kv_cache_usage: [0.5] },
      'numbers as a string and an array',
    ),
    jsonPublication(EAGLE_EYE_SUBJECT, { ...step(), hostname: 42 }, 'hostname a number'),
    jsonPublication(EAGLE_EYE_SUBJECT, { ...step(), engine_id: null }, 'engine_id null'),
    jsonPublication(
      EAGLE_EYE_SUBJECT,
      { ...step(), engine_id: { id: 'x' } },
      'engine_id an object',
    ),
    jsonPublication(EAGLE_EYE_SUBJECT, { ...step(), timestamp: 'now' }, 'timestamp a string'),
    jsonPublication(EAGLE_EYE_SUBJECT, { ...step(), timestamp: 1e300 }, 'timestamp 1e300'),
    jsonPublication(EAGLE_EYE_SUBJECT, { ...step(), timestamp: -1 }, 'timestamp negative'),
    jsonPublication(
      EAGLE_EYE_SUBJECT,
      { ...step(), timestamp: nowMs / 1000 + 3600 },
      'timestamp 1 h ahead',
    ),
    jsonPublication(
      EAGLE_EYE_SUBJECT,
      { ...step(), prefix_cache_stats: 'lots' },
      'ratio counts a string',
    ),
    jsonPublication(
      EAGLE_EYE_SUBJECT,
      { ...step(), kv_cache_usage: 1e308, num_running_reqs: -1e308 },
      'huge numbers',
    ),
    jsonPublication(EAGLE_EYE_SUBJECT, [step()], 'an array, not an object'),
    jsonPublication(EAGLE_EYE_SUBJECT, 'step', 'a string'),
    jsonPublication(EAGLE_EYE_SUBJECT, null, 'null'),
    jsonPublication(
      EAGLE_EYE_SUBJECT,
      { ...step(), engine_id: Array.from({ length: 30_000 }, () => 0) },
      'engine_id an array of 30,000',
    ),
    jsonPublication(
      EAGLE_EYE_SUBJECT,
      Array.from({ length: 30_000 }, () => 1),
      'a top-level array of 30,000',
    ),
    { subject: EAGLE_EYE_SUBJECT, data: json.slice(0, 20), what: 'truncated JSON' },
    { subject: EAGLE_EYE_SUBJECT, data: nested(10_000, 'array'), what: 'an array 10,000 deep' },
    { subject: EAGLE_EYE_SUBJECT, data: nested(10_000, 'object'), what: 'an object 10,000 deep' },
    {
      subject: EAGLE_EYE_SUBJECT,
      data: json.replace(
        '"prefix_cache_stats":',
        `"deep":${nested(10_000, 'object')},"prefix_cache_stats":`,
      ),
      what: 'a step with a field 10,000 deep',
    },
    {
      subject: EAGLE_EYE_SUBJECT,
      data: json
        .replace('{', '{"__proto__":{"hostname":"proto-host","engine_id":"proto-engine"},')
        .replace(/"hostname":"ee-bad-host",|"engine_id":"ee-bad",/g, ''),
      what: 'identity only in __proto__',
    },
    {
      subject: EAGLE_EYE_SUBJECT,
      data: json.replace('{', '{"constructor":{"prototype":{"polluted":"yes"}},'),
      what: 'constructor.prototype',
    },
    {
      subject: EAGLE_EYE_SUBJECT,
      data: new Uint8Array(100 * 1024).fill(0x20),
      what: '100 KB body',
    },
  ];
  return out;
}
