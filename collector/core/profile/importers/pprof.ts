/**
 * pprof (google/pprof proto/profile.proto): a gzip-compressed protobuf as Go's runtime/pprof,
 * `go test -cpuprofile`, pprof-rs, Pyroscope's SelectMergeProfile and Datadog's profilers write.
 *
 * - Sample types: a file holds several (`samples/count` + `cpu/nanoseconds`; heap:
 *   `alloc_objects`, `alloc_space`, `inuse_objects`, `inuse_space`). The one read is
 *   `options.sampleType`, else `default_sample_type`, else the LAST one — profile.proto:
 *   "If unset, clients should default to the last sample value."
 * - Frames are functions (pprof's default granularity), with the function's start line; a
 *   location's several `line` entries are inlined calls, innermost first, the last the caller.
 *   A location without lines (unsymbolised) is its address, in its mapping's file.
 * - Samples carrying a `thread_id`/`thread`/`tid` label are split into one profile per thread
 *   (Go's and Python's pprof carry none: one profile).
 */
import { Gunzip as StreamingGunzip, gunzipSync } from 'fflate';
import type { Frame, Measure, ProfileMeta, ProfileSet, WeightUnit } from '../model.js';
import { classifyFrame } from './classifyFrame.js';
import {
  decodePprof,
  looksLikePprofMessage,
  type PprofData,
  PprofDecodeError,
} from './pprofDecode.js';
import { FrameTable, StackTable } from './StackTable.js';
import { type ImportInput, type ImportOptions, ProfileImportError } from './types.js';

const GZIP_MAGIC_0 = 0x1f;
const GZIP_MAGIC_1 = 0x8b;

/** Labels naming the thread a sample is from, in the order tried (pprof has no standard key). */
const THREAD_KEYS = ['thread_id', 'thread', 'tid'];
const THREAD_NAME_KEYS = ['thread_name', 'thread name'];

function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === GZIP_MAGIC_0 && bytes[1] === GZIP_MAGIC_1;
}

/**
 * Whether the bytes are a pprof profile: a gzip stream whose first inflated bytes are a Profile
 * message (a gzipped JSON trace is not), or an uncompressed Profile message.
 */
export function looksLikePprof(bytes: Uint8Array): boolean {
  if (isGzip(bytes)) {
    const head = inflatePrefix(bytes.subarray(0, 65_536));
    return head !== undefined && head.length > 0 && looksLikePprofMessage(head, true);
  }
  return looksLikePprofMessage(bytes.subarray(0, 65_536), bytes.length > 65_536);
}

