/**
 * The one decoder for every transport (collector WebSocket, NATS, snapshot files): bytes or text in,
 * a validated wire message or a problem that names what is wrong and where out. It never throws, so
 * one bad message cannot stop the stream around it.
 */
import Value from 'typebox/value';

import { isMetricsMessage } from './fastValidate.js';
import { gridShapeProblem } from './grids.js';
import {
  MESSAGE_SCHEMAS,
  PROTOCOL_VERSION,
  type MetricsMessage,
  type WireMessage,
} from './spec.js';

/** Messages larger than this are refused before parsing (a metrics batch of 8 devices is ~10 KB). */
export const MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

export type DecodeProblemKind =
  'oversized' | 'not-json' | 'unknown-type' | 'wrong-version' | 'schema';

export interface DecodeProblem {
  kind: DecodeProblemKind;
  /** Human-readable, names the field path when the schema failed, e.g. "/samples/3/v: must be number". */
  message: string;
}

export type DecodeResult =
  { ok: true; message: WireMessage } | { ok: false; problem: DecodeProblem };

const utf8 = new TextDecoder('utf-8', { fatal: false });

/** Decode one message. `text` may be a string or the raw bytes of a NATS payload. */
export function decodeMessage(text: string | Uint8Array): DecodeResult {
  const size = typeof text === 'string' ? text.length : text.byteLength;
  if (size > MAX_MESSAGE_BYTES) {
    return fail(
      'oversized',
      `message of ${size} bytes exceeds the ${MAX_MESSAGE_BYTES}-byte limit`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(typeof text === 'string' ? text : utf8.decode(text));
  } catch (error) {
    return fail('not-json', `not JSON: ${(error as Error).message}`);
  }
  return validateMessage(parsed);
}

/** Validate an already-parsed value as a wire message. */
export function validateMessage(value: unknown): DecodeResult {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return fail('schema', 'message is not a JSON object');
  }
  const record = value as Record<string, unknown>;
  if (!Object.hasOwn(record, 'v')) {
    return fail('wrong-version', `missing protocol version \`v\` (expected ${PROTOCOL_VERSION})`);
  }
  if (record.v !== PROTOCOL_VERSION) {
    return fail(
      'wrong-version',
      `protocol version ${showValue(record.v)} is not supported (this console reads ${PROTOCOL_VERSION})`,
    );
  }
  const type = record.type;
  if (typeof type !== 'string' || !Object.hasOwn(MESSAGE_SCHEMAS, type)) {
    return fail(
      'unknown-type',
      type === undefined
        ? 'missing message type `type`'
        : `unknown message type ${showValue(type)}`,
    );
  }
  const schema = MESSAGE_SCHEMAS[type as keyof typeof MESSAGE_SCHEMAS];
  // Metrics are nearly all the traffic: their hand-written check answers as Value.Check does,
  // ~30× faster (fastValidate.ts); TypeBox still describes what failed.
  const valid = type === 'metrics' ? isMetricsMessage(value) : Value.Check(schema, value);
  if (!valid) return fail('schema', `${type}: ${describeErrors(schema, value)}`);
  const shape = type === 'metrics' ? gridShapeProblem(value as MetricsMessage) : undefined;
  if (shape !== undefined) return fail('schema', `metrics: ${shape}`);
  return { ok: true, message: value as WireMessage };
}

function describeErrors(
  schema: (typeof MESSAGE_SCHEMAS)[keyof typeof MESSAGE_SCHEMAS],
  value: unknown,
): string {
  const found: { path: string; detail: string }[] = [];
  for (const error of Value.Errors(schema, value)) {
    // TypeBox reports the failing `false` sub-schema of additionalProperties as a second error; the
    // additionalProperties error that follows already names the field.
    if (error.keyword === 'boolean') continue;
    const path = error.instancePath || '/';
    if (error.keyword === 'anyOf') {
      // A union reports each branch, then the union: "must be number", "must be null", "must
      // match a schema in anyOf". Say it once: "must be number or null".
      const branches = found.filter((f) => f.path === path && f.detail.startsWith('must be '));
      if (branches.length > 1) {
        const merged = `must be ${branches.map((b) => b.detail.slice('must be '.length)).join(' or ')}`;
        for (const b of branches) found.splice(found.indexOf(b), 1);
        found.push({ path, detail: merged });
        continue;
      }
    }
    const detail =
      error.keyword === 'additionalProperties'
        ? `unexpected field(s) ${JSON.stringify((error.params as { additionalProperties: string[] }).additionalProperties)}`
        : error.message;
    found.push({ path, detail });
  }
  const shown = found.slice(0, 3).map((f) => `${f.path}: ${f.detail}`);
  const more = found.length > shown.length ? ` (and ${found.length - shown.length} more)` : '';
  return shown.join('; ') + more;
}

/** Longest excerpt of a sender's value quoted in a problem (problems are shown and counted by text). */
const SHOWN_VALUE_CHARS = 40;

/**
 * A short, safe rendering of a value the sender put where a version or type belongs. Never
 * JSON.stringify a sender's object here: it recurses, and `{"v":[[[…]]]}` nested 10^5 deep (which
 * JSON.parse accepts) would throw RangeError out of a decoder that must not throw.
 */
function showValue(value: unknown): string {
  if (typeof value === 'string') {
    const cut = value.length > SHOWN_VALUE_CHARS ? `${value.slice(0, SHOWN_VALUE_CHARS)}…` : value;
    return JSON.stringify(cut);
  }
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  if (typeof value === 'object') return 'an object';
  return String(value);
}

function fail(kind: DecodeProblemKind, message: string): DecodeResult {
  return { ok: false, problem: { kind, message } };
}
