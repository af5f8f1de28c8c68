// The core's code never touches files; its tests read their fixtures.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildCallTree } from '../callTree.js';
import { type Profile, totalWeight } from '../model.js';
import { EMPTY_STACK, importBpftrace, splitBpftraceFrame } from './bpftrace.js';
import { detectFormat } from './detectFormat.js';
import { importProfile } from './importProfile.js';
import { ProfileImportError } from './types.js';

const fixtures = new URL('../fixtures/', import.meta.url);
const textOf = (rel: string) => readFileSync(new URL(rel, fixtures), 'utf8');
const bytesOf = (rel: string) => new Uint8Array(readFileSync(new URL(rel, fixtures)));
const load = (name: string) => importBpftrace({ name, bytes: bytesOf(`bpftrace/${name}`) });

/** The file's own total: the count after every `]: `, by a plain regex. */
function closingCountsSum(rel: string): number {
  let sum = 0;
  for (const m of textOf(rel).matchAll(/\]: (\d+)$/gm)) sum += Number(m[1]);
  return sum;
}

/** Stack → weight, frame names root → leaf joined by `;`. */
function collapsed(p: Profile): Map<string, number> {
  const out = new Map<string, number>();
  p.sampleStacks.forEach((s, i) => {
    const key = p.stacks[s]!.map((f) => p.frames[f]!.name).join(';');
    out.set(key, (out.get(key) ?? 0) + p.weights[i]!);
  });
  return out;
}

const framesOf = (p: Profile) => p.frames.filter((_, i) => p.stacks.some((s) => s.includes(i)));

