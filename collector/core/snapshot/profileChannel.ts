/**
 * Profiles in a snapshot: a profile the console took or opened while recording is one message on
 * its own channel, `osprey.profile` (JSON: where it came from and the ProfileSet), in a chunk of
 * its own, with an `osprey.profile` metadata record pointing at that chunk so a reader finds every
 * profile without inflating the recording's chunks, even in a file killed mid-write (read by
 * scanning). The channel is written only when a profile is: a file without profiles is byte for
 * byte what it was before, and a reader that predates this channel opens a file with one and
 * notes the channel as ignored (SnapshotReader's checkChannels), its messages unread.
 */
import {
  MAX_PROFILE_BYTES,
  type Frame,
  type FrameKind,
  type Measure,
  type Profile,
  type ProfileFormat,
  type ProfileMeta,
  type ProfileSet,
  type WeightUnit,
} from '../profile/model.js';

export const PROFILE_TOPIC = 'osprey.profile';
/** The metadata record naming each profile's chunk: offset, length, time, name. */
export const PROFILE_INDEX_NAME = 'osprey.profile';
export const PROFILE_MESSAGE_VERSION = 1;

/**
 * A message is at most this many bytes of JSON: a chunk may hold 64 MiB (MAX_RECORD_BYTES) and a
 * reader refuses more. Past it, samples on the same stack are summed (totals stay exact); a
 * profile still too big is refused with a message.
 */
export const MAX_PROFILE_MESSAGE_BYTES = 48 * 1024 * 1024;

/** Where a recorded profile came from. */
export interface RecordedProfileOrigin {
  /** How it reached the console: a capture (node, pid, tool) or a file opened. */
  readonly kind: 'capture' | 'file' | 'recording';
  readonly node?: string | undefined;
  readonly cluster?: string | undefined;
  readonly pid?: number | undefined;
  readonly tool?: string | undefined;
  readonly connection?: string | undefined;
  /** When it was added to the console's list (store clock, ms since the epoch). */
  readonly timeMs: number;
}

export interface ProfileMessage {
  readonly v: typeof PROFILE_MESSAGE_VERSION;
  readonly origin: RecordedProfileOrigin;
  readonly set: ProfileSet;
}

/** The channel's JSON Schema, stored in the file as the schema record's data. */
export const PROFILE_SCHEMA = {
  $id: PROFILE_TOPIC,
  type: 'object',
  required: ['v', 'origin', 'set'],
  properties: {
    v: { const: PROFILE_MESSAGE_VERSION },
    origin: {
      type: 'object',
      required: ['kind', 'timeMs'],
      properties: {
        kind: { enum: ['capture', 'file', 'recording'] },
        node: { type: 'string' },
        cluster: { type: 'string' },
        pid: { type: 'integer' },
        tool: { type: 'string' },
        connection: { type: 'string' },
        timeMs: { type: 'number' },
      },
    },
    set: {
      type: 'object',
      description: 'collector/core/profile/model.ts ProfileSet',
      required: ['format', 'name', 'profiles', 'meta', 'warnings'],
    },
  },
} as const;

const utf8 = new TextEncoder();

/** The message's bytes; samples on one stack are summed first if the profile is too big. */
export function encodeProfileMessage(set: ProfileSet, origin: RecordedProfileOrigin): Uint8Array {
  const message = (s: ProfileSet): ProfileMessage => ({
    v: PROFILE_MESSAGE_VERSION,
    origin,
    set: s,
  });
  let bytes = utf8.encode(JSON.stringify(message(set)));
  if (bytes.length <= MAX_PROFILE_MESSAGE_BYTES) return bytes;
  bytes = utf8.encode(JSON.stringify(message(summedByStack(set))));
  if (bytes.length <= MAX_PROFILE_MESSAGE_BYTES) return bytes;
  throw new Error(
    `profile "${set.name}" is ${(bytes.length / 2 ** 20).toFixed(0)} MiB as JSON even with its ` +
      `samples summed per stack; a snapshot keeps profiles up to ${MAX_PROFILE_MESSAGE_BYTES / 2 ** 20} MiB`,
  );
}

