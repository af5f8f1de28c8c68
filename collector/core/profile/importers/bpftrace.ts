/**
 * bpftrace map output holding stacks, as `bpftrace -e 'profile:hz:99 { @[kstack] = count(); }'`
 * prints it on exit (bpftrace 0.17, Debian), the input of FlameGraph's stackcollapse-bpftrace.pl:
 *
 *   Attaching 2 probes...
 *   @[
 *       read_zero+119
 *       vfs_read+187
 *       entry_SYSCALL_64_after_hwframe+118
 *   ]: 4
 *   @[]: 50
 *
 * An entry opens with `@name[`, lists frames leaf first, one a line, and closes with `]: count`.
 * A key of several parts prints them in order with `, ` between: scalars on the opening or
 * closing line (`@[python3, 23343, ` … `, ]: 1`), each stack on its own lines after a line
 * starting with `,`. Frames are `sym+off` (offset stripped, decimal as bpftrace writes it) or, for
 * `ustack(perf)`, `addr sym+off (dso)`.
 *
 * Where stackcollapse-bpftrace.pl keeps offsets, takes separator lines as frames and drops
 * entries with an empty stack, here: offsets are stripped and identical stacks summed (as
 * stackcollapse.pl does for DTrace); scalar keys (comm, pid) become root frames; a stack with a
 * kernel frame (a `[kernel.kallsyms]` DSO, an x86-64/arm64 kernel entry point, or a kernel
 * address) is the kernel's, all its frames kind 'kernel', drawn above the user stack whatever
 * the key's order; an empty stack (`@[]: 50`, samples taken in user mode for `kstack`) keeps its
 * weight under one "(empty stack)" frame, so the total is the file's. One profile per map.
 */
import type { Frame, ProfileSet } from '../model.js';
import { classifyFrame, makeFrame } from './classifyFrame.js';
import { parsePerfFrame } from './perfScript.js';
import { FrameTable, StackTable } from './StackTable.js';
import { decodeText, quoteLine, Warnings } from './text.js';
import { type ImportInput, ProfileImportError } from './types.js';

/** `@name[` and what follows on the line: scalar key parts, or the whole entry. */
const OPEN = /^(@\w*)\[(.*)$/;
/** The closing `]: count` with the key parts before it on that line. */
const CLOSE = /^(.*)\]: (\S+)\s*$/;
const COUNT = /^-?\d+$/;
const OFFSET = /\+(?:0x[0-9a-f]+|\d+)$/i;
/** Where Linux enters the kernel (x86-64 and arm64) and the kernel's upper half of addresses. */
const KERNEL_SYMBOL =
  /^(?:entry_SYSCALL_64|entry_SYSRETQ|asm_(?:exc|sysvec|common)_|ret_from_fork|secondary_startup_64|common_startup_64|start_kernel|x86_64_start_|el[01][th]?_(?:64_)?(?:sync|irq|fiq|error)|el0_svc|do_syscall_64|__do_sys_|__x64_sys_|__arm64_sys_|irqentry_|0xffff[89a-f][0-9a-f]{11})/;

export const EMPTY_STACK = '(empty stack)';

/** Whether text (a file's first 64 KB) is bpftrace map output: `@[` … `]: count` entries. */
export function looksLikeBpftrace(head: string): boolean {
  let open = false;
  let entries = 0;
  for (const raw of head.split('\n')) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.trim() === '') continue;
    if (!open) {
      if (/^Attaching \d+ probes?\.\.\.$/.test(line)) continue;
      const m = OPEN.exec(line);
      if (m === null) return false;
      if (CLOSE.test(m[2]!)) {
        entries++;
        continue;
      }
      open = true;
      continue;
    }
    const close = CLOSE.exec(line);
    if (close !== null) return COUNT.test(close[2]!);
    // An entry left unclosed (a cut file) and the next one opening are still bpftrace's.
    if (OPEN.test(line)) continue;
    if (!/^(?:\s|,)/.test(line)) return false;
  }
  // Only one-line entries (`@[python3]: 12`): bpftrace's, with no stack to show.
  return !open && entries > 0;
}

interface Part {
  readonly frames: string[];
}

interface Entry {
  readonly map: string;
  readonly line: number;
  readonly scalars: string[];
  readonly parts: Part[];
}

