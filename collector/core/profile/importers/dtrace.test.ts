// The core's code never touches files; its tests read their fixtures.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildCallTree } from '../callTree.js';
import { type Profile, totalWeight } from '../model.js';
import { detectFormat } from './detectFormat.js';
import { importDtrace, splitDtraceFrame } from './dtrace.js';
import { importProfile } from './importProfile.js';
import { ProfileImportError } from './types.js';

const fixtures = new URL('../fixtures/', import.meta.url);
const bytesOf = (rel: string) => new Uint8Array(readFileSync(new URL(rel, fixtures)));
const load = (name: string) => importDtrace({ name, bytes: bytesOf(`dtrace/${name}`) });
const encode = (text: string) => new TextEncoder().encode(text);

/** The file's own total: every line holding only a number, by a plain split. */
function countLinesSum(rel: string): number {
  let sum = 0;
  for (const line of new TextDecoder().decode(bytesOf(rel)).split('\n')) {
    if (/^\s*\d+\s*$/.test(line)) sum += Number(line.trim());
  }
  return sum;
}

/** Stack → weight, frames root → leaf written `module`function` as stackcollapse.pl does. */
function collapsed(p: Profile): Map<string, number> {
  const out = new Map<string, number>();
  p.sampleStacks.forEach((s, i) => {
    const key = p.stacks[s]!.map((f) => {
      const frame = p.frames[f]!;
      return frame.module === undefined ? frame.name : `${frame.module}\`${frame.name}`;
    }).join(';');
    out.set(key, (out.get(key) ?? 0) + p.weights[i]!);
  });
  return out;
}

/** stackcollapse.pl's own output: `stack count` a line. */
function readFolded(rel: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of new TextDecoder().decode(bytesOf(rel)).split('\n')) {
    if (line === '') continue;
    const sp = line.lastIndexOf(' ');
    out.set(line.slice(0, sp), Number(line.slice(sp + 1)));
  }
  return out;
}