/** One sample per unique stack, weights and counts summed: the same tree, no time order. */
export function summedByStack(set: ProfileSet): ProfileSet {
  return {
    ...set,
    warnings: [...set.warnings, 'samples on the same stack were summed to fit the snapshot'],
    profiles: set.profiles.map((p) => {
      const weights = new Float64Array(p.stacks.length);
      const counts = new Float64Array(p.stacks.length);
      for (let i = 0; i < p.sampleStacks.length; i++) {
        const s = p.sampleStacks[i]!;
        weights[s]! += p.weights[i]!;
        counts[s]! += p.counts ? p.counts[i]! : 1;
      }
      const used: number[] = [];
      for (let s = 0; s < p.stacks.length; s++)
        if (counts[s]! > 0 || weights[s]! !== 0) used.push(s);
      return {
        ...p,
        sampleStacks: used,
        weights: used.map((s) => weights[s]!),
        counts: used.map((s) => counts[s]!),
      };
    }),
  };
}

const FORMATS: readonly ProfileFormat[] = [
  'folded',
  'perf-script',
  'speedscope',
  'pprof',
  'pyroscope',
  'austin',
  'chrome-trace',
];
const KINDS: readonly FrameKind[] = [
  'python',
  'native',
  'kernel',
  'cuda-kernel',
  'jit',
  'gpu-op',
  'other',
];
const UNITS: readonly WeightUnit[] = ['samples', 'nanoseconds', 'bytes', 'count'];
const MEASURES: readonly Measure[] = ['cpu', 'wall', 'gpu', 'alloc', 'other'];
const ORIGIN_KINDS: readonly RecordedProfileOrigin['kind'][] = ['capture', 'file', 'recording'];

/** Thrown for a message that is not a profile this reader can trust; says where it is wrong. */
class Invalid extends Error {}

type Json = Record<string, unknown>;

function obj(v: unknown, at: string): Json {
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    throw new Invalid(`${at}: not an object`);
  return v as Json;
}

function str(v: unknown, at: string): string {
  if (typeof v !== 'string') throw new Invalid(`${at}: not a string`);
  return v;
}

function optStr(v: unknown, at: string): string | undefined {
  return v === undefined ? undefined : str(v, at);
}

function num(v: unknown, at: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new Invalid(`${at}: not a finite number`);
  return v;
}

function optNum(v: unknown, at: string): number | undefined {
  return v === undefined ? undefined : num(v, at);
}

function oneOf<T extends string>(v: unknown, list: readonly T[], at: string): T {
  if (!list.includes(v as T)) {
    throw new Invalid(`${at}: ${JSON.stringify(v)?.slice(0, 40)} is not one of ${list.join(', ')}`);
  }
  return v as T;
}

function arr(v: unknown, at: string): unknown[] {
  if (!Array.isArray(v)) throw new Invalid(`${at}: not an array`);
  return v;
}

/** Integers in [0, bound): indices into frames or stacks. */
function indices(v: unknown, bound: number, at: string): number[] {
  const a = arr(v, at);
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    if (typeof x !== 'number' || !Number.isInteger(x) || x < 0 || x >= bound) {
      throw new Invalid(`${at}[${i}]: not an index below ${bound}`);
    }
  }
  return a as number[];
}

function numbers(v: unknown, length: number, at: string): number[] {
  const a = arr(v, at);
  if (a.length !== length) throw new Invalid(`${at}: ${a.length} values for ${length} samples`);
  for (let i = 0; i < a.length; i++) {
    if (typeof a[i] !== 'number' || !Number.isFinite(a[i])) {
      throw new Invalid(`${at}[${i}]: not a finite number`);
    }
  }
  return a as number[];
}

function frame(v: unknown, at: string): Frame {
  const f = obj(v, at);
  return {
    name: str(f.name, `${at}.name`),
    file: optStr(f.file, `${at}.file`),
    line: optNum(f.line, `${at}.line`),
    module: optStr(f.module, `${at}.module`),
    kind: oneOf(f.kind, KINDS, `${at}.kind`),
  };
}

