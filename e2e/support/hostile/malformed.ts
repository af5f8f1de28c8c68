/**
 * Bodies that are not valid protocol v1 messages, each sent on a well-formed subject so that only
 * the body is wrong: not JSON, too large, the wrong shape, the wrong or no version, numbers JSON
 * cannot carry or carries as strings, nesting 10,000 deep, and prototype keys. A console must
 * count every one as a problem that names what and where, and keep what it already holds.
 */
import { subjectFor } from '../../../collector/core/protocol/subjects.js';
import type { Rng } from '../../../collector/simulator/prng.js';
import { jsonPublication, type Publication } from './publication.js';
import { deviceGrid, inventoryOf, metricsOf, type NodeIdentity } from './wire.js';

/** Above the decoder's 4 MiB limit (collector/core/protocol/decode.ts MAX_MESSAGE_BYTES). */
export const OVERSIZED_BYTES = 5 * 1024 * 1024;

/** `[[[…]]]` or `{"a":{"a":…}}` `depth` levels deep, as text (JSON.stringify would recurse). */
export function nested(depth: number, kind: 'array' | 'object', inner = '0'): string {
  return kind === 'array'
    ? '['.repeat(depth) + inner + ']'.repeat(depth)
    : '{"a":'.repeat(depth) + inner + '}'.repeat(depth);
}

/** Replaces the JSON text of `"marker"` in `json` with raw text (numbers JSON cannot carry). */
function splice(json: string, marker: string, raw: string): string {
  return json.replace(JSON.stringify(marker), raw);
}

export function notJson(id: NodeIdentity, now: number): Publication[] {
  const subject = subjectFor('metrics', id.cluster, id.node);
  const good = JSON.stringify(metricsOf(id, now, 1, []));
  return [
    { subject, data: good.slice(0, good.length / 2), what: 'truncated JSON' },
    { subject, data: '', what: 'empty body' },
    { subject, data: new Uint8Array([0xff, 0xfe, 0x00, 0x80, 0xc3, 0x28]), what: 'invalid UTF-8' },
    { subject, data: "{'v':1}", what: 'single-quoted JSON' },
    { subject, data: good.replace('"seq":1', '"seq":NaN'), what: 'NaN literal' },
    { subject, data: good.replace('"seq":1', '"seq":Infinity'), what: 'Infinity literal' },
    { subject, data: `${good}${good}`, what: 'two messages in one body' },
  ];
}

export function oversized(id: NodeIdentity): Publication[] {
  const subject = subjectFor('metrics', id.cluster, id.node);
  return [{ subject, data: new Uint8Array(OVERSIZED_BYTES).fill(0x20), what: '5 MiB of spaces' }];
}

export function wrongSchema(id: NodeIdentity, now: number, rng: Rng): Publication[] {
  const subject = subjectFor('metrics', id.cluster, id.node);
  const base = metricsOf(id, now, 2, [deviceGrid(id, rng)]);
  const inv = inventoryOf(id, now);
  const invSubject = subjectFor('inventory', id.cluster, id.node);
  return [
    jsonPublication(subject, [base], 'an array, not an object'),
    jsonPublication(subject, 'metrics', 'a string, not an object'),
    jsonPublication(subject, null, 'null'),
    jsonPublication(subject, { ...base, type: 'telemetry' }, 'unknown type'),
    jsonPublication(subject, { ...base, samples: undefined }, 'samples missing'),
    jsonPublication(subject, { ...base, interval: 0 }, 'interval 0'),
    jsonPublication(subject, { ...base, seq: 'two' }, 'seq as a string'),
    jsonPublication(
      subject,
      { ...base, grids: [{ ...base.grids![0]!, v: base.grids![0]!.v.slice(1) }] },
      'a grid one value short',
    ),
    jsonPublication(
      subject,
      { ...base, samples: Array.from({ length: 70_000 }, () => ({ m: 'device.power', v: 1 })) },
      '70,000 samples (over the 65,536 limit)',
    ),
    jsonPublication(
      invSubject,
      { ...inv, devices: [...inv.devices, ...inv.devices].map((d, i) => ({ ...d, index: -i })) },
      'negative device index',
    ),
    jsonPublication(
      invSubject,
      { ...inv, host: { ...inv.host, cpuCores: 'many' } },
      'cpuCores as a string',
    ),
    jsonPublication(invSubject, { ...inv, node: 'x'.repeat(300) }, 'a 300-character node name'),
  ];
}

/**
 * What a newer v1 sender may add (spec.ts evolution rule): unknown fields on the message and on a
 * nested grid. These must be accepted, their unknown fields dropped; they are not malformed.
 */
export function newerSender(id: NodeIdentity, now: number, rng: Rng): Publication[] {
  const subject = subjectFor('metrics', id.cluster, id.node);
  const base = metricsOf(id, now, 2, [deviceGrid(id, rng)]);
  return [
    jsonPublication(subject, { ...base, extra: 1 }, 'an extra top-level field'),
    jsonPublication(
      subject,
      { ...base, grids: [{ ...base.grids![0]!, unit: 'W' }] },
      'an extra field on a grid',
    ),
  ];
}

