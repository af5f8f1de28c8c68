// The core's code never touches files; its tests read their fixtures (collector/testing is outside
// the core's boundary, so the read is here).
import { readFileSync } from 'node:fs';
import { gzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';

import { buildCallTree, childrenOf, nodeName, type CallTree } from '../callTree.js';
import { totalWeight, type Profile } from '../model.js';
import { importChromeTrace, looksLikeChromeTrace } from './chromeTrace.js';
import { ProfileImportError } from './types.js';

const fixture = (name: string): Uint8Array =>
  new Uint8Array(readFileSync(new URL(`../fixtures/chrome-trace/${name}`, import.meta.url)));

const text = (name: string): string => new TextDecoder().decode(fixture(name));
const open = (name: string) => importChromeTrace({ name, bytes: fixture(name) });
const fromJson = (value: unknown) =>
  importChromeTrace({
    name: 'inline.json',
    bytes: new TextEncoder().encode(JSON.stringify(value)),
  });

interface RawEvent {
  ph?: string;
  cat?: string;
  name?: string;
  pid?: unknown;
  tid?: unknown;
  ts?: number;
  dur?: number;
  args?: Record<string, unknown>;
}

/** The file's own numbers: per pid/tid, the time covered by its X events (union of intervals, ns). */
function coveredPerThread(events: RawEvent[], skip: (e: RawEvent) => boolean): Map<string, number> {
  const byThread = new Map<string, [number, number][]>();
  for (const e of events) {
    if (e.ph !== 'X' || typeof e.ts !== 'number' || typeof e.dur !== 'number' || skip(e)) continue;
    const key = `${String(e.pid)}/${String(e.tid)}`;
    const list = byThread.get(key) ?? [];
    list.push([Math.round(e.ts * 1000), Math.round(e.ts * 1000) + Math.round(e.dur * 1000)]);
    byThread.set(key, list);
  }
  const out = new Map<string, number>();
  for (const [key, list] of byThread) {
    list.sort((a, b) => a[0] - b[0]);
    let covered = 0;
    let end = -Infinity;
    for (const [s, e] of list) {
      if (s >= end) {
        covered += e - s;
        end = e;
      } else if (e > end) {
        covered += e - end;
        end = e;
      }
    }
    out.set(key, covered);
  }
  return out;
}

function node(tree: CallTree, path: string[]): number {
  let n = 0;
  for (const name of path) {
    const c = childrenOf(tree, n).find((k) => nodeName(tree, k) === name);
    if (c === undefined) throw new Error(`no ${path.join(' → ')}`);
    n = c;
  }
  return n;
}

const byName = (profiles: readonly Profile[], name: string): Profile => {
  const p = profiles.find((x) => x.name === name);
  if (p === undefined)
    throw new Error(`no profile ${name}: ${profiles.map((x) => x.name).join(', ')}`);
  return p;
};

describe('importChromeTrace on a real PyTorch profiler trace (CPU)', () => {
  it('makes one wall-time profile per thread whose total is the time its spans cover', () => {
    const set = open('torch-cpu-tiny.json');
    const events = JSON.parse(text('torch-cpu-tiny.json')).traceEvents as RawEvent[];
    // Kineto's own "PyTorch Profiler" span (cat Trace, pid "Spans") is not a thread's time.
    const covered = coveredPerThread(events, (e) => e.cat === 'Trace');
    expect(set.meta.source).toBe('pytorch profiler');
    expect(set.profiles).toHaveLength(covered.size);
    const p = set.profiles[0]!;
    expect(p.unit).toBe('nanoseconds');
    expect(p.measure).toBe('wall');
    expect(p.name).toMatch(/^thread \d+ \(python3\)$/);
    expect(totalWeight(p)).toBe(covered.get(`${p.labels!.pid}/${p.labels!.tid}`));
    expect(buildCallTree(p).total[0]).toBe(totalWeight(p));
    // One call per span, self = duration minus children.
    const spans = events.filter((e) => e.ph === 'X' && e.cat !== 'Trace').length;
    expect((p.counts ?? p.weights.map(() => 1)).reduce((a, b) => a + b, 0)).toBe(spans);
    // Kineto opens each record_function annotation inside the Python call that starts it and the
    // annotation outlives it: real overlap, cut and reported, never dropped.
    expect(set.warnings).toEqual([
      expect.stringMatching(
        /^\d+ events overlap an enclosing event without nesting in it \(first: event \d+ \("decode_step"\) in event \d+ \("<built-in method _record_function_enter_new/,
      ),
    ]);
  });

  it('reads the same trace gzipped (trace.json.gz) to the same totals', () => {
    const plain = open('torch-cpu-tiny.json');
    const gz = importChromeTrace({
      name: 't.json.gz',
      bytes: gzipSync(fixture('torch-cpu-tiny.json')),
    });
    expect(gz.profiles.map((p) => totalWeight(p))).toEqual(
      plain.profiles.map((p) => totalWeight(p)),
    );
  });

  it('nests the profiler’s python frames (file and line) over the aten ops they call', () => {
    const p = open('torch-cpu-tiny.json').profiles[0]!;
    const tree = buildCallTree(p);
    const module = childrenOf(tree, 0).find((k) => nodeName(tree, k) === '<module>')!;
    const frame = tree.frames[tree.frame[module]!]!;
    expect(frame).toMatchObject({ file: 'torch_cpu_tiny.py', line: 11, kind: 'python' });
    // Each decode_step annotation holds the model's aten::linear ops somewhere below it.
    const annotations: number[] = [];
    for (let i = 0; i < tree.size; i++)
      if (nodeName(tree, i) === 'decode_step') annotations.push(i);
    expect(annotations.length).toBeGreaterThan(0);
    const below = (n: number, name: string): boolean =>
      childrenOf(tree, n).some((c) => nodeName(tree, c) === name || below(c, name));
    for (const a of annotations) expect(below(a, 'aten::linear')).toBe(true);
    const linear = p.frames.find((f) => f.name === 'aten::linear')!;
    expect(linear).toMatchObject({ kind: 'gpu-op', module: 'aten' });
  });
});

describe('importChromeTrace on a Kineto trace with CUDA kernels (crafted: no GPU here)', () => {
  const set = open('kineto-gpu-crafted.json');
  const events = JSON.parse(text('kineto-gpu-crafted.json')).traceEvents as RawEvent[];
  const gpuEvents = (device: number) =>
    events.filter(
      (e) =>
        e.ph === 'X' &&
        ['kernel', 'gpu_memcpy', 'gpu_memset'].includes(e.cat!) &&
        e.args?.device === device,
    );

  it('makes a CPU profile per thread and a GPU-time profile per device', () => {
    expect(set.profiles.map((p) => [p.name, p.measure])).toEqual([
      ['thread 4121 (python3)', 'wall'],
      ['thread 4130 (python3)', 'wall'],
      ['GPU 0', 'gpu'],
      ['GPU 1', 'gpu'],
    ]);
    const covered = coveredPerThread(events, (e) => e.cat === 'Trace' || e.pid !== 4121);
    expect(totalWeight(set.profiles[0]!)).toBe(covered.get('4121/4121'));
    for (const device of [0, 1]) {
      const sum = gpuEvents(device).reduce((a, e) => a + Math.round(e.dur! * 1000), 0);
      expect(totalWeight(byName(set.profiles, `GPU ${device}`))).toBe(sum);
    }
    expect(byName(set.profiles, 'GPU 0').labels).toEqual({ device: '0' });
  });

  it('puts each kernel under the CPU ops open at its cudaLaunchKernel (args.correlation)', () => {
    const gpu0 = buildCallTree(byName(set.profiles, 'GPU 0'));
    const step = ['execute_model', 'execute_model'];
    const gemm = node(gpu0, [
      ...step,
      'aten::linear',
      'aten::addmm',
      'ampere_sgemm_64x32_sliced1x4_tn',
    ]);
    expect(gpu0.total[gemm]).toBe(120_000);
    expect(gpu0.frames[gpu0.frame[gemm]!]!.kind).toBe('cuda-kernel');
    const softmax = childrenOf(gpu0, node(gpu0, [...step, 'aten::softmax', 'aten::_softmax']));
    expect(softmax.map((c) => nodeName(gpu0, c))).toEqual([
      expect.stringMatching(/cunn_SoftMaxForward/),
    ]);
    expect(
      gpu0.total[node(gpu0, [...step, 'aten::copy_', 'Memcpy DtoH (Device -> Pageable)'])],
    ).toBe(230_000);
    // The python frame between the annotation and the ops is Kineto's "file(line): name".
    const py = gpu0.frames[gpu0.frame[node(gpu0, step)]!]!;
    expect(py).toMatchObject({ file: 'vllm/worker/model_runner.py', line: 1650, kind: 'python' });
  });

  it('falls back on External id, and leaves a kernel launched before the trace at the root with a warning', () => {
    const gpu1 = buildCallTree(byName(set.profiles, 'GPU 1'));
    expect(
      childrenOf(gpu1, node(gpu1, ['aten::mm']))
        .map((c) => nodeName(gpu1, c))
        .sort(),
    ).toEqual([
      'Memset (Device)',
      'sm80_xmma_gemm_f16f16_f16f32_f32_tn_n_tilesize128x128x32_stage3_warpsize2x2x1_tensor16x8x16_kernel',
    ]);
    const gpu0 = buildCallTree(byName(set.profiles, 'GPU 0'));
    expect(gpu0.total[node(gpu0, ['ampere_sgemm_32x32_sliced1x4_tn'])]).toBe(30_000);
    expect(set.warnings).toEqual([
      '1 of 6 GPU events have no launching CPU op in the trace (launched before it started?); shown at the root',
    ]);
  });

  it('counts the CUDA runtime calls as CPU time of the launching thread', () => {
    const cpu = buildCallTree(set.profiles[0]!);
    const step = ['execute_model', 'execute_model'];
    expect(cpu.self[node(cpu, [...step, 'aten::linear', 'aten::addmm'])]).toBe(260_000);
    expect(cpu.total[node(cpu, [...step, 'aten::copy_', 'cudaStreamSynchronize'])]).toBe(240_000);
  });
});

describe('importChromeTrace on speedscope’s trace-event samples', () => {
  it('nests B/E pairs and X events by time (simple.json), skipping an X without dur', () => {
    const set = open('speedscope-simple.json');
    const tree = buildCallTree(set.profiles[0]!);
    expect(tree.total[0]).toBe(14_000);
    expect(tree.self[node(tree, ['alpha'])]).toBe(2_000);
    expect(tree.self[node(tree, ['alpha', 'beta'])]).toBe(7_000);
    expect(tree.total[node(tree, ['alpha', 'beta', 'gamma'])]).toBe(5_000);
    expect(set.warnings).toEqual(['event 3 (X "epsilon"): no valid "dur"; skipped']);
    expect(set.meta.source).toBe('chrome trace');
  });

  it('reads a bare array cut before its closing bracket, as the format allows', () => {
    for (const name of [
      'speedscope-simple-partial.json',
      'speedscope-simple-partial-trailing-comma.json',
    ]) {
      expect(totalWeight(open(name).profiles[0]!)).toBe(14_000);
    }
  });

  it('names profiles by process_name/thread_name metadata (multiprocess.json)', () => {
    expect(open('speedscope-multiprocess.json').profiles.map((p) => p.name)).toEqual([
      'p0t0 · p0',
      'p0t1 · p0',
      'p1t0 · p1',
      'p1t1 · p1',
      'p2t0 · pid 2',
      'p2t1 · pid 2',
      'thread 0 · p3',
      'thread 1 · p3',
    ]);
  });

  it('orders B/E pairs written out of order by their timestamps', () => {
    const tree = buildCallTree(open('speedscope-out-of-order.json').profiles[0]!);
    expect(tree.total[node(tree, ['A', 'B', 'C'])]).toBe(6_000);
    expect(tree.total[0]).toBe(10_000);
  });

  it('splits an X event that overlaps its parent partially at the parent’s end, naming both', () => {
    const set = open('speedscope-invalid-x-nesting.json');
    const tree = buildCallTree(set.profiles[0]!);
    // alpha [0, 10] and beta [5, 15]: beta [5, 10] inside alpha, then beta [10, 15] after it.
    expect(tree.total[0]).toBe(15_000);
    expect(tree.total[node(tree, ['alpha', 'beta'])]).toBe(5_000);
    expect(tree.total[node(tree, ['beta'])]).toBe(5_000);
    expect(tree.count[node(tree, ['beta'])]).toBe(0);
    expect(set.warnings).toEqual([
      '1 events overlap an enclosing event without nesting in it (first: event 1 ("beta") in event 0 ("alpha")); each is cut at that event\'s end and the rest placed after it',
    ]);
  });

  it('warns about unbalanced B/E events by index and keeps the time', () => {
    expect(open('speedscope-too-many-end-events.json').warnings).toEqual([
      'event 4 (E "gamma"): no open "B" to end; skipped',
      'event 5 (E "delta"): no open "B" to end; skipped',
    ]);
    const mismatched = open('speedscope-mismatched-name.json');
    expect(mismatched.warnings).toEqual([
      'event 1 (E "beta"): no open "B" to end; skipped',
      'event 0 (B "alpha"): never ended; closed at the thread\'s last timestamp',
    ]);
    expect(totalWeight(mismatched.profiles[0]!)).toBe(10_000);
    const onlyBegin = open('speedscope-only-begin-events.json');
    expect(onlyBegin.warnings).toHaveLength(3);
    expect(totalWeight(onlyBegin.profiles[0]!)).toBe(2_000);
  });
});

describe('importChromeTrace on a Chrome DevTools trace', () => {
  it('reads Chrome 69’s trace: every thread’s total is the time its X and B/E spans cover', () => {
    const set = open('chrome69-simple.json');
    expect(set.profiles.length).toBeGreaterThan(1);
    for (const p of set.profiles) expect(buildCallTree(p).total[0]).toBe(totalWeight(p));
  });

  it('refuses a trace with only sample events (Chrome 141) and says why', () => {
    expect(() => open('chrome141-no-arg-data.json')).toThrow(
      /chrome141-no-arg-data\.json: chrome-trace: no duration events: none of the 63 events/,
    );
  });
});

describe('malformed traces', () => {
  it('skips an event without ts, naming its index', () => {
    const set = fromJson([
      { ph: 'X', name: 'a', pid: 0, tid: 0, dur: 5 },
      { ph: 'X', name: 'b', pid: 0, tid: 0, ts: 0, dur: 3 },
    ]);
    expect(set.warnings).toEqual(['event 0 (X "a"): no "ts"; skipped']);
    expect(totalWeight(set.profiles[0]!)).toBe(3_000);
  });

  it('refuses a file whose events all lack timestamps', () => {
    expect(() => fromJson({ traceEvents: [{ ph: 'X', name: 'a', dur: 5 }] })).toThrow(
      ProfileImportError,
    );
  });

  it('gives the line of a JSON syntax error', () => {
    const bad = '{"traceEvents": [\n{"ph": "X", "ts": 1, "dur": 2},\n{"ph": "X" "ts": 3}\n]}';
    const err = (() => {
      try {
        importChromeTrace({ name: 'bad.json', bytes: new TextEncoder().encode(bad) });
      } catch (e) {
        return e as ProfileImportError;
      }
      throw new Error('no error');
    })();
    expect(err).toBeInstanceOf(ProfileImportError);
    expect(err.location.line).toBe(3);
  });

  it('refuses JSON that is not a trace', () => {
    expect(() => fromJson({ profiles: [] })).toThrow(
      /expected a JSON array of trace events or an object/,
    );
  });
});

describe('looksLikeChromeTrace', () => {
  it('accepts Kineto, Chrome and bare-array traces; rejects speedscope and Pyroscope JSON', () => {
    expect(looksLikeChromeTrace(text('torch-cpu-tiny.json'))).toBe(true);
    expect(looksLikeChromeTrace(text('kineto-gpu-crafted.json'))).toBe(true);
    expect(looksLikeChromeTrace(text('speedscope-simple.json'))).toBe(true);
    expect(looksLikeChromeTrace(text('chrome69-simple.json'))).toBe(true);
    expect(
      looksLikeChromeTrace(
        '{"$schema":"https://www.speedscope.app/file-format-schema.json","profiles":[]}',
      ),
    ).toBe(false);
    expect(looksLikeChromeTrace('{"flamebearer":{"names":[],"levels":[]}}')).toBe(false);
    expect(looksLikeChromeTrace('main;work 1')).toBe(false);
  });
});
