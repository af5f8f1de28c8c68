// The core's code never touches files; its tests read their fixtures.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildCallTree } from '../callTree.js';
import { type Profile, totalWeight } from '../model.js';
import { importFolded } from './folded.js';
import { ProfileImportError } from './types.js';

const dir = new URL('../fixtures/folded/', import.meta.url);
const bytesOf = (name: string) => new Uint8Array(readFileSync(new URL(name, dir)));
const load = (name: string) => importFolded({ name, bytes: bytesOf(name) });

/** The file's own total: the trailing integer of every line that has frames, by a plain split. */
function fileTotal(name: string): number {
  const b = bytesOf(name);
  const enc =
    b[0] === 0xff && b[1] === 0xfe
      ? 'utf-16le'
      : b[0] === 0xfe && b[1] === 0xff
        ? 'utf-16be'
        : 'utf-8';
  const text = new TextDecoder(enc).decode(b);
  let sum = 0;
  for (const line of text.split(/\r?\n/)) {
    const parts = line.trim().split(' ');
    const last = parts[parts.length - 1]!;
    const frames = parts.slice(0, -1).join(' ').replaceAll(';', '').trim();
    if (frames !== '' && /^\d+$/.test(last) && !line.startsWith('#')) sum += Number(last);
  }
  return sum;
}

/** Weight of the stack whose frame names are `names`, root → leaf. */
function stackWeight(p: Profile, names: string[]): number {
  let w = 0;
  p.sampleStacks.forEach((s, i) => {
    const got = p.stacks[s]!.map((f) => p.frames[f]!.name);
    if (got.join(';') === names.join(';')) w += p.weights[i]!;
  });
  return w;
}

const frameNamed = (p: Profile, name: string) => p.frames.find((f) => f.name === name);

const goodFiles = readdirSync(dir).filter(
  (f) => f.endsWith('.txt') && f !== 'crafted-no-valid-line.txt',
);

