// The core's code never touches files; its tests read their fixtures.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildCallTree } from '../callTree.js';
import { type Profile, totalWeight } from '../model.js';
import { importAustin } from './austin.js';
import { ProfileImportError } from './types.js';

// Every austin fixture is crafted (no austin binary installable here; see SOURCES.md).
const dir = new URL('../fixtures/austin/', import.meta.url);
const textOf = (name: string) => readFileSync(new URL(name, dir), 'utf8');
const load = (name: string, sampleType?: string) =>
  importAustin({ name, bytes: new Uint8Array(readFileSync(new URL(name, dir))) }, { sampleType });

/** Sample lines' metric fields, by a plain split: [time or memory, idle?, memory?]. */
function metrics(name: string): number[][] {
  return textOf(name)
    .split('\n')
    .filter((l) => l.startsWith('P'))
    .map((l) =>
      l
        .slice(l.lastIndexOf(' ') + 1)
        .split(',')
        .map(Number),
    );
}

const sum = (ps: readonly Profile[]) => ps.reduce((s, p) => s + totalWeight(p), 0);

describe('importAustin', () => {
  it('wall mode: microseconds → nanoseconds, total equal to the file, one profile per thread', () => {
    const set = load('crafted-wall.austin');
    const fileTotalUs = metrics('crafted-wall.austin').reduce((s, m) => s + m[0]!, 0);
    expect(sum(set.profiles)).toBe(fileTotalUs * 1000);
    expect(set.profiles.map((p) => p.name)).toEqual([
      'thread 7ffb7f3e8700 (pid 4317)',
      'thread 7ffb80a1b740 (pid 4317)',
    ]);
    for (const p of set.profiles) {
      expect(p).toMatchObject({ unit: 'nanoseconds', measure: 'wall' });
      expect(buildCallTree(p).total[0]).toBe(totalWeight(p));
    }
    expect(totalWeight(set.profiles[0]!)).toBe((10085 + 220 + 115) * 1000);
    expect(set.meta).toMatchObject({ source: 'austin 3.7.0', rateHz: 10_000, durationNs: 1.9e9 });
  });

  it('reads file:function:line frames and their packages', () => {
    const frames = load('crafted-wall.austin').profiles[0]!.frames;
    expect(frames.find((f) => f.name === 'run' && f.line === 41)).toEqual({
      name: 'run',
      file: '/srv/app/worker.py',
      line: 41,
      kind: 'python',
      module: 'app',
    });
    expect(frames.find((f) => f.name === 'step')).toMatchObject({ module: 'vllm', line: 1204 });
    expect(frames.find((f) => f.name === '_call_impl')).toMatchObject({ module: 'torch' });
    expect(frames.find((f) => f.name === '_bootstrap')).toMatchObject({ module: 'threading' });
  });

  it('keeps a sample with no frames as weight on the thread itself', () => {
    const p = load('crafted-wall.austin').profiles[1]!;
    const i = p.sampleStacks.findIndex((s) => p.stacks[s]!.length === 0);
    expect(p.weights[i]).toBe(104_000);
  });

  it('full mode: time by default, cpu without idle samples, memory without frees', () => {
    const m = metrics('crafted-full.austin');
    const wall = load('crafted-full.austin');
    expect(sum(wall.profiles)).toBe(m.reduce((s, x) => s + x[0]!, 0) * 1000);
    expect(wall.profiles[0]!.measure).toBe('wall');
    expect(wall.meta.sampleTypes).toEqual(['wall', 'cpu', 'memory']);
    expect(wall.profiles.map((p) => p.labels)).toEqual([
      { pid: '12', tid: '7f01', interpreter: '0' },
      { pid: '12', tid: '7f02', interpreter: '0' },
    ]);
    const cpu = load('crafted-full.austin', 'cpu');
    expect(sum(cpu.profiles)).toBe(
      m.filter((x) => x[1] === 0).reduce((s, x) => s + x[0]!, 0) * 1000,
    );
    expect(cpu.profiles[0]!.measure).toBe('cpu');
    const mem = load('crafted-full.austin', 'memory');
    expect(sum(mem.profiles)).toBe(m.filter((x) => x[2]! > 0).reduce((s, x) => s + x[2]!, 0));
    expect(mem.profiles[0]).toMatchObject({ unit: 'bytes', measure: 'alloc' });
    expect(mem.warnings).toEqual(['1 samples of freed memory (negative deltas) are not shown']);
  });

  it('warns about malformed lines by number and keeps HTML names as text', () => {
    const set = load('crafted-malformed.austin');
    expect(sum(set.profiles)).toBe(150_000);
    expect(set.profiles[0]!.measure).toBe('cpu');
    expect(set.warnings.map((w) => w.slice(0, w.indexOf(':')))).toEqual([
      'line 4',
      'line 5',
      'line 7',
    ]);
    expect(set.profiles[0]!.frames.map((f) => f.name)).toContain('<script>alert(1)</script>');
  });

  it('refuses a file without samples, naming the file and line', () => {
    expect(() => load('crafted-no-samples.austin')).toThrow(ProfileImportError);
    expect(() => load('crafted-no-samples.austin')).toThrow(
      /^crafted-no-samples\.austin, line 2: austin: expected a sample "P<pid>;T<tid>;frames… metric"/,
    );
  });

  it("reads austin 2's `function (file);L<line>` frames", () => {
    const text = 'P1;T2;main (/srv/a.py);L3;work (/srv/a.py);L9 500\n';
    const p = importAustin({ name: 'a2.austin', bytes: new TextEncoder().encode(text) })
      .profiles[0]!;
    expect(p.stacks[p.sampleStacks[0]!]!.map((f) => p.frames[f])).toEqual([
      { name: 'main', file: '/srv/a.py', line: 3, kind: 'python', module: 'srv' },
      { name: 'work', file: '/srv/a.py', line: 9, kind: 'python', module: 'srv' },
    ]);
  });
});
