/**
 * A hand-written check of the hot message, `metrics`, that answers exactly what
 * `Value.Check(MetricsMessage, value)` answers (spec.ts) at a fraction of its cost: at 512 nodes ×
 * 2 Hz the console validates ~130k samples a second, and TypeBox's interpreting checker takes
 * ~1 ms per 126-sample message there (e2e/bench/ingestMicro.mjs), a whole core.
 *
 * Kept instead of TypeBox's standalone compiled check (compiled/metrics.ts, written at build time
 * by `Code()`, so no `new Function` at run time), which issue 11 would take if it were at least as
 * fast. It is not: `npm run bench:ingest-micro`, both on the same parsed messages in one run, three
 * runs on 2026-12-02 (BENCHMARKS.md), µs per 126-sample message:
 *   grids:   this 1.0 / 1.4 / 1.0, compiled 2.9 / 2.8 / 3.0 (2–3× slower)
 *   samples: this 3.4 / 3.3 / 3.0, compiled 6.2 / 5.9 / 5.5 (~1.8× slower)
 * The compiled code calls a closure per array item (`every`) and builds an entry array per label
 * object (`Object.entries`), where this file loops and reads keys. Inventory and events, rare and
 * unwritten by hand, do use the compiled checks (decode.ts).
 *
 * It mirrors TypeBox 1.4's rules, not JSON Schema's in general: numbers must be finite; string
 * lengths count code points; a required key is looked up with `in`; an optional key holding
 * `undefined` counts as absent; unknown keys are accepted (spec.ts, evolution rule: decode.ts
 * drops them after the check); and label keys are tested
 * against the Record's pattern `^.*$` (Unicode), so a key with a line break is not checked at
 * all. fastValidate.test.ts holds it to Value.Check on valid and mutated messages; change both
 * together with spec.ts.
 */
import type { MetricsMessage } from './spec.js';

const NAME_MAX = 256;
const LABEL_VALUE_MAX = 256;
const RAW_MAX = 256;
const MAX_SAMPLES = 65536;
const MAX_GRIDS = 64;
const MAX_ROWS = 1024;
const MAX_COLS = 256;
const MAX_CELLS = 65536;

const STATUSES = new Set(['unsupported', 'denied', 'error', 'missing', 'deprecated']);
/** The pattern TypeBox builds for Type.Record(Type.String(), …), with its `u` flag. */
const LABEL_KEY = /^.*$/u;

/** True exactly when `Value.Check(MetricsMessage, value)` is. */
export function isMetricsMessage(value: unknown): value is MetricsMessage {
  if (!isPlainObject(value)) return false;
  const x = value as Record<string, unknown>;
  if (
    !('v' in x && 'cluster' in x && 'node' in x && 'ts' in x && 'seq' in x) ||
    !('type' in x && 'interval' in x && 'samples' in x)
  ) {
    return false;
  }
  if (x.v !== 1 || x.type !== 'metrics') return false;
  if (!isName(x.cluster) || !isName(x.node)) return false;
  if (!isMillis(x.ts)) return false;
  const seq = x.seq;
  if (!Number.isInteger(seq) || (seq as number) < 0) return false;
  const interval = x.interval;
  if (!Number.isFinite(interval) || (interval as number) <= 0) return false;
  const samples = x.samples;
  if (!Array.isArray(samples) || samples.length > MAX_SAMPLES) return false;
  for (let i = 0; i < samples.length; i++) {
    if (!isSample(samples[i])) return false;
  }
  const grids = x.grids;
  if (grids === undefined) return true;
  if (!Array.isArray(grids) || grids.length > MAX_GRIDS) return false;
  for (let i = 0; i < grids.length; i++) {
    if (!isGrid(grids[i])) return false;
  }
  return true;
}

function isGrid(value: unknown): boolean {
  if (!isPlainObject(value)) return false;
  const g = value as Record<string, unknown>;
  if (!('rows' in g && 'cols' in g && 'v' in g)) return false;
  const { rows, cols, v } = g;
  if (!Array.isArray(rows) || rows.length > MAX_ROWS) return false;
  for (let i = 0; i < rows.length; i++) {
    if (!isRow(rows[i])) return false;
  }
  if (!Array.isArray(cols) || cols.length > MAX_COLS) return false;
  for (let i = 0; i < cols.length; i++) {
    if (!isColumn(cols[i])) return false;
  }
  if (!Array.isArray(v) || v.length > MAX_CELLS) return false;
  for (let i = 0; i < v.length; i++) {
    const cell: unknown = v[i];
    if (cell !== null && !Number.isFinite(cell)) return false;
  }
  return true;
}

function isRow(value: unknown): boolean {
  if (!isPlainObject(value)) return false;
  const r = value as Record<string, unknown>;
  if (r.d !== undefined && !isName(r.d)) return false;
  if (r.l !== undefined && !isLabels(r.l)) return false;
  return true;
}

function isColumn(value: unknown): boolean {
  if (!isPlainObject(value)) return false;
  const c = value as Record<string, unknown>;
  if (!('m' in c) || !isName(c.m)) return false;
  if (c.l !== undefined && !isLabels(c.l)) return false;
  return true;
}

function isSample(value: unknown): boolean {
  if (!isPlainObject(value)) return false;
  const s = value as Record<string, unknown>;
  if (!('m' in s && 'v' in s)) return false;
  if (!isName(s.m)) return false;
  const v = s.v;
  if (v !== null && !Number.isFinite(v)) return false;
  if (s.d !== undefined && !isName(s.d)) return false;
  if (s.l !== undefined && !isLabels(s.l)) return false;
  if (s.s !== undefined && !(typeof s.s === 'string' && STATUSES.has(s.s))) return false;
  if (s.raw !== undefined && !isText(s.raw, RAW_MAX)) return false;
  if (s.t !== undefined && !isMillis(s.t)) return false;
  return true;
}

function isLabels(value: unknown): boolean {
  if (!isPlainObject(value)) return false;
  const labels = value as Record<string, unknown>;
  // Object.entries, as TypeBox's patternProperties check reads it: own enumerable string keys.
  for (const key of Object.keys(labels)) {
    if (!LABEL_KEY.test(key)) continue;
    if (!isText(labels[key], LABEL_VALUE_MAX)) return false;
  }
  return true;
}

function isPlainObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isMillis(value: unknown): boolean {
  return Number.isFinite(value) && (value as number) >= 0;
}

/** Type.String({ minLength: 1, maxLength: 256 }). */
function isName(value: unknown): boolean {
  return typeof value === 'string' && value.length >= 1 && withinCodePoints(value, NAME_MAX);
}

function isText(value: unknown, max: number): boolean {
  return typeof value === 'string' && withinCodePoints(value, max);
}

/** Length in code points ≤ max: a UTF-16 string holds at most twice as many units as points. */
function withinCodePoints(value: string, max: number): boolean {
  if (value.length <= max) return true;
  if (value.length > 2 * max) return false;
  return codePointCount(value) <= max;
}

/** UTF-16 units, counting a high surrogate followed by a low one as one. */
export function codePointCount(value: string): number {
  let count = 0;
  let prevHigh = false;
  for (let i = 0; i < value.length; i++) {
    const unit = value.charCodeAt(i);
    const low = unit >= 0xdc00 && unit <= 0xdfff;
    if (!(prevHigh && low)) count += 1;
    prevHigh = unit >= 0xd800 && unit <= 0xdbff;
  }
  return count;
}
