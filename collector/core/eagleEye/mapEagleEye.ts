/**
 * One Eagle Eye message (already parsed JSON) → one engine's reading: who (node, engine, model),
 * when, and each mapped metric's value or why it has none. Pure; never throws. A message without
 * its identity is refused with a problem naming the field; a missing or non-numeric metric field
 * becomes an absent value (never 0) plus a warning, so a wrong mapping shows up as problems while
 * the rest of the message is still used.
 */
import { jsonDepthExceeds, jsonPrefix, MAX_JSON_DEPTH } from '../boundedJson.js';
import type { SampleStatus } from '../protocol/spec.js';
import type { EagleEyeMapping } from './mapping.js';

export interface ReadingValue {
  metric: string;
  /** Already scaled into the metric's unit; null when the message gave no number. */
  v: number | null;
  s?: SampleStatus;
  raw?: string;
}

/** Counts to be summed over a window before dividing (ratio rules). */
export interface ReadingRatio {
  metric: string;
  numerator: number;
  denominator: number;
  scale: number;
}

export interface EagleEyeReading {
  node: string;
  engine: string;
  model?: string;
  /** From the mapping's cluster field, when it has one and the message carries it. */
  cluster?: string;
  /** The step's time on the sender's clock (ms), when the message says. */
  ts?: number;
  values: ReadingValue[];
  ratios: ReadingRatio[];
}

export interface MappingWarning {
  /** Groups repeats: the field and what is wrong with it, without the value. */
  key: string;
  message: string;
}

export type EagleEyeResult =
  | { ok: true; reading: EagleEyeReading; warnings: MappingWarning[] }
  | { ok: false; problem: MappingWarning };

/** Wire names are at most 256 characters (protocol/spec.ts Name). */
const MAX_NAME = 256;

/** The value at a dotted path, or undefined when any step is missing. */
export function valueAt(message: unknown, path: string): unknown {
  let current: unknown = message;
  for (const step of path.split('.')) {
    if (typeof current !== 'object' || current === null) return undefined;
    if (!Object.hasOwn(current, step)) return undefined;
    current = (current as Record<string, unknown>)[step];
  }
  return current;
}

export function mapEagleEye(message: unknown, mapping: EagleEyeMapping): EagleEyeResult {
  if (typeof message !== 'object' || message === null || Array.isArray(message)) {
    return refuse('not-object', 'message is not a JSON object');
  }
  // Refused before any field is read or quoted: deeper JSON is no Eagle Eye step, and a value
  // nested ~5,000 deep made preview()'s JSON.stringify throw RangeError out of this function.
  if (jsonDepthExceeds(message, MAX_JSON_DEPTH)) {
    return refuse('too-deep', `message nests deeper than ${MAX_JSON_DEPTH} levels`);
  }
  const { identity } = mapping;
  const node = nameAt(message, identity.node);
  if (typeof node !== 'string') return refuse(`identity:${identity.node}`, `node ${node.error}`);
  const engine = nameAt(message, identity.engine);
  if (typeof engine !== 'string') {
    return refuse(`identity:${identity.engine}`, `engine ${engine.error}`);
  }
  const reading: EagleEyeReading = { node, engine, values: [], ratios: [] };
  const warnings: MappingWarning[] = [];
  const optional = (path: string | undefined, what: string): string | undefined => {
    if (path === undefined) return undefined;
    const name = nameAt(message, path);
    if (typeof name === 'string') return name;
    warnings.push({ key: `identity:${path}`, message: `${what} ${name.error}` });
    return undefined;
  };
  const model = optional(identity.model, 'model');
  if (model !== undefined) reading.model = model;
  const cluster = optional(identity.cluster, 'cluster');
  if (cluster !== undefined) reading.cluster = cluster;
  if (identity.timestamp !== undefined) {
    const ts = valueAt(message, identity.timestamp);
    const ms = typeof ts === 'number' ? ts * (mapping.timestampUnit === 'ms' ? 1 : 1000) : NaN;
    if (Number.isFinite(ms) && ms > 0) reading.ts = ms;
    else if (ts !== undefined) {
      warnings.push({
        key: `timestamp:${identity.timestamp}`,
        message: `field "${identity.timestamp}" is ${preview(ts)}, not a time; using the arrival time`,
      });
    }
  }

  for (const rule of mapping.metrics) {
    const scale = rule.scale ?? 1;
    if (rule.path !== undefined) {
      const raw = valueAt(message, rule.path);
      if (typeof raw === 'number' && Number.isFinite(raw) && Number.isFinite(raw * scale)) {
        reading.values.push({ metric: rule.metric, v: raw * scale });
      } else if (raw === undefined || raw === null) {
        reading.values.push({ metric: rule.metric, v: null, s: 'missing' });
        warnings.push(missing(rule.path, rule.metric));
      } else {
        reading.values.push({ metric: rule.metric, v: null, s: 'error', raw: preview(raw) });
        // A finite number whose scaled value overflows (-1.8e306 × 100) is not a reading either:
        // Infinity would make the console refuse the whole message (found by the fuzz test).
        warnings.push(
          typeof raw === 'number' && Number.isFinite(raw)
            ? notNumber(rule.path, rule.metric, raw, `a value that fits when scaled by ${scale}`)
            : notNumber(rule.path, rule.metric, raw),
        );
      }
    } else if (rule.ratio !== undefined) {
      const { numerator, denominator } = rule.ratio;
      const num = valueAt(message, numerator);
      const den = valueAt(message, denominator);
      const bad = [
        [numerator, num],
        [denominator, den],
      ].find(([, v]) => typeof v !== 'number' || !Number.isFinite(v) || v < 0);
      if (bad) {
        const [path, value] = bad as [string, unknown];
        warnings.push(
          value === undefined || value === null
            ? missing(path, rule.metric)
            : notNumber(path, rule.metric, value, 'a count'),
        );
      } else {
        reading.ratios.push({
          metric: rule.metric,
          numerator: num as number,
          denominator: den as number,
          scale,
        });
      }
    }
  }
  return { ok: true, reading, warnings };
}

function nameAt(message: unknown, path: string): string | { error: string } {
  const value = valueAt(message, path);
  if (value === undefined || value === null) return { error: `field "${path}" is missing` };
  const name = typeof value === 'number' && Number.isFinite(value) ? String(value) : value;
  if (typeof name !== 'string' || name.trim() === '') {
    return { error: `field "${path}" is ${preview(value)}, not a name` };
  }
  if (name.length > MAX_NAME) {
    return { error: `field "${path}" is longer than ${MAX_NAME} characters` };
  }
  return name;
}

function missing(path: string, metric: string): MappingWarning {
  return { key: `missing:${path}`, message: `no field "${path}" (for ${metric})` };
}

function notNumber(
  path: string,
  metric: string,
  value: unknown,
  what = 'a number',
): MappingWarning {
  return {
    key: `not-number:${path}`,
    message: `field "${path}" is ${preview(value)}, not ${what} (for ${metric})`,
  };
}

function refuse(key: string, message: string): EagleEyeResult {
  return { ok: false, problem: { key, message } };
}

/** A short, safe rendering of a wire value for a message (no recursion, whatever the nesting). */
function preview(value: unknown): string {
  const text = jsonPrefix(value, 61);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