describe('importDtrace', () => {
  it.each([
    ['example-dtrace-stacks.head.txt', 38],
    ['example-dtrace-stacks.tail.txt', 14303],
  ])('%s: total weight equals the sum of its count lines (%d)', (name, expected) => {
    const set = load(name);
    expect(set.format).toBe('dtrace');
    expect(set.meta.source).toBe('dtrace');
    expect(set.warnings).toEqual([]);
    const p = set.profiles[0]!;
    expect(countLinesSum(`dtrace/${name}`)).toBe(expected);
    expect(totalWeight(p)).toBe(expected);
    expect(buildCallTree(p).total[0]).toBe(expected);
    expect(p.unit).toBe('samples');
  });

  it.each(['head', 'tail'])(
    'example-dtrace-stacks.%s.txt: every stack and count equals stackcollapse.pl’s output',
    (part) => {
      const p = load(`example-dtrace-stacks.${part}.txt`).profiles[0]!;
      const expected = readFolded(`folded/stackcollapse-example-dtrace-stacks.${part}.txt`);
      expect(expected.size).toBeGreaterThan(20);
      expect(collapsed(p)).toEqual(expected);
    },
  );

  it('sums stacks that differ only in offsets (fop_lookup+0x16 and +0x118: one stack of 2)', () => {
    const p = load('example-dtrace-stacks.head.txt').profiles[0]!;
    const stack = [
      'unix`sys_syscall',
      'genunix`open',
      'genunix`openat',
      'genunix`copen',
      'genunix`vn_openat',
      'genunix`lookupnameat',
      'genunix`lookupnameatcred',
      'genunix`lookuppnatcred',
      'genunix`lookuppnvp',
      'genunix`fop_lookup',
    ].join(';');
    expect(collapsed(p).get(stack)).toBe(2);
    // 38 entries in the file, 32 stacks once offsets are gone (stackcollapse.pl's 32 lines).
    expect(p.sampleStacks).toHaveLength(32);
    expect(p.counts).toEqual(p.weights);
  });

  it('splits module`function+offset: the module to Frame.module, kernel stacks as kernel', () => {
    const p = load('example-dtrace-stacks.tail.txt').profiles[0]!;
    expect(new Set(p.frames.map((f) => f.kind))).toEqual(new Set(['kernel']));
    expect(p.frames).toContainEqual({ name: 'freelonode', kind: 'kernel', module: 'lofs' });
    expect(p.frames).toContainEqual({ name: 'sys_syscall', kind: 'kernel', module: 'unix' });
    expect(p.frames).toContainEqual({
      name: '0xfffffffffb800c91',
      kind: 'kernel',
      module: 'unix',
    });
    expect(p.frames.some((f) => /\+0x|`/.test(f.name))).toBe(false);
    expect(splitDtraceFrame('              libc.so.1`_read+0x7')).toEqual({
      name: '_read',
      module: 'libc.so.1',
    });
    expect(splitDtraceFrame('0x7fffd2a1b2c3')).toEqual({
      name: '0x7fffd2a1b2c3',
      module: undefined,
    });
  });

  it('drops a stack whose count line is missing, naming its line (crafted-missing-count.txt)', () => {
    const set = load('crafted-missing-count.txt');
    expect(set.warnings).toEqual([
      'line 5: the stack starting here has no count line (the next starts at line 10)',
      'line 25: the stack starting here has no count line',
    ]);
    const p = set.profiles[0]!;
    expect(totalWeight(p)).toBe(7 + 3);
    const stacks = collapsed(p);
    expect(
      stacks.get(
        'mysqld`handle_one_connection;mysqld`do_command;mysqld`my_net_read;libc.so.1`__read',
      ),
    ).toBe(7);
  });

  it('reads a stack() + ustack() key as one sample: user frames below, kernel frames above', () => {
    const p = load('crafted-missing-count.txt').profiles[0]!;
    const mixed = p.sampleStacks
      .map((s) => p.stacks[s]!.map((f) => p.frames[f]!))
      .find((frames) => frames.length === 6)!;
    expect(mixed.map((f) => [f.name, f.kind, f.module])).toEqual([
      ['0x7fffd2a1b2c3', 'other', undefined],
      ['my_net_read', 'native', 'mysqld'],
      ['__read', 'native', 'libc.so.1'],
      ['sys_syscall', 'kernel', 'unix'],
      ['read', 'kernel', 'genunix'],
      ['mutex_enter', 'kernel', 'unix'],
    ]);
  });

  it('puts the user stack below the kernel stack in a ustack() + stack() key too', () => {
    const text =
      '\n              libc.so.1`__read+0x7\n              mysqld`main+0x1\n\n' +
      '              unix`mutex_enter+0x10\n              unix`sys_syscall+0x17a\n                4\n';
    const p = importDtrace({ name: 'u-then-k', bytes: encode(text) }).profiles[0]!;
    expect([...collapsed(p)]).toEqual([
      ['mysqld`main;libc.so.1`__read;unix`sys_syscall;unix`mutex_enter', 4],
    ]);
  });

  it('skips stacks whose count is not a whole number, naming the line (crafted-bad-count.txt)', () => {
    const set = load('crafted-bad-count.txt');
    expect(set.warnings).toEqual([
      'line 7: count "12x" is not a whole number; the stack before it is skipped',
      'line 15: count "3.5" is not a whole number; the stack before it is skipped',
    ]);
    const p = set.profiles[0]!;
    expect(totalWeight(p)).toBe(4);
    expect([...collapsed(p).keys()]).toEqual([
      'mysqld`ha_innobase::general_fetch;mysqld`row_search_for_mysql',
    ]);
  });

  it('keeps HTML and C++ argument lists in frame names as text (crafted-html-names.txt)', () => {
    const p = load('crafted-html-names.txt').profiles[0]!;
    expect(totalWeight(p)).toBe(3);
    const names = p.frames.map((f) => f.name);
    expect(names).toContain('<script>alert(1)</script>');
    expect(names).toContain('<img src=x onerror=alert(2)>');
    expect(names).toContain('<b>main</b>');
    expect(p.frames).toContainEqual({
      name: 'std::ostream& std::operator<< <std::char_traits<char> >(std::ostream&, char const*)',
      kind: 'native',
      module: 'libstdc++.so.6',
    });
  });

  it('refuses a file holding only the header, naming the file and line', () => {
    expect(() => load('crafted-header-only.txt')).toThrow(ProfileImportError);
    expect(() => load('crafted-header-only.txt')).toThrow(
      'crafted-header-only.txt, line 1: dtrace: the file holds no stacks; expected indented frames, then a line holding only the count',
    );
  });

  it('refuses a file whose every stack is broken, naming the first bad line', () => {
    const bytes = encode('\n              a`b+0x1\n              12x\n\n   c`d\n');
    expect(() => importDtrace({ name: 'bad.out', bytes })).toThrow(
      /^bad\.out, line 3: dtrace: count "12x" is not a whole number/,
    );
  });

  it('sums the intervals of a file printed by several ticks (headers between them)', () => {
    const text =
      'CPU     ID                    FUNCTION:NAME\n  0  64091   :tick-1s \n\n' +
      '              unix`idle+0x1\n                2\n\n' +
      '  1  64091   :tick-1s \n\n' +
      '              unix`idle+0x9\n                5\n';
    const p = importDtrace({ name: 'ticks', bytes: encode(text) }).profiles[0]!;
    expect([...collapsed(p)]).toEqual([['unix`idle', 7]]);
  });

  it('is detected by content, with or without its header, and not mistaken for folded', () => {
    expect(detectFormat(bytesOf('dtrace/example-dtrace-stacks.head.txt'))).toBe('dtrace');
    expect(detectFormat(bytesOf('dtrace/example-dtrace-stacks.tail.txt'))).toBe('dtrace');
    expect(detectFormat(bytesOf('folded/stackcollapse-example-dtrace-stacks.head.txt'))).toBe(
      'folded',
    );
    expect(detectFormat(encode('\n  libc.so.1`_read+0x7\n  mysqld`main+0x1\n   12\n'))).toBe(
      'dtrace',
    );
    // Indented lines without a module`function are not enough.
    expect(detectFormat(encode('  read\n  main\n  12\n'))).toBe(undefined);
    const set = importProfile({
      name: 'example-dtrace-stacks.head.txt',
      bytes: bytesOf('dtrace/example-dtrace-stacks.head.txt'),
    });
    expect(set.format).toBe('dtrace');
  });
});
