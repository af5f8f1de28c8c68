/**
 * Fault schedules and commands as people write them:
 *
 *   at=30s node=node-005 device=2 kind=xid79; at=60s node=node-010 kind=thermal duration=30s
 *
 * or the same as JSON (`[{"at": "30s", "node": "node-005", "device": 2, "kind": "xid79"}]`; numbers
 * for `at`/`duration` are seconds). A runtime command is one entry without `at`. Leaving out
 * `device` means every device of the node. Pure: errors name the entry and the field.
 */
import { normalizeAscendCode } from '../core/diagnosis/ascendFaultCodes.js';

export const FAULT_KINDS = ['xid79', 'xid48', 'thermal', 'power', 'npu-fault', 'reset'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

const ALIASES: Readonly<Record<string, FaultKind>> = {
  xid79: 'xid79',
  'xid-79': 'xid79',
  xid48: 'xid48',
  'xid-48': 'xid48',
  ecc: 'xid48',
  thermal: 'thermal',
  power: 'power',
  'power-cap': 'power',
  npu: 'npu-fault',
  'npu-fault': 'npu-fault',
  'npu-alarm': 'npu-fault',
  reset: 'reset',
};

export interface FaultCommand {
  kind: FaultKind;
  node: string;
  device?: number;
  durationMs?: number;
  /** npu-fault: the Ascend fault code, `0x` + hex. */
  code?: string;
}

export interface ScheduledFault extends FaultCommand {
  atMs: number;
}

export class FaultSpecError extends Error {}

/** `30s`, `1.5m`, `500ms`, `1h`, or a bare number of seconds → milliseconds. */
export function parseDuration(value: string | number, what = 'duration'): number {
  if (typeof value === 'number') {
    if (Number.isFinite(value) && value >= 0) return Math.round(value * 1000);
    throw new FaultSpecError(`${what} ${value} is not a non-negative number of seconds`);
  }
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/.exec(value);
  if (!m) throw new FaultSpecError(`${what} "${value}" is not a duration (e.g. 30s, 2m, 500ms)`);
  const n = Number(m[1]);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] ?? 's']!;
  return Math.round(n * unit);
}

/** A schedule: JSON (array or one object) or the inline `key=value …; …` form. */
export function parseFaultSchedule(text: string): ScheduledFault[] {
  const trimmed = text.trim();
  if (trimmed === '') return [];
  const entries =
    trimmed.startsWith('[') || trimmed.startsWith('{')
      ? jsonEntries(trimmed)
      : inlineEntries(trimmed);
  return entries
    .map(([where, fields]) => {
      const command = toCommand(fields, where);
      if (fields.at === undefined)
        throw new FaultSpecError(`${where}: missing at= (when to inject it)`);
      return { ...command, atMs: parseDuration(fields.at, `${where}: at`) };
    })
    .sort((a, b) => a.atMs - b.atMs);
}

/** One runtime command: a JSON object or one inline entry, without `at`. */
export function parseFaultCommand(text: string): FaultCommand {
  const trimmed = text.trim();
  const entries = trimmed.startsWith('{') ? jsonEntries(trimmed) : inlineEntries(trimmed);
  if (entries.length !== 1) {
    throw new FaultSpecError(
      `expected one command, got ${entries.length}: "${trimmed.slice(0, 80)}"`,
    );
  }
  const [where, fields] = entries[0]!;
  return toCommand(fields, where);
}

type Fields = Record<string, string | number | undefined>;

function inlineEntries(text: string): [string, Fields][] {
  return text
    .split(/[;\n]/)
    .map((s) => s.trim())
    .filter((s) => s !== '' && !s.startsWith('#'))
    .map((entry, i) => {
      const where = `fault ${i + 1} ("${entry.slice(0, 60)}")`;
      const fields: Fields = {};
      for (const token of entry.split(/\s+/)) {
        const eq = token.indexOf('=');
        if (eq <= 0) throw new FaultSpecError(`${where}: "${token}" is not key=value`);
        fields[token.slice(0, eq)] = token.slice(eq + 1);
      }
      return [where, fields];
    });
}

function jsonEntries(text: string): [string, Fields][] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new FaultSpecError(`fault JSON does not parse: ${(error as Error).message}`);
  }
  const list = Array.isArray(parsed) ? parsed : [parsed];
  return list.map((item, i) => {
    const where = `fault ${i + 1}`;
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      throw new FaultSpecError(`${where}: not a JSON object`);
    }
    const fields: Fields = {};
    for (const [k, v] of Object.entries(item as Record<string, unknown>)) {
      if (typeof v !== 'string' && typeof v !== 'number') {
        throw new FaultSpecError(`${where}: ${k} must be a string or a number`);
      }
      fields[k] = v;
    }
    return [where, fields];
  });
}

const KNOWN_FIELDS = new Set(['at', 'node', 'device', 'kind', 'duration', 'code']);

function toCommand(f: Fields, where: string): FaultCommand {
  for (const k of Object.keys(f)) {
    if (!KNOWN_FIELDS.has(k)) {
      throw new FaultSpecError(
        `${where}: unknown field "${k}" (expected ${[...KNOWN_FIELDS].join(', ')})`,
      );
    }
  }
  const kind = ALIASES[String(f.kind ?? '').toLowerCase()];
  if (!kind) {
    throw new FaultSpecError(
      `${where}: kind "${f.kind ?? ''}" is not one of ${FAULT_KINDS.join(', ')}`,
    );
  }
  if (f.node === undefined || String(f.node) === '')
    throw new FaultSpecError(`${where}: missing node=`);
  const out: FaultCommand = { kind, node: String(f.node) };
  if (f.device !== undefined) {
    const d = Number(f.device);
    if (!Number.isInteger(d) || d < 0) {
      throw new FaultSpecError(`${where}: device "${f.device}" is not a device index`);
    }
    out.device = d;
  }
  if (f.duration !== undefined) {
    out.durationMs = parseDuration(f.duration, `${where}: duration`);
    if (kind === 'xid79') {
      throw new FaultSpecError(`${where}: xid79 lasts until kind=reset; it takes no duration`);
    }
  }
  if (f.code !== undefined) {
    const code = normalizeAscendCode(String(f.code));
    if (kind !== 'npu-fault') throw new FaultSpecError(`${where}: code= is only for npu-fault`);
    if (!code) throw new FaultSpecError(`${where}: code "${f.code}" is not a hex fault code`);
    out.code = code;
  }
  return out;
}
