/**
 * The one decoder for every transport (collector WebSocket, NATS, snapshot files): bytes or text in,
 * a validated wire message or a problem that names what is wrong and where out. It never throws, so
 * one bad message cannot stop the stream around it. It applies the evolution rule of spec.ts:
 * unknown fields are accepted and dropped, an unknown type is a problem of kind `unknown-type`
 * that names the type, for the reader to count and skip.
 */
import Value from 'typebox/value';

import { oversizedArray } from './arrayBounds.js';
import { COMPILED_CHECKS } from './compiled/check.js';
import { isMetricsMessage } from './fastValidate.js';
import { gridShapeProblem } from './grids.js';
import {
  MESSAGE_SCHEMAS,
  PROTOCOL_VERSION,
  type MessageType,
  type MetricsMessage,
  type WireMessage,
} from './spec.js';
import { cut } from './text.js';
import { dropUnknownFields } from './unknownFields.js';

/** Messages larger than this are refused before parsing (a metrics batch of 8 devices is ~10 KB). */
export const MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

export type DecodeProblemKind =
  'oversized' | 'not-json' | 'unknown-type' | 'wrong-version' | 'schema';

export interface DecodeProblem {
  kind: DecodeProblemKind;
  /** Human-readable, names the field path when the schema failed, e.g. "/samples/3/v: must be number". */
  message: string;
  /**
   * For `unknown-type`: the type the sender named (cut to 40 characters), so a reader can count
   * each unknown type on its own line. Not an error of the sender: a newer one may send types this
   * version does not know (spec.ts, evolution rule), so readers count and skip them.
   */
  messageType?: string;
}

export type DecodeResult =
  | {
      ok: true;
      message: WireMessage;
      /** Unknown fields dropped from the message (spec.ts, evolution rule); absent when none. */
      droppedFields?: number;
    }
  | { ok: false; problem: DecodeProblem };

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
  if (type === undefined) return fail('schema', '/type: missing message type');
  if (typeof type !== 'string') {
    return fail('schema', `/type: message type is ${showValue(type)}, not a string`);
  }
  if (!Object.hasOwn(MESSAGE_SCHEMAS, type)) {
    const named = cut(type, SHOWN_VALUE_CHARS);
    return {
      ok: false,
      problem: {
        kind: 'unknown-type',
        message: `unknown message type ${JSON.stringify(named)}, skipped (a newer sender?)`,
        messageType: named,
      },
    };
  }
  const schema = MESSAGE_SCHEMAS[type as keyof typeof MESSAGE_SCHEMAS];
  // Metrics are nearly all the traffic: their hand-written check answers as Value.Check does and
  // is faster than TypeBox's compiled one (fastValidate.ts, with the numbers); inventory and
  // events take the compiled check (~1 µs for an 8-device inventory where Value.Check took ~95).
  // TypeBox's interpreter still describes what failed.
  const valid =
    type === 'metrics' ? isMetricsMessage(value) : COMPILED_CHECKS[type as MessageType](value);
  if (!valid) {
    const oversized = oversizedArray(schema, value);
    return fail('schema', `${type}: ${oversized ?? describeErrors(schema, value)}`);
  }
  const shape = type === 'metrics' ? gridShapeProblem(value as MetricsMessage) : undefined;
  if (shape !== undefined) return fail('schema', `metrics: ${shape}`);
  const droppedFields = dropUnknownFields(schema, value);
  return droppedFields === 0
    ? { ok: true, message: value as WireMessage }
    : { ok: true, message: value as WireMessage, droppedFields };
}

/** Errors read from TypeBox per message: enough to name the first few, bounded for a 65,536-sample bomb. */
const MAX_ERRORS_READ = 256;
/** The longest path quoted (a key may be 4 MB long). */
const SHOWN_PATH_CHARS = 120;

function describeErrors(
  schema: (typeof MESSAGE_SCHEMAS)[keyof typeof MESSAGE_SCHEMAS],
  value: unknown,
): string {
  const found: { path: string; detail: string }[] = [];
  let read = 0;
  let truncated = false;
  for (const error of Value.Errors(schema, value)) {
    if (++read > MAX_ERRORS_READ) {
      truncated = true;
      break;
    }
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
    found.push({ path, detail: error.message });
  }
  const shown = found.slice(0, 3).map((f) => `${cut(f.path, SHOWN_PATH_CHARS)}: ${f.detail}`);
  const hidden = found.length - shown.length;
  const more = truncated ? ' (and more)' : hidden > 0 ? ` (and ${hidden} more)` : '';
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
  if (typeof value === 'string') return JSON.stringify(cut(value, SHOWN_VALUE_CHARS));
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  if (typeof value === 'object') return 'an object';
  return String(value);
}

function fail(kind: DecodeProblemKind, message: string): DecodeResult {
  return { ok: false, problem: { kind, message } };
}
