// The core's code never touches files; its tests read their fixtures (collector/testing is outside
// the core's boundary, so the read is here).
import { readFileSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'fflate';
import { Profile as PprofProfile, StringTable } from 'pprof-format';
import { describe, expect, it } from 'vitest';

import { buildCallTree, childrenOf, nodeName, type CallTree } from '../callTree.js';
import { totalWeight, type Profile } from '../model.js';
import { importPprof, looksLikePprof } from './pprof.js';
import { ProfileImportError } from './types.js';

const fixture = (name: string): Uint8Array =>
  new Uint8Array(readFileSync(new URL(`../fixtures/pprof/${name}`, import.meta.url)));

const read = (name: string): Uint8Array => fixture(name);
const open = (name: string, sampleType?: string) =>
  importPprof({ name, bytes: read(name) }, sampleType === undefined ? undefined : { sampleType });

/** The reference: pprof-format's own decode (Datadog), independent of the importer's decoder. */
function reference(bytes: Uint8Array) {
  const p = PprofProfile.decode(bytes[0] === 0x1f ? gunzipSync(bytes) : bytes);
  const s = p.stringTable.strings;
  const types = p.sampleType.map((t) => s[Number(t.type)]!);
  const sum = (type: string): number => {
    const i = types.indexOf(type);
    let total = 0;
    for (const x of p.sample) total += Number(x.value[i]);
    return total;
  };
  return { p, s, types, sum };
}

function child(tree: CallTree, node: number, name: string): number {
  const c = childrenOf(tree, node).find((k) => nodeName(tree, k) === name);
  if (c === undefined) throw new Error(`no child ${name} under ${nodeName(tree, node)}`);
  return c;
}

function stackNames(profile: Profile, stack: readonly number[]): string[] {
  return stack.map((f) => profile.frames[f]!.name);
}

describe('importPprof on real profiles', () => {
  it('reads google/pprof large.cpu: cpu/nanoseconds by default, total equal to the file sum', () => {
    const set = open('internal_proftest_testdata_large.cpu');
    const ref = reference(read('internal_proftest_testdata_large.cpu'));
    expect(set.meta.sampleTypes).toEqual(['samples', 'cpu']);
    expect(set.profiles).toHaveLength(1);
    const [p] = set.profiles;
    // No default_sample_type in the file: the last type (profile.proto's rule), cpu.
    expect(p!.unit).toBe('nanoseconds');
    expect(p!.measure).toBe('cpu');
    expect(totalWeight(p!)).toBe(ref.sum('cpu'));
    expect(buildCallTree(p!).total[0]).toBe(ref.sum('cpu'));
    // Calls column: the samples/count value.
    expect(p!.counts!.reduce((a, b) => a + b, 0)).toBe(ref.sum('samples'));
    expect(set.meta.durationNs).toBe(Number(ref.p.durationNanos));
    expect(set.meta.rateHz).toBe(100);
    expect(set.meta.source).toBe('pprof (go)');
  });

  it('chooses another sample type by name, and lists the file’s when the name is unknown', () => {
    const set = open('internal_proftest_testdata_large.cpu', 'samples');
    const ref = reference(read('internal_proftest_testdata_large.cpu'));
    expect(set.profiles[0]!.unit).toBe('samples');
    expect(set.profiles[0]!.measure).toBe('cpu');
    expect(totalWeight(set.profiles[0]!)).toBe(ref.sum('samples'));
    expect(() => open('internal_proftest_testdata_large.cpu', 'alloc_space')).toThrow(
      /no sample type "alloc_space"; the file has: samples, cpu/,
    );
  });

  it('reads a go test -cpuprofile: frames are functions with their file, caller before callee', () => {
    const set = open('go-tiny/cpu.pprof');
    const ref = reference(read('go-tiny/cpu.pprof'));
    const p = set.profiles[0]!;
    expect(totalWeight(p)).toBe(ref.sum('cpu'));
    const tree = buildCallTree(p);
    expect(tree.total[0]).toBe(ref.sum('cpu'));
    // The benchmark's own call chain, as written in tiny_test.go.
    const runN = child(tree, child(tree, 0, 'testing.(*B).launch'), 'testing.(*B).runN');
    const pipeline = child(tree, runN, 'example.com/tiny.BenchmarkPipeline');
    const tokenize = child(tree, pipeline, 'example.com/tiny.tokenize');
    const hashAll = child(tree, pipeline, 'example.com/tiny.hashAll');
    expect(tree.total[tokenize]! + tree.total[hashAll]!).toBeLessThanOrEqual(tree.total[pipeline]!);
    const fn = tree.frames[tree.frame[tokenize]!]!;
    expect(fn.file).toMatch(/tiny_test\.go$/);
    expect(fn.kind).toBe('native');
    // Go 1.19 writes no Function.start_line, so the frame has no line (pprof's own rule: 0 = unset).
    const refFn = ref.p.function.find(
      (f) => ref.s[Number(f.name)] === 'example.com/tiny.tokenize',
    )!;
    expect(Number(refFn.startLine)).toBe(0);
    expect(fn.line).toBeUndefined();
  });

  it('expands inlined frames: a location’s lines become callee under caller', () => {
    const set = open('go-tiny/cpu.pprof');
    const ref = reference(read('go-tiny/cpu.pprof'));
    const inlined = ref.p.location.find((l) => l.line.length >= 2)!;
    const names = inlined.line.map((l) => {
      const fn = ref.p.function.find((f) => Number(f.id) === Number(l.functionId))!;
      return ref.s[Number(fn.name)]!;
    });
    // In the imported stacks, the last line (caller) comes right before the first (callee).
    const p = set.profiles[0]!;
    const caller = names[names.length - 1]!;
    const callee = names[0]!;
    const found = p.stacks.some((st) => {
      const n = stackNames(p, st);
      for (let i = 0; i + names.length - 1 < n.length; i++) {
        if (n[i] === caller && n[i + names.length - 1] === callee) return true;
      }
      return false;
    });
    expect(names.length).toBeGreaterThanOrEqual(2);
    expect(found).toBe(true);
  });

  it('reads a Go heap profile by its default_sample_type (alloc_space, not the last one)', () => {
    const set = open('go-tiny/mem.pprof');
    const ref = reference(read('go-tiny/mem.pprof'));
    expect(set.meta.sampleTypes).toEqual([
      'alloc_objects',
      'alloc_space',
      'inuse_objects',
      'inuse_space',
    ]);
    expect(set.profiles[0]!.unit).toBe('bytes');
    expect(set.profiles[0]!.measure).toBe('alloc');
    expect(totalWeight(set.profiles[0]!)).toBe(ref.sum('alloc_space'));
    const objects = open('go-tiny/mem.pprof', 'alloc_objects').profiles[0]!;
    expect(objects.unit).toBe('count');
    expect(totalWeight(objects)).toBe(ref.sum('alloc_objects'));
  });

  it('names an unsymbolised location by its address and mapping (go.nomappings.crash has no functions)', () => {
    const set = open('internal_driver_testdata_go.nomappings.crash');
    const ref = reference(read('internal_driver_testdata_go.nomappings.crash'));
    const p = set.profiles[0]!;
    expect(totalWeight(p)).toBe(ref.sum('inuse_space'));
    const addr = Number(ref.p.location[0]!.address).toString(16);
    expect(p.frames.map((f) => f.name)).toContain(`0x${addr}`);
  });

  it('reads speedscope’s pprof sample and google/pprof sample.cpu with their file totals', () => {
    for (const name of ['speedscope-simple.prof', 'internal_report_testdata_sample.cpu']) {
      const ref = reference(read(name));
      expect(totalWeight(open(name).profiles[0]!)).toBe(ref.sum('cpu'));
    }
  });
});

/** A pprof built with pprof-format's encoder: what no fixture here has (labels, negatives). */
function crafted(opts: {
  labels?: (i: number) => { key: string; str?: string; num?: number }[];
  values?: (i: number) => number[];
  defaultType?: string;
}): Uint8Array {
  const st = new StringTable();
  const fn = (id: number, name: string) => ({
    id,
    name: st.dedup(name),
    filename: st.dedup('app.py'),
    startLine: id * 10,
  });
  const profile = new PprofProfile({
    stringTable: st,
    sampleType: [
      { type: st.dedup('samples'), unit: st.dedup('count') },
      { type: st.dedup('wall'), unit: st.dedup('microseconds') },
    ],
    function: [fn(1, 'main'), fn(2, 'work'), fn(3, 'helper')],
    location: [
      { id: 1, line: [{ functionId: 1, line: 5 }] },
      // helper inlined into work: innermost first, caller last.
      {
        id: 2,
        line: [
          { functionId: 3, line: 31 },
          { functionId: 2, line: 22 },
        ],
      },
    ],
    sample: [0, 1, 2, 3].map((i) => ({
      locationId: [2, 1],
      value: opts.values?.(i) ?? [1, 1000 * (i + 1)],
      label: (opts.labels?.(i) ?? []).map((l) => ({
        key: st.dedup(l.key),
        str: l.str === undefined ? 0 : st.dedup(l.str),
        num: l.num ?? 0,
      })),
    })),
    defaultSampleType: opts.defaultType === undefined ? 0 : st.dedup(opts.defaultType),
  });
  return gzipSync(profile.encode());
}

describe('importPprof on crafted profiles', () => {
  it('splits samples by thread label into one profile per thread, named by thread_name', () => {
    const bytes = crafted({
      labels: (i) => [
        { key: 'thread_id', num: i % 2 === 0 ? 11 : 12 },
        { key: 'thread_name', str: i % 2 === 0 ? 'MainThread' : 'worker' },
        { key: 'pid', num: 4121 },
      ],
    });
    const set = importPprof({ name: 't.pb.gz', bytes });
    expect(set.profiles.map((p) => p.name)).toEqual([
      'MainThread (11) · pid 4121',
      'worker (12) · pid 4121',
    ]);
    // wall/microseconds → nanoseconds: samples 0 and 2 on thread 11 (1000 + 3000 µs).
    expect(set.profiles[0]!.unit).toBe('nanoseconds');
    expect(set.profiles[0]!.measure).toBe('wall');
    expect(totalWeight(set.profiles[0]!)).toBe(4_000_000);
    expect(totalWeight(set.profiles[1]!)).toBe(6_000_000);
    expect(set.profiles[0]!.labels).toEqual({
      thread_id: '11',
      thread_name: 'MainThread',
      pid: '4121',
    });
  });

  it('keeps one profile when no sample has a thread label (Go, Python pprof)', () => {
    const set = importPprof({
      name: 't.pb.gz',
      bytes: crafted({ labels: () => [{ key: 'span', str: 'x' }] }),
    });
    expect(set.profiles).toHaveLength(1);
    expect(set.profiles[0]!.labels).toBeUndefined();
  });

  it('orders an inlined location caller-first: main → work → helper', () => {
    const set = importPprof({ name: 't.pb.gz', bytes: crafted({}) });
    const p = set.profiles[0]!;
    expect(p.stacks.map((s) => stackNames(p, s))).toEqual([['main', 'work', 'helper']]);
    expect(p.frames.find((f) => f.name === 'helper')).toMatchObject({
      file: 'app.py',
      line: 30,
      kind: 'python',
    });
  });

  it('reads negative values (pprof -diff_base) exactly', () => {
    const set = importPprof({
      name: 'd.pb.gz',
      bytes: crafted({ values: (i) => [1, i % 2 === 0 ? -5 : 2] }),
    });
    // Four samples of one stack: -5 + 2 - 5 + 2 ms, summed into the stack's one sample.
    expect(set.profiles[0]!.weights).toEqual([-6000]);
    expect(set.profiles[0]!.counts).toEqual([4]);
  });

  it('uses default_sample_type when set, and reads an uncompressed protobuf too', () => {
    const gz = crafted({ defaultType: 'samples' });
    const set = importPprof({ name: 'raw.pb', bytes: gunzipSync(gz) });
    expect(set.profiles[0]!.unit).toBe('samples');
    expect(totalWeight(set.profiles[0]!)).toBe(4);
  });
});

describe('malformed pprof', () => {
  const large = read('internal_proftest_testdata_large.cpu');

  it('refuses a truncated gzip stream with the byte offset where it ends', () => {
    const cut = large.subarray(0, 600_000);
    const err = catchError(() => importPprof({ name: 'cut.pb.gz', bytes: cut }));
    expect(err).toBeInstanceOf(ProfileImportError);
    expect(err.location.offset).toBe(600_000);
    expect(err.message).toBe(
      'cut.pb.gz, byte 600000: pprof: the gzip stream ends at byte 600000 before its end (truncated file?)',
    );
  });

  it('refuses a truncated protobuf with the offset of the cut field', () => {
    const raw = gunzipSync(large);
    const cut = raw.subarray(0, 1_000_000);
    const err = catchError(() => importPprof({ name: 'cut.pb', bytes: cut }));
    expect(err).toBeInstanceOf(ProfileImportError);
    expect(err.location.offset).toBeGreaterThan(999_000);
    expect(err.location.offset).toBeLessThan(1_000_000);
    expect(err.message).toMatch(
      /declares \d+ bytes but only \d+ remain \(truncated file\?\)|truncated/,
    );
  });

  it('refuses the legacy (pre-protobuf) Go CPU profile format at byte 0', () => {
    const bytes = read('profile_testdata_go.crc32.cpu');
    expect(looksLikePprof(bytes)).toBe(false);
    const err = catchError(() => importPprof({ name: 'go.crc32.cpu', bytes }));
    expect(err.location.offset).toBe(0);
  });
});

describe('looksLikePprof', () => {
  it('accepts gzip pprof and raw pprof, rejects gzipped JSON and text', () => {
    const large = read('internal_proftest_testdata_large.cpu');
    expect(looksLikePprof(large)).toBe(true);
    expect(looksLikePprof(gunzipSync(large))).toBe(true);
    expect(looksLikePprof(read('go-tiny/mem.pprof'))).toBe(true);
    const enc = new TextEncoder();
    expect(looksLikePprof(gzipSync(enc.encode('{"traceEvents": []}')))).toBe(false);
    expect(looksLikePprof(enc.encode('main;work;helper 12\n'))).toBe(false);
    expect(looksLikePprof(enc.encode('Hello world'))).toBe(false);
    expect(looksLikePprof(enc.encode('[{"ph":"X"}]'))).toBe(false);
  });
});

function catchError(f: () => unknown): ProfileImportError {
  try {
    f();
  } catch (e) {
    if (e instanceof ProfileImportError) return e;
    throw e;
  }
  throw new Error('expected a ProfileImportError');
}