describe('importBpftrace', () => {
  it.each([
    ['kstack.txt', 1],
    ['python-ustack-kstack.txt', 1],
    ['python-comm-pid-kstack-ustack-perf.txt', 1],
  ])('%s (real bpftrace 0.17): total weight equals the sum of its "]: N" counts', (name, n) => {
    const set = load(name);
    expect(set.format).toBe('bpftrace');
    expect(set.warnings).toEqual([]);
    expect(set.profiles).toHaveLength(n);
    const p = set.profiles[0]!;
    const expected = closingCountsSum(`bpftrace/${name}`);
    expect(expected).toBeGreaterThan(100);
    expect(totalWeight(p)).toBe(expected);
    expect(buildCallTree(p).total[0]).toBe(expected);
  });

  it('kstack.txt: every stack equals stackcollapse-bpftrace.pl’s output, offsets stripped and summed', () => {
    const p = load('kstack.txt').profiles[0]!;
    // stackcollapse-bpftrace.pl keeps `+118` offsets and drops `@[]: N`; fold its lines the way
    // the importer folds frames, and compare the empty stack on its own.
    const expected = new Map<string, number>();
    for (const line of textOf('folded/stackcollapse-bpftrace-kstack.txt').split('\n')) {
      if (line === '') continue;
      const sp = line.lastIndexOf(' ');
      const key = line
        .slice(0, sp)
        .split(';')
        .map((f) => f.replace(/\+\d+$/, ''))
        .join(';');
      expected.set(key, (expected.get(key) ?? 0) + Number(line.slice(sp + 1)));
    }
    const got = collapsed(p);
    const empty = /^@\[\]: (\d+)$/m.exec(textOf('bpftrace/kstack.txt'))!;
    expect(got.get(EMPTY_STACK)).toBe(Number(empty[1]));
    got.delete(EMPTY_STACK);
    expect(got).toEqual(expected);
    expect(
      new Set(
        framesOf(p)
          .filter((f) => f.name !== EMPTY_STACK)
          .map((f) => f.kind),
      ),
    ).toEqual(new Set(['kernel']));
  });

  it('draws the kernel stack above the user stack of a ustack, kstack key', () => {
    const p = load('python-ustack-kstack.txt').profiles[0]!;
    // The entry at lines 96–106: __close_nocancel (user) then ext4's close path (kernel).
    const stack = [...collapsed(p).keys()].find((k) => k.includes('rb_next_postorder'))!;
    expect(stack.split(';')).toEqual([
      '0x7f0114857340',
      '__close_nocancel',
      'entry_SYSCALL_64_after_hwframe',
      'do_syscall_64',
      '__x64_sys_close',
      '__fput',
      'ext4_release_dir',
      'free_rb_tree_fname',
      'rb_next_postorder',
    ]);
    const kinds = new Map(framesOf(p).map((f) => [f.name, f.kind]));
    expect(kinds.get('__close_nocancel')).toBe('other');
    expect(kinds.get('do_syscall_64')).toBe('kernel');
    expect(kinds.get('_PyEval_EvalFrameDefault')).toBe('other');
  });

  it('reads ustack(perf) frames with their DSO, and comm and pid keys as root frames', () => {
    const p = load('python-comm-pid-kstack-ustack-perf.txt').profiles[0]!;
    expect(p.frames).toContainEqual({
      name: '_PyEval_EvalFrameDefault',
      kind: 'native',
      module: 'libpython3.11.so.1.0',
      file: '/root/.pyenv/versions/3.11.7/lib/libpython3.11.so.1.0',
    });
    const roots = new Set(p.sampleStacks.map((s) => p.frames[p.stacks[s]![0]!]!.name));
    expect(roots).toEqual(new Set(['python3']));
    // The one entry with a kernel stack (lines 227–240): python3, pid, user frames, kernel frames.
    const mixed = [...collapsed(p)].find(([k]) => k.includes('update_sd_lb_stats'))!;
    expect(mixed[0].split(';').slice(0, 5)).toEqual([
      'python3',
      '18624',
      '0x7fd4a3a56240',
      '0x7fd4a32dea80',
      '_PyEval_EvalFrameDefault',
    ]);
    expect(
      mixed[0].endsWith(
        ';asm_sysvec_apic_timer_interrupt;sysvec_apic_timer_interrupt;__irq_exit_rcu;handle_softirqs;sched_balance_domains;sched_balance_rq;sched_balance_find_src_group;update_sd_lb_stats.constprop.0',
      ),
    ).toBe(true);
    expect(splitBpftraceFrame('    read_zero+119')).toEqual({ name: 'read_zero', dso: undefined });
  });

  it('skips unclosed entries, bad counts and stray lines, naming their lines (crafted-malformed.txt)', () => {
    const set = load('crafted-malformed.txt');
    expect(set.warnings).toEqual([
      'line 2: the entry starting here is not closed by "]: count"',
      'line 14: count "1x" is not a whole number; the entry is skipped',
      'line 19: not part of a map entry (expected "@[" to open one): "printf output mixed in"',
      'line 20: the entry starting here is not closed by "]: count"',
    ]);
    const p = set.profiles[0]!;
    expect(totalWeight(p)).toBe(6 + 2);
    expect(collapsed(p).get('do_syscall_64;sock_sendmsg;tcp_sendmsg')).toBe(6);
    // HTML and C++ templates kept as text.
    expect(
      collapsed(p).get(
        'std::vector<int, std::allocator<int> >::push_back(int const&);<script>alert(1)</script>',
      ),
    ).toBe(2);
  });

  it('makes one profile per map and counts entries without a stack (crafted-two-maps.txt)', () => {
    const set = load('crafted-two-maps.txt');
    expect(set.profiles.map((p) => [p.name, totalWeight(p)])).toEqual([
      ['@user', 3],
      ['@kernel', 9],
    ]);
    expect(collapsed(set.profiles[1]!).get('entry_SYSCALL_64_after_hwframe;schedule')).toBe(9);
    expect(set.warnings).toEqual(['1 map entries without a stack (keys only) are not shown']);
  });

  it('refuses a file of keys without stacks, naming the file and line', () => {
    expect(() => load('crafted-keys-only.txt')).toThrow(ProfileImportError);
    expect(() => load('crafted-keys-only.txt')).toThrow(
      'crafted-keys-only.txt, line 1: bpftrace: the file holds no stacks; expected "@[", frames, then "]: count"',
    );
  });

  it('is detected by content and read through importProfile', () => {
    for (const name of ['kstack.txt', 'python-ustack-kstack.txt', 'crafted-two-maps.txt']) {
      expect(detectFormat(bytesOf(`bpftrace/${name}`))).toBe('bpftrace');
    }
    expect(detectFormat(bytesOf('folded/stackcollapse-bpftrace-kstack.txt'))).toBe('folded');
    const set = importProfile({ name: 'kstack.txt', bytes: bytesOf('bpftrace/kstack.txt') });
    expect(set.format).toBe('bpftrace');
  });
});