describe('importFolded', () => {
  it.each(goodFiles)('%s: total weight equals the sum of the counts in the file', (name) => {
    const set = load(name);
    expect(set.format).toBe('folded');
    expect(set.profiles).toHaveLength(1);
    const p = set.profiles[0]!;
    expect(totalWeight(p)).toBe(fileTotal(name));
    expect(buildCallTree(p).total[0]).toBe(fileTotal(name));
  });

  it('sums identical stacks (simple.txt: a;b;c on three lines, 1 + 1 + 3)', () => {
    const p = load('simple.txt').profiles[0]!;
    expect(stackWeight(p, ['a', 'b', 'c'])).toBe(5);
    expect(stackWeight(p, ['a', 'b', 'd'])).toBe(4);
    expect(stackWeight(p, ['a', 'b'])).toBe(5);
    expect(p.stacks).toHaveLength(3);
    // A line of count 3 stands for 3 samples.
    expect(p.counts).toEqual(p.weights);
  });

  it('reads CRLF and UTF-16 LE/BE with a byte-order mark as the same profile as simple.txt', () => {
    const ref = load('simple.txt').profiles[0]!;
    for (const name of ['simple-crlf.txt', 'simple-utf16-le.txt', 'simple-utf16-be.txt']) {
      const p = load(name).profiles[0]!;
      expect(p.frames.map((f) => f.name)).toEqual(ref.frames.map((f) => f.name));
      expect(stackWeight(p, ['a', 'b', 'c'])).toBe(5);
      expect(totalWeight(p)).toBe(14);
    }
  });

  it('reads py-spy raw frames as name, file and line (py-spy.txt)', () => {
    const p = load('py-spy.txt').profiles[0]!;
    expect(frameNamed(p, 'tokenize')).toEqual({
      name: 'tokenize',
      file: 'tokenize_bench.py',
      line: 10,
      kind: 'python',
      module: 'tokenize_bench',
    });
    const iterencode = p.frames.filter((f) => f.name === 'iterencode');
    expect(iterencode.map((f) => [f.file, f.module])).toContainEqual(['json/encoder.py', 'json']);
    expect(p.frames.find((f) => f.name === '_bootstrap')).toMatchObject({
      file: 'threading.py',
      kind: 'python',
      module: 'threading',
    });
  });

  it('reads py-spy --native frames as native code in their library (py-spy-native.txt)', () => {
    const p = load('py-spy-native.txt').profiles[0]!;
    expect(frameNamed(p, 'unicode_hash')).toEqual({
      name: 'unicode_hash',
      file: 'libpython3.11.so.1.0',
      kind: 'native',
      module: 'libpython3.11.so.1.0',
    });
    expect(frameNamed(p, '0x7f5df264524a')).toMatchObject({ kind: 'native', module: 'libc.so.6' });
  });

  it("keeps py-spy --threads' thread root frames (py-spy-threads.txt)", () => {
    const p = load('py-spy-threads.txt').profiles[0]!;
    const tree = buildCallTree(p);
    const roots: string[] = [];
    for (let c = tree.firstChild[0]!; c >= 0; c = tree.nextSibling[c]!) {
      roots.push(`${tree.frames[tree.frame[c]!]!.name}=${tree.total[c]}`);
    }
    // 8 + 45 + 33 + 2 + 81 + 2 (MainThread) and 123 + 54 (worker), as the file's lines say.
    expect(roots.sort()).toEqual(['thread (10197): MainThread=171', 'thread (10199): worker=177']);
  });

  it('warns about invalid lines with their numbers and keeps the valid ones', () => {
    const set = load('simple-with-invalids.txt');
    expect(totalWeight(set.profiles[0]!)).toBe(14);
    expect(set.warnings).toHaveLength(2);
    expect(set.warnings[0]).toBe(
      'line 2: count "comment" is not a number: "// some other comment"',
    );
    expect(set.warnings[1]).toBe('line 8: count "line" is not a number: "invalid line"');
  });

  it('skips bad counts, frameless and truncated lines with a warning each (crafted-bad-counts.txt)', () => {
    const set = load('crafted-bad-counts.txt');
    expect(totalWeight(set.profiles[0]!)).toBe(5);
    expect(set.warnings.map((w) => w.slice(0, w.indexOf(':')))).toEqual([
      'line 2',
      'line 3',
      'line 4',
      'line 5',
      'line 6',
    ]);
    expect(set.warnings[0]).toContain('count "abc" is not a number');
  });

  it('caps the warnings and counts the rest', () => {
    const lines = ['a;b 1', ...Array.from({ length: 50 }, (_, i) => `bad line ${i}x`)];
    const set = importFolded({
      name: 'many.txt',
      bytes: new TextEncoder().encode(lines.join('\n')),
    });
    expect(set.warnings).toHaveLength(21);
    expect(set.warnings[20]).toBe('… and 30 more skipped (only the first 20 are listed)');
  });

  it('keeps HTML in frame names as text (crafted-html-names.txt)', () => {
    const p = load('crafted-html-names.txt').profiles[0]!;
    expect(stackWeight(p, ['main', '<script>alert(1)</script>', 'leaf'])).toBe(3);
    expect(frameNamed(p, 'parse')).toMatchObject({ file: 'app/<b>x</b>.py', line: 7 });
  });

  it("reads perf's _[k] as kernel and _[j] as JIT, and strips _[i] (crafted-perf-annotations.txt)", () => {
    const p = load('crafted-perf-annotations.txt').profiles[0]!;
    expect(frameNamed(p, 'start_kernel')).toEqual({
      name: 'start_kernel',
      kind: 'kernel',
      module: 'kernel',
    });
    expect(frameNamed(p, 'LazyCompile:*fib')).toMatchObject({ kind: 'jit' });
    expect(frameNamed(p, 'PyObject_Call')).toBeDefined();
  });

  it('refuses a file with no valid line, naming the file and the first bad line', () => {
    expect(() => load('crafted-no-valid-line.txt')).toThrow(ProfileImportError);
    expect(() => load('crafted-no-valid-line.txt')).toThrow(
      'crafted-no-valid-line.txt, line 1: folded: count "profile" is not a number; expected "frame;frame;… count": "this is not a profile"',
    );
    expect(() => importFolded({ name: 'empty.txt', bytes: new Uint8Array() })).toThrow(
      'empty.txt, line 1: folded: the file holds no stacks',
    );
  });

  it('tells apart frames that differ only in characters its hash does not sample', () => {
    const lines: string[] = [];
    for (let i = 0; i < 300; i++) {
      lines.push(`root;0x7f5df2${String(i).padStart(6, '0')}4a (libc.so.6) ${i + 1}`);
    }
    const p = importFolded({ name: 'addr.txt', bytes: new TextEncoder().encode(lines.join('\n')) })
      .profiles[0]!;
    expect(p.frames).toHaveLength(301);
    expect(p.stacks).toHaveLength(300);
    expect(stackWeight(p, ['root', '0x7f5df200012a'])).toBe(0);
    expect(stackWeight(p, ['root', '0x7f5df200012'.concat('34a')])).toBe(124);
  });

  it('tells apart same-length frames differing only in a byte between the hashed words', () => {
    const base = 'x'.repeat(40);
    const a = `${base.slice(0, 5)}A${base.slice(6)}`;
    const b = `${base.slice(0, 5)}B${base.slice(6)}`;
    const text = `r;${a} 1\nr;${b} 2\nr;${a} 4\n`;
    const p = importFolded({ name: 'near.txt', bytes: new TextEncoder().encode(text) })
      .profiles[0]!;
    expect(stackWeight(p, ['r', a])).toBe(5);
    expect(stackWeight(p, ['r', b])).toBe(2);
  });

  it('reads UTF-8 names, 1–9 byte frames and a last line without a newline', () => {
    const text = '日本語;名前 3\na;bb;ccc;dddd;eeeee;ffffffff;ggggggggg 2\n\na;bb;ccc 1';
    const p = importFolded({ name: 'u.txt', bytes: new TextEncoder().encode(text) }).profiles[0]!;
    expect(stackWeight(p, ['日本語', '名前'])).toBe(3);
    expect(stackWeight(p, ['a', 'bb', 'ccc', 'dddd', 'eeeee', 'ffffffff', 'ggggggggg'])).toBe(2);
    expect(stackWeight(p, ['a', 'bb', 'ccc'])).toBe(1);
    expect(totalWeight(p)).toBe(6);
  });
});
