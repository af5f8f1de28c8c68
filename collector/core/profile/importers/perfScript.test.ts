// The core's code never touches files; its tests read their fixtures.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildCallTree } from '../callTree.js';
import { type Profile, totalWeight } from '../model.js';
import { importPerfScript } from './perfScript.js';
import { ProfileImportError } from './types.js';

const dir = new URL('../fixtures/perf-script/', import.meta.url);
const textOf = (name: string) => readFileSync(new URL(name, dir), 'utf8');
const load = (name: string) =>
  importPerfScript({ name, bytes: new Uint8Array(readFileSync(new URL(name, dir))) });

/** The file's own sample count: header lines (not indented, not blank, not `#`). */
function headerLines(name: string): string[] {
  return textOf(name)
    .split('\n')
    .filter((l) => l.trim() !== '' && !/^\s/.test(l) && !l.startsWith('#'));
}

const sum = (ps: readonly Profile[]) => ps.reduce((s, p) => s + totalWeight(p), 0);
const names = (p: Profile, stack: number) => p.stacks[stack]!.map((f) => p.frames[f]!.name);

const files = readdirSync(dir).filter(
  (f) => f.endsWith('.txt') && !f.startsWith('crafted-') && !f.endsWith('.js.txt'),
);

describe('importPerfScript', () => {
  it.each(files)('%s: one sample per header line, over all profiles', (name) => {
    const set = load(name);
    expect(set.format).toBe('perf-script');
    expect(set.warnings).toEqual([]);
    expect(sum(set.profiles)).toBe(headerLines(name).length);
    for (const p of set.profiles) {
      expect(p.unit).toBe('samples');
      expect(buildCallTree(p).total[0]).toBe(totalWeight(p));
    }
  });

  it('reads the chain leaf first and stores it root → leaf, offsets stripped (simple.linux-perf.txt)', () => {
    const p = load('simple.linux-perf.txt').profiles[0]!;
    expect(p.name).toBe('simple-terminat (tid 10)');
    expect(names(p, p.sampleStacks[0]!)).toEqual([
      '[unknown] ([unknown])',
      '__libc_start_main',
      'main',
      '_Z5deltav',
      '_Z4betav',
    ]);
    expect(p.frames.find((f) => f.name === '__libc_start_main')).toEqual({
      name: '__libc_start_main',
      file: '/lib/x86_64-linux-gnu/libc-2.27.so',
      kind: 'native',
      module: 'libc-2.27.so',
    });
  });

  it('splits a process per thread where its samples carry different tids (perf-python-pid.txt)', () => {
    const set = load('perf-python-pid.txt');
    const headers = headerLines('perf-python-pid.txt');
    const count = (re: RegExp) => headers.filter((h) => re.test(h)).length;
    const main = set.profiles.find((p) => p.name === 'python3 (pid 10742, tid 10742)')!;
    const worker = set.profiles.find((p) => p.name === 'python3 (pid 10742, tid 10798)')!;
    expect(totalWeight(main)).toBe(count(/^python3 10742\/10742 /));
    expect(totalWeight(worker)).toBe(count(/^python3 10742\/10798 /));
    expect(worker.labels).toEqual({ comm: 'python3', pid: '10742', tid: '10798' });
    // bash ran in the same pid before exec: a process of its own, one thread.
    const bash = set.profiles.find((p) => p.name === 'bash (pid 10742)')!;
    expect(bash.labels).toEqual({ comm: 'bash', pid: '10742' });
    expect(totalWeight(bash)).toBe(count(/^bash 10742\/10742 /));
  });

  it('makes one profile per process of a system-wide capture (forks.linux-perf.txt)', () => {
    const set = load('forks.linux-perf.txt');
    const headers = headerLines('forks.linux-perf.txt');
    const keys = new Set(headers.map((h) => h.trim().split(/\s+/).slice(0, 2).join(' ')));
    expect(set.profiles).toHaveLength(keys.size);
    const forks9 = set.profiles.find((p) => p.name === 'forks (tid 9)')!;
    expect(totalWeight(forks9)).toBe(headers.filter((h) => /^forks\s+9 /.test(h)).length);
  });

  it('reads [kernel.kallsyms] frames as kernel and keeps [unknown] ones by DSO (system-wide)', () => {
    const set = load('system-wide.linux-perf.txt');
    const frames = set.profiles[0]!.frames;
    expect(frames.find((f) => f.name === '[unknown] ([kernel.kallsyms])')).toMatchObject({
      kind: 'kernel',
      module: 'kernel',
    });
    const perf = load('perf-python.txt').profiles[0]!.frames;
    expect(perf.find((f) => f.name === 'kmem_cache_alloc_noprof')).toEqual({
      name: 'kmem_cache_alloc_noprof',
      file: '[kernel.kallsyms]',
      kind: 'kernel',
      module: 'kernel',
    });
  });

  it("reads Node's perf-map frames as JIT (perf-node-jit.txt)", () => {
    const p = load('perf-node-jit.txt').profiles[0]!;
    expect(p.name).toBe('node (pid 11185)');
    const fib = p.frames.find((f) => f.name === 'JS:*fib /tmp/h1/spin.js:2:13')!;
    expect(fib).toMatchObject({ file: '/tmp/perf-11185.map', kind: 'jit' });
  });

  it('demangled and mangled names keep their text; only the +0x offset goes (rust-mangled)', () => {
    const p = load('rust-mangled.linux-perf.txt').profiles[0]!;
    expect(p.frames.map((f) => f.name)).toContain('_start');
    expect(p.frames.every((f) => !/\+0x[0-9a-f]+$/.test(f.name))).toBe(true);
  });

  it('warns about a cut-off header and keeps HTML names as text (crafted-truncated.txt)', () => {
    const set = load('crafted-truncated.txt');
    expect(totalWeight(set.profiles[0]!)).toBe(2);
    expect(set.warnings).toEqual([
      'line 9: not a sample header ("comm pid time: event:"): "python3 100/100 [001] 10.0"',
    ]);
    expect(set.profiles[0]!.frames.map((f) => f.name)).toContain('<script>alert(1)</script>');
  });

  it('refuses a file with no sample header, naming the file and line', () => {
    expect(() => load('crafted-no-header.txt')).toThrow(ProfileImportError);
    expect(() => load('crafted-no-header.txt')).toThrow(
      'crafted-no-header.txt, line 2: perf-script: expected a sample header "comm pid [cpu] time: period event:", got "not a header at all"',
    );
  });

  it('reads a sample without a call chain (perf record without -g) from its header line', () => {
    const text = 'app 7 [000] 1.5: 1 cpu-clock:  4005c1 main+0x1 (/usr/bin/app)\n';
    const p = importPerfScript({ name: 'flat.txt', bytes: new TextEncoder().encode(text) })
      .profiles[0]!;
    expect(names(p, p.sampleStacks[0]!)).toEqual(['main']);
  });

  it('takes a very long line for no header, quickly (no regex blow-up on hostile input)', () => {
    const hostile = `x${' '.repeat(200_000)}1 2.0 y\n`;
    const t0 = performance.now();
    expect(() =>
      importPerfScript({ name: 'hostile.txt', bytes: new TextEncoder().encode(hostile) }),
    ).toThrow(/^hostile\.txt, line 1: perf-script: expected a sample header/);
    expect(performance.now() - t0).toBeLessThan(1000);
  });
});