function profile(v: unknown, at: string): Profile {
  const p = obj(v, at);
  const frames = arr(p.frames, `${at}.frames`).map((f, i) => frame(f, `${at}.frames[${i}]`));
  const stacks = arr(p.stacks, `${at}.stacks`).map((s, i) =>
    indices(s, frames.length, `${at}.stacks[${i}]`),
  );
  const sampleStacks = indices(p.sampleStacks, stacks.length, `${at}.sampleStacks`);
  const n = sampleStacks.length;
  let labels: Record<string, string> | undefined;
  if (p.labels !== undefined) {
    labels = {};
    for (const [k, value] of Object.entries(obj(p.labels, `${at}.labels`))) {
      labels[k] = str(value, `${at}.labels.${k}`);
    }
  }
  return {
    name: str(p.name, `${at}.name`),
    unit: oneOf(p.unit, UNITS, `${at}.unit`),
    measure: oneOf(p.measure, MEASURES, `${at}.measure`),
    frames,
    stacks,
    sampleStacks,
    weights: numbers(p.weights, n, `${at}.weights`),
    counts: p.counts === undefined ? undefined : numbers(p.counts, n, `${at}.counts`),
    labels,
  };
}

function meta(v: unknown, at: string): ProfileMeta {
  const m = obj(v, at);
  return {
    source: optStr(m.source, `${at}.source`),
    durationNs: optNum(m.durationNs, `${at}.durationNs`),
    rateHz: optNum(m.rateHz, `${at}.rateHz`),
    startMs: optNum(m.startMs, `${at}.startMs`),
    sampleTypes:
      m.sampleTypes === undefined
        ? undefined
        : arr(m.sampleTypes, `${at}.sampleTypes`).map((s, i) => str(s, `${at}.sampleTypes[${i}]`)),
  };
}

/** A ProfileSet from untrusted JSON: every index in range, every weight finite, or why not. */
export function validateProfileSet(v: unknown, at = 'set'): ProfileSet {
  const s = obj(v, at);
  return {
    format: oneOf(s.format, FORMATS, `${at}.format`),
    name: str(s.name, `${at}.name`),
    profiles: arr(s.profiles, `${at}.profiles`).map((p, i) => profile(p, `${at}.profiles[${i}]`)),
    meta: meta(s.meta, `${at}.meta`),
    warnings: arr(s.warnings, `${at}.warnings`).map((w, i) => str(w, `${at}.warnings[${i}]`)),
  };
}

function origin(v: unknown): RecordedProfileOrigin {
  const o = obj(v, 'origin');
  const pid = optNum(o.pid, 'origin.pid');
  return {
    kind: oneOf(o.kind, ORIGIN_KINDS, 'origin.kind'),
    node: optStr(o.node, 'origin.node'),
    cluster: optStr(o.cluster, 'origin.cluster'),
    pid,
    tool: optStr(o.tool, 'origin.tool'),
    connection: optStr(o.connection, 'origin.connection'),
    timeMs: num(o.timeMs, 'origin.timeMs'),
  };
}

const decoder = new TextDecoder('utf-8', { fatal: true });

/** A message's bytes as a profile, or what is wrong with them (the reader reports it, skips it). */
export function decodeProfileMessage(bytes: Uint8Array): ProfileMessage | string {
  if (bytes.length > MAX_PROFILE_BYTES) return `${bytes.length} bytes is over the profile limit`;
  let value: unknown;
  try {
    value = JSON.parse(decoder.decode(bytes));
  } catch (error) {
    return `not JSON: ${(error as Error).message}`;
  }
  try {
    const m = obj(value, 'message');
    if (m.v !== PROFILE_MESSAGE_VERSION) {
      return `message version ${JSON.stringify(m.v)?.slice(0, 20)} is not ${PROFILE_MESSAGE_VERSION}`;
    }
    return { v: PROFILE_MESSAGE_VERSION, origin: origin(m.origin), set: validateProfileSet(m.set) };
  } catch (error) {
    if (error instanceof Invalid) return error.message;
    throw error;
  }
}

/** The metadata record that points at a profile's chunk. */
export function profileIndexRecord(entry: {
  offset: number;
  length: number;
  timeMs: number;
  name: string;
}): Map<string, string> {
  return new Map([
    ['chunkOffset', String(entry.offset)],
    ['chunkLength', String(entry.length)],
    ['time', new Date(entry.timeMs).toISOString()],
    ['name', entry.name.slice(0, 200)],
  ]);
}

export function parseProfileIndexRecord(
  map: ReadonlyMap<string, string>,
): { offset: number; length: number } | undefined {
  const offset = Number(map.get('chunkOffset'));
  const length = Number(map.get('chunkLength'));
  if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0) {
    return undefined;
  }
  return { offset, length };
}