/** The first inflated bytes of a gzip stream (or undefined when it is not valid gzip). */
function inflatePrefix(compressed: Uint8Array): Uint8Array | undefined {
  try {
    return gunzipSync(compressed);
  } catch {
    // A prefix of a longer stream ends early ("unexpected EOF"): inflate what is there instead.
  }
  // fflate's streaming inflater hands out what it decoded so far; a 64 KB prefix is < 1 ms.
  const chunks: Uint8Array[] = [];
  try {
    const g = new StreamingGunzip((chunk) => chunks.push(chunk));
    g.push(compressed, false);
  } catch {
    return undefined;
  }
  let length = 0;
  for (const c of chunks) length += c.length;
  const out = new Uint8Array(length);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

function gunzip(input: ImportInput): Uint8Array {
  try {
    return gunzipSync(input.bytes);
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    const problem =
      why === 'unexpected EOF'
        ? `the gzip stream ends at byte ${input.bytes.length} before its end (truncated file?)`
        : `not a valid gzip stream (${why})`;
    throw new ProfileImportError(input.name, 'pprof', { offset: input.bytes.length }, problem);
  }
}

/** Weight unit and the factor to it from the file's unit string. */
function unitOf(type: string, unit: string): { unit: WeightUnit; scale: number } {
  switch (unit) {
    case 'nanoseconds':
      return { unit: 'nanoseconds', scale: 1 };
    case 'microseconds':
      return { unit: 'nanoseconds', scale: 1e3 };
    case 'milliseconds':
      return { unit: 'nanoseconds', scale: 1e6 };
    case 'seconds':
      return { unit: 'nanoseconds', scale: 1e9 };
    case 'bytes':
      return { unit: 'bytes', scale: 1 };
    case 'kilobytes':
      return { unit: 'bytes', scale: 1024 };
    case 'megabytes':
      return { unit: 'bytes', scale: 1024 * 1024 };
    default:
      // Go's CPU profile: "samples/count"; everything else counted is a count.
      return { unit: type === 'samples' || unit === 'samples' ? 'samples' : 'count', scale: 1 };
  }
}

/** What a sample type measures; `samples` takes its meaning from the period type (cpu, wall). */
function measureOf(type: string, periodType: string): Measure {
  const t = type.toLowerCase();
  if (t.includes('cpu')) return 'cpu';
  if (t.includes('wall')) return 'wall';
  if (t.includes('alloc') || t.includes('inuse') || t === 'space' || t === 'objects') {
    return 'alloc';
  }
  if (t === 'samples') {
    const p = periodType.toLowerCase();
    if (p.includes('cpu')) return 'cpu';
    if (p.includes('wall')) return 'wall';
    if (p === 'space' || p.includes('alloc')) return 'alloc';
  }
  return 'other';
}

function basename(path: string): string {
  const slash = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return slash >= 0 ? path.slice(slash + 1) : path;
}

/** Index of the sample type to read, or an error listing the ones the file has. */
function chooseSampleType(
  input: ImportInput,
  data: PprofData,
  names: readonly string[],
  wanted: string | undefined,
): number {
  if (names.length === 0) {
    throw new ProfileImportError(input.name, 'pprof', {}, 'the profile declares no sample types');
  }
  if (wanted !== undefined) {
    const strings = data.strings;
    const i = names.findIndex(
      (n, k) => n === wanted || `${n}/${strings[data.sampleTypes[k]!.unit] ?? ''}` === wanted,
    );
    if (i < 0) {
      throw new ProfileImportError(
        input.name,
        'pprof',
        {},
        `no sample type "${wanted}"; the file has: ${names.join(', ')}`,
      );
    }
    return i;
  }
  const preferred = data.defaultSampleType > 0 ? data.strings[data.defaultSampleType] : undefined;
  const i = preferred === undefined ? -1 : names.indexOf(preferred);
  return i >= 0 ? i : names.length - 1;
}

export function importPprof(input: ImportInput, options?: ImportOptions): ProfileSet {
  const compressed = isGzip(input.bytes);
  const raw = compressed ? gunzip(input) : input.bytes;
  if (!compressed && !looksLikePprofMessage(raw.subarray(0, 65_536), raw.length > 65_536)) {
    throw new ProfileImportError(
      input.name,
      'pprof',
      { offset: 0 },
      'neither gzip (1f 8b) nor a pprof protobuf message',
    );
  }
  let data: PprofData;
  try {
    data = decodePprof(raw);
  } catch (e) {
    if (!(e instanceof PprofDecodeError)) throw e;
    const where = compressed ? ' (offset in the decompressed protobuf)' : '';
    throw new ProfileImportError(input.name, 'pprof', { offset: e.offset }, `${e.message}${where}`);
  }
  return buildProfiles(input, data, options);
}

function buildProfiles(
  input: ImportInput,
  data: PprofData,
  options: ImportOptions | undefined,
): ProfileSet {
  const strings = data.strings;
  const str = (i: number): string => strings[i] ?? '';
  const typeNames = data.sampleTypes.map((t) => str(t.type));
  const chosen = chooseSampleType(input, data, typeNames, options?.sampleType);
  const chosenType = data.sampleTypes[chosen]!;
  const { unit, scale } = unitOf(str(chosenType.type), str(chosenType.unit));
  const periodTypeName = data.periodType ? str(data.periodType.type) : '';
  const measure = measureOf(str(chosenType.type), periodTypeName);
  // The calls column: pprof's convention puts the event count first, with unit "count".
  const countIndex = data.sampleTypes.findIndex((t, k) => k !== chosen && str(t.unit) === 'count');
  const warnings: string[] = [];

  const mappingFile = new Map<number, string>();
  for (const m of data.mappings) mappingFile.set(m.id, str(m.filename));
  const functionById = indexById(data.functions);

  const frames = new FrameTable();
  const frameOfFunction = new Map<number, number>();
  const functionFrame = (id: number, mappingId: number): number => {
    let fi = frameOfFunction.get(id);
    if (fi !== undefined) return fi;
    const fn = functionById(id);
    let frame: Frame;
    if (fn === undefined) {
      frame = { name: `(function ${id} missing from the file)`, kind: 'other' };
      warnings.push(`a location refers to function ${id}, which the file does not have`);
    } else {
      const name = str(fn.name) || str(fn.systemName) || `(function ${id})`;
      const file = str(fn.filename);
      const cls = classifyFrame(name, file || mappingFile.get(mappingId));
      frame = {
        name,
        file: file || undefined,
        line: fn.startLine > 0 ? fn.startLine : undefined,
        module: cls.module,
        kind: cls.kind,
      };
    }
    fi = frames.intern(frame);
    frameOfFunction.set(id, fi);
    return fi;
  };

  // Each location's frames root-most first: its lines reversed (the last line is the caller).
  // Computed for every location up front into an array indexed by id (ids are dense in practice):
  // the per-frame loop below then reads an array, not a Map or a sparse array.
  const framesOf = (loc: (typeof data.locations)[number]): readonly number[] => {
    if (loc.lines.length === 0) {
      const file = mappingFile.get(loc.mappingId) ?? '';
      const cls = classifyFrame(`0x${loc.address}`, file || undefined);
      return [
        frames.intern({
          name: `0x${loc.address}`,
          module: file ? basename(file) : cls.module,
          kind: cls.kind === 'other' ? 'native' : cls.kind,
        }),
      ];
    }
    const f: number[] = [];
    for (let k = loc.lines.length - 1; k >= 0; k--) {
      f.push(functionFrame(loc.lines[k]!.functionId, loc.mappingId));
    }
    return f;
  };
  let maxId = 0;
  for (const l of data.locations) if (l.id > maxId) maxId = l.id;
  const dense = maxId <= data.locations.length * 2 + 16;
  const denseFrames: (readonly number[] | undefined)[] = dense
    ? new Array<readonly number[] | undefined>(maxId + 1).fill(undefined)
    : [];
  const sparseFrames = new Map<number, readonly number[]>();
  for (const l of data.locations) {
    if (dense && l.id >= 0) denseFrames[l.id] = framesOf(l);
    else sparseFrames.set(l.id, framesOf(l));
  }
  const locationFrames = (id: number): readonly number[] => {
    const known = (dense ? denseFrames[id] : undefined) ?? sparseFrames.get(id);
    if (known !== undefined) return known;
    warnings.push(`a sample refers to location ${id}, which the file does not have`);
    const missing = [
      frames.intern({ name: `(location ${id} missing from the file)`, kind: 'other' }),
    ];
    sparseFrames.set(id, missing);
    return missing;
  };

  // One stack table per thread label value; samples without one share the "" entry.
  const byThread = new Map<string, { stacks: StackTable; labels: Record<string, string> }>();
  const typeCount = data.sampleTypes.length;
  const path: number[] = [];
  const n = data.labels.length;
  let skippedShort = 0;
  for (let s = 0; s < n; s++) {
    const v0 = data.valueStart[s]!;
    if (data.valueStart[s + 1]! - v0 !== typeCount) {
      skippedShort++;
      continue;
    }
    const weight = data.values[v0 + chosen]! * scale;
    if (weight === 0) continue;
    path.length = 0;
    for (let k = data.locStart[s + 1]! - 1; k >= data.locStart[s]!; k--) {
      const lf = locationFrames(data.locationIds[k]!);
      for (let j = 0; j < lf.length; j++) path.push(lf[j]!);
    }
    const labels = data.labels[s];
    const thread = labels === undefined ? '' : threadOf(labels, str);
    let group = byThread.get(thread);
    if (group === undefined) {
      group = {
        stacks: new StackTable(),
        labels: labels === undefined ? {} : labelRecord(labels, str),
      };
      byThread.set(thread, group);
    }
    const count = countIndex >= 0 ? data.values[v0 + countIndex]! : 1;
    group.stacks.addSample(group.stacks.intern(path), weight, count);
  }
  if (skippedShort > 0) {
    warnings.push(
      `${skippedShort} samples skipped: their value count differs from the ${typeCount} sample types`,
    );
  }

  const typeLabel = `${str(chosenType.type)}/${str(chosenType.unit)}`;
  const threads = [...byThread.entries()];
  const split = threads.length > 1 || (threads.length === 1 && threads[0]![0] !== '');
  const profiles = (
    threads.length === 0 ? [['', { stacks: new StackTable(), labels: {} }] as const] : threads
  ).map(([thread, g]) => {
    const name = !split
      ? `${input.name} · ${typeLabel}`
      : thread === ''
        ? '(no thread label)'
        : threadName(g.labels, thread);
    return g.stacks.toProfile(name, unit, measure, frames.frames, split ? g.labels : undefined);
  });

  const meta: ProfileMeta = {
    source: sourceOf(data, str),
    durationNs: data.durationNanos > 0 ? data.durationNanos : undefined,
    startMs: data.timeNanos > 0 ? data.timeNanos / 1e6 : undefined,
    rateHz:
      data.period > 0 && data.periodType && str(data.periodType.unit) === 'nanoseconds'
        ? 1e9 / data.period
        : undefined,
    sampleTypes: typeNames,
  };
  return { format: 'pprof', name: input.name, profiles, meta, warnings };
}

/**
 * Lookup by id: an array indexed by id when ids are dense (Go and pprof-rs number them 1..N),
 * else a Map. An array read is several times cheaper than a Map lookup in the per-frame loop.
 */
function indexById<T extends { readonly id: number }>(
  items: readonly T[],
): (id: number) => T | undefined {
  let max = 0;
  for (const it of items) if (it.id > max) max = it.id;
  if (max <= items.length * 2 + 16 && items.every((it) => Number.isInteger(it.id) && it.id >= 0)) {
    const dense: (T | undefined)[] = new Array<T | undefined>(max + 1).fill(undefined);
    for (const it of items) dense[it.id] = it;
    return (id) => dense[id];
  }
  const map = new Map<number, T>();
  for (const it of items) map.set(it.id, it);
  return (id) => map.get(id);
}

function threadOf(
  labels: readonly { key: number; str: number; num: number }[],
  str: (i: number) => string,
): string {
  for (const key of THREAD_KEYS) {
    for (const l of labels) {
      if (str(l.key) === key) return l.str > 0 ? str(l.str) : String(l.num);
    }
  }
  return '';
}

function labelRecord(
  labels: readonly { key: number; str: number; num: number }[],
  str: (i: number) => string,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const l of labels) {
    const key = str(l.key);
    if (THREAD_KEYS.includes(key) || THREAD_NAME_KEYS.includes(key) || key === 'pid') {
      out[key] = l.str > 0 ? str(l.str) : String(l.num);
    }
  }
  return out;
}

function threadName(labels: Record<string, string>, thread: string): string {
  let name = `thread ${thread}`;
  for (const key of THREAD_NAME_KEYS) {
    const v = labels[key];
    if (v !== undefined && v !== '') {
      name = `${v} (${thread})`;
      break;
    }
  }
  const pid = labels.pid;
  return pid !== undefined ? `${name} · pid ${pid}` : name;
}

/** "pprof (go)" when the Go runtime is in the function table; the file names no writer. */
function sourceOf(data: PprofData, str: (i: number) => string): string {
  for (const f of data.functions) {
    const name = str(f.name);
    if (name === 'runtime.main' || name === 'runtime.goexit') return 'pprof (go)';
  }
  return 'pprof';
}