export function wrongVersion(id: NodeIdentity, now: number, rng: Rng): Publication[] {
  const subject = subjectFor('metrics', id.cluster, id.node);
  const base = metricsOf(id, now, 3, [deviceGrid(id, rng)]);
  return [
    jsonPublication(subject, { ...base, v: 2 }, 'v: 2'),
    jsonPublication(subject, { ...base, v: '1' }, 'v: "1"'),
    jsonPublication(subject, { ...base, v: null }, 'v: null'),
    jsonPublication(subject, { ...base, v: 1.5 }, 'v: 1.5'),
  ];
}

/** Messages without `v` (issue 10: once reported as "protocol version undefined"). */
export function missingVersion(id: NodeIdentity, now: number, rng: Rng): Publication[] {
  const { v: _m, ...metrics } = metricsOf(id, now, 3, [deviceGrid(id, rng)]);
  const { v: _i, ...inventory } = inventoryOf(id, now);
  return [
    jsonPublication(subjectFor('metrics', id.cluster, id.node), metrics, 'metrics without v'),
    jsonPublication(subjectFor('inventory', id.cluster, id.node), inventory, 'inventory without v'),
  ];
}

/** Numbers JSON cannot carry (1e999 parses to Infinity), and numbers sent as strings. */
export function badNumbers(id: NodeIdentity, now: number, rng: Rng): Publication[] {
  const subject = subjectFor('metrics', id.cluster, id.node);
  const grid = deviceGrid(id, rng);
  const out: Publication[] = [];
  const raws = ['1e999', '-1e999', '"42"', '"NaN"', '"Infinity"', '"1e3"', 'true', '[]', '{}'];
  for (const raw of raws) {
    const g = { ...grid, v: grid.v.map((v, i) => (i === 0 ? 'MARK' : v)) };
    const json = JSON.stringify(metricsOf(id, now, 4, [g as never]));
    out.push({ subject, data: splice(json, 'MARK', raw), what: `a grid value ${raw}` });
    const sample = metricsOf(id, now, 4, []);
    sample.samples = [{ m: 'device.power', v: 'MARK' as never, d: id.devices[0]!.id }];
    out.push({
      subject,
      data: splice(JSON.stringify(sample), 'MARK', raw),
      what: `a sample value ${raw}`,
    });
  }
  const ts = JSON.stringify(metricsOf(id, 0, 4, [grid])).replace('"ts":0', '"ts":"MARK"');
  out.push({ subject, data: splice(ts, 'MARK', '"now"'), what: 'ts "now"' });
  out.push({ subject, data: ts.replace('"MARK"', '1e999'), what: 'ts 1e999 (Infinity)' });
  return out;
}

/** 10,000 levels of nesting where a label, a sample and the whole body would be. */
export function deepNesting(id: NodeIdentity, now: number, depth = 10_000): Publication[] {
  const subject = subjectFor('metrics', id.cluster, id.node);
  const json = JSON.stringify(metricsOf(id, now, 5, []));
  return [
    { subject, data: nested(depth, 'array'), what: `an array ${depth} deep` },
    { subject, data: nested(depth, 'object'), what: `an object ${depth} deep` },
    {
      subject,
      data: json.replace(
        '"samples":[]',
        `"samples":[{"m":"device.power","v":1,"l":${nested(depth, 'object', '"x"')}}]`,
      ),
      what: `labels ${depth} deep`,
    },
    {
      subject,
      data: json.replace('"samples":[]', `"samples":${nested(depth, 'array')}`),
      what: `samples ${depth} deep`,
    },
  ];
}

/** `__proto__`, `constructor` and `prototype` as keys, labels and names. */
export function prototypeKeys(id: NodeIdentity, now: number, rng: Rng): Publication[] {
  const subject = subjectFor('metrics', id.cluster, id.node);
  const base = metricsOf(id, now, 6, [deviceGrid(id, rng)]);
  const json = JSON.stringify(base);
  const pollute = '{"polluted":"yes","toString":"x","valueOf":1}';
  return [
    { subject, data: json.replace('{', `{"__proto__":${pollute},`), what: '__proto__ at the top' },
    {
      subject,
      data: json.replace('{', `{"constructor":{"prototype":${pollute}},`),
      what: 'constructor.prototype at the top',
    },
    jsonPublication(
      subject,
      {
        ...base,
        samples: [
          // JSON.parse makes `__proto__` an own key; an object literal would set the prototype.
          {
            m: '__proto__',
            v: 1,
            d: '__proto__',
            l: JSON.parse('{"__proto__":"x","constructor":"y"}'),
          },
          { m: 'constructor', v: 2, d: 'constructor', l: { prototype: 'z', hasOwnProperty: 'w' } },
        ],
      },
      'prototype keys as metric, device and label names (valid)',
    ),
    {
      subject,
      data: JSON.stringify({
        ...base,
        samples: [{ m: 'device.power', v: 1, l: { a: 'b' } }],
      }).replace('"l":{"a":"b"}', `"l":{"__proto__":${pollute}}`),
      what: 'a __proto__ label object',
    },
  ];
}