/** Key parts on an opening or closing line: `python3, 23343, ` → python3, 23343 (empties dropped). */
function scalarsOf(text: string): string[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** A frame's symbol (offset stripped) and DSO when `ustack(perf)` wrote one. */
export function splitBpftraceFrame(text: string): { name: string; dso: string | undefined } {
  const t = text.trim();
  if (t.endsWith(')') && /^[0-9a-f]+ /i.test(t)) {
    const { symbol, dso } = parsePerfFrame(t);
    return { name: symbol.replace(OFFSET, ''), dso: dso === '' ? undefined : dso };
  }
  const name = t.replace(OFFSET, '');
  return { name: name === '' ? t : name, dso: undefined };
}

function isKernelPart(part: Part): boolean {
  return part.frames.some((f) => {
    const { name, dso } = splitBpftraceFrame(f);
    return dso !== undefined ? dso.startsWith('[kernel') : KERNEL_SYMBOL.test(name);
  });
}

function bpftraceFrame(text: string, kernel: boolean): Frame {
  const { name, dso } = splitBpftraceFrame(text);
  if (kernel) return { name, kind: 'kernel', module: 'kernel' };
  if (dso !== undefined) return makeFrame(name, dso);
  const c = classifyFrame(name);
  return c.module === undefined ? { name, kind: c.kind } : { name, kind: c.kind, module: c.module };
}

export function importBpftrace(input: ImportInput): ProfileSet {
  const text = decodeText(input.bytes);
  const frames = new FrameTable();
  const maps = new Map<string, StackTable>();
  const warnings = new Warnings();
  let firstBad: { line: number; why: string } | undefined;
  let valid = 0;
  let scalarOnly = 0;

  const bad = (line: number, why: string): void => {
    firstBad ??= { line, why };
    warnings.add(`line ${line}: ${why}`);
  };

  const frameOf = (key: string, make: () => Frame): number =>
    frames.find(key) ?? frames.add(key, make());

  const finish = (entry: Entry, countText: string, lineNo: number): void => {
    if (!COUNT.test(countText)) {
      bad(lineNo, `count ${quoteLine(countText)} is not a whole number; the entry is skipped`);
      return;
    }
    const count = Number(countText);
    if (count < 0) {
      bad(lineNo, `count ${count} is negative; the entry is skipped`);
      return;
    }
    const parts = entry.parts.filter((p) => p.frames.length > 0);
    if (parts.length === 0 && entry.parts.length === 0) {
      // `@[python3]: 5`: a map without stacks (another map of the script, or none at all).
      scalarOnly++;
      return;
    }
    const path: number[] = [];
    for (const s of entry.scalars)
      path.push(frameOf(`s\u0000${s}`, () => ({ name: s, kind: 'other' })));
    const kernel = parts.map(isKernelPart);
    // User stacks first (nearer the root), then the kernel's, each root → leaf.
    for (const wantKernel of [false, true]) {
      parts.forEach((p, i) => {
        if (kernel[i] !== wantKernel) return;
        for (let j = p.frames.length - 1; j >= 0; j--) {
          const raw = p.frames[j]!;
          const { name, dso } = splitBpftraceFrame(raw);
          path.push(
            frameOf(`${wantKernel ? 'k' : 'u'}\u0000${name}\u0000${dso ?? ''}`, () =>
              bpftraceFrame(raw, wantKernel),
            ),
          );
        }
      });
    }
    if (parts.length === 0) path.push(frameOf('e', () => ({ name: EMPTY_STACK, kind: 'other' })));
    valid++;
    let stacks = maps.get(entry.map);
    if (stacks === undefined) {
      stacks = new StackTable();
      maps.set(entry.map, stacks);
    }
    if (count > 0) stacks.addSample(stacks.intern(path), count, count);
  };

  let entry: Entry | undefined;
  const lines = text.split('\n');
  for (let n = 0; n < lines.length; n++) {
    const lineNo = n + 1;
    const line = lines[n]!.endsWith('\r') ? lines[n]!.slice(0, -1) : lines[n]!;
    if (entry === undefined) {
      if (line.trim() === '' || /^Attaching \d+ probes?\.\.\.$/.test(line)) continue;
      const open = OPEN.exec(line);
      if (open === null) {
        bad(lineNo, `not part of a map entry (expected "@[" to open one): ${quoteLine(line)}`);
        continue;
      }
      const close = CLOSE.exec(open[2]!);
      if (close !== null) {
        // A whole entry on one line: `@[]: 50`, `@[python3]: 5`, `@[, foo]: 2`.
        const scalars = scalarsOf(close[1]!);
        const e: Entry = { map: open[1]!, line: lineNo, scalars, parts: [] };
        // `@[]: N` is an empty stack key; scalars alone are no stack.
        if (scalars.length === 0) e.parts.push({ frames: [] });
        finish(e, close[2]!, lineNo);
        continue;
      }
      entry = {
        map: open[1]!,
        line: lineNo,
        scalars: scalarsOf(open[2]!),
        parts: [{ frames: [] }],
      };
      continue;
    }
    const close = CLOSE.exec(line);
    if (close !== null) {
      let before = close[1]!;
      if (before.startsWith(',')) {
        before = before.slice(1);
        entry.parts.push({ frames: [] });
      }
      entry.scalars.push(...scalarsOf(before));
      finish(entry, close[2]!, lineNo);
      entry = undefined;
      continue;
    }
    if (line.startsWith(',')) {
      entry.parts.push({ frames: [] });
      continue;
    }
    if (OPEN.test(line) && !/^\s/.test(line)) {
      bad(entry.line, 'the entry starting here is not closed by "]: count"');
      entry = undefined;
      n--;
      continue;
    }
    if (line.trim() === '') continue;
    entry.parts[entry.parts.length - 1]!.frames.push(line.trim());
  }
  if (entry !== undefined) bad(entry.line, 'the entry starting here is not closed by "]: count"');

  if (valid === 0) {
    throw new ProfileImportError(
      input.name,
      'bpftrace',
      { line: firstBad?.line ?? 1 },
      `${firstBad?.why ?? 'the file holds no stacks'}; expected "@[", frames, then "]: count"`,
    );
  }
  if (scalarOnly > 0) {
    warnings.add(`${scalarOnly} map entries without a stack (keys only) are not shown`);
  }
  const profiles = [...maps].map(([map, stacks]) =>
    stacks.toProfile(maps.size === 1 ? input.name : map, 'samples', 'cpu', frames.frames, {
      map,
    }),
  );
  return {
    format: 'bpftrace',
    name: input.name,
    profiles,
    meta: { source: 'bpftrace' },
    warnings: warnings.toArray(),
  };
}
