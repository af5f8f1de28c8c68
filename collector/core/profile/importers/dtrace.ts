/**
 * DTrace stack aggregations, as `dtrace -x ustackframes=100 -n 'profile-997 /execname ==
 * "mysqld"/ { @[ustack()] = count(); } tick-60s { exit(0); }'` prints them (and the same for
 * kernel `stack()`), read by the rules of Brendan Gregg's stackcollapse.pl (FlameGraph):
 *
 *   CPU     ID                    FUNCTION:NAME
 *     0  64091                        :tick-60s
 *
 *
 *                 libc.so.1`_read+0x7
 *                 mysqld`do_command+0x9c
 *                 unix`0xfffffffffb800c86
 *                  12
 *
 * Per entry: frames leaf first, one a line, indented; a line holding only the count; a blank
 * line. Offsets (`+0x7`) are stripped and identical stacks summed, as stackcollapse.pl does.
 * Where it skips the first 3 lines whatever they hold, header lines are recognised here by what
 * they say (`CPU ID FUNCTION:NAME`, the probe line `0 64091 :tick-60s`, `dtrace:` messages), so
 * a file without them loses no frames, and a file of several `printa` intervals sums them.
 * Unlike stackcollapse.pl, C++ argument lists are kept (`foo(int)` and `foo(char*)` are two
 * functions; the view shows names as text).
 *
 * `module`function` puts the module in Frame.module. A key of `stack()` and `ustack()` prints
 * the two stacks one after the other with a blank line between, before the one count: both are
 * one sample, the user stack below the kernel's (in either key order). A stack is the kernel's when one of its frames
 * is in the core kernel module (KERNEL_MODULES); all its frames are then kind 'kernel' (`zfs`,
 * `lofs` are kernel modules too, but only their stack says so). Two stacks of the same kind in
 * a row mean a count line is missing between them: the first is dropped with a warning.
 */
import type { Frame, ProfileSet } from '../model.js';
import { classifyFrame } from './classifyFrame.js';
import { FrameTable, StackTable } from './StackTable.js';
import { decodeText, quoteLine, Warnings } from './text.js';
import { type ImportInput, ProfileImportError } from './types.js';

/**
 * The core kernel's module in each DTrace: illumos/Solaris `unix` and `genunix`, FreeBSD
 * `kernel`, macOS `mach_kernel` (before 10.8) and `kernel` (and `kernel.development`, …).
 */
const KERNEL_MODULES = /^(?:unix|genunix|kernel(?:\.\w+)?|mach_kernel)$/;

const COUNT = /^\d+$/;
/** What a count damaged into text looks like: starts as a number, is no address or frame. */
const BAD_COUNT = /^[-+]?\d[^`\s]*$/;
const HEX_ADDRESS = /^0x[0-9a-f]+$/i;
const OFFSET = /\+(?:0x[0-9a-f]+|\d+)$/i;
const CPU_HEADER = /^\s*CPU\s+ID\s+FUNCTION:NAME\s*$/;
/** ` 0  64091                        :tick-60s`: cpu, probe id, function:name. */
const PROBE_LINE = /^\s*\d+\s+\d+\s+\S*:\S+\s*$/;

/** A line dtrace prints that is no frame and no count. */
export function isDtraceHeader(line: string): boolean {
  return CPU_HEADER.test(line) || PROBE_LINE.test(line) || line.startsWith('dtrace: ');
}

/**
 * Whether text (a file's first 64 KB) is DTrace stack output: its header, or (without one)
 * indented frames, at least one `module`function`, then an indented line holding only a count.
 */
export function looksLikeDtrace(head: string): boolean {
  let frames = 0;
  let ticked = false;
  for (const raw of head.split('\n')) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.trim() === '') continue;
    if (CPU_HEADER.test(line)) return true;
    if (PROBE_LINE.test(line) || line.startsWith('dtrace: ')) continue;
    if (!/^\s/.test(line)) return false;
    const t = line.trim();
    if (COUNT.test(t)) return frames > 0 && ticked;
    frames++;
    if (t.indexOf('`') > 0) ticked = true;
  }
  return false;
}

interface Segment {
  /** Raw frame texts, leaf first, as printed. */
  readonly frames: string[];
  readonly line: number;
}

/** A frame's function and module: offset stripped, split at the first backtick. */
export function splitDtraceFrame(text: string): { name: string; module: string | undefined } {
  const t = text.trim().replace(OFFSET, '');
  const tick = t.indexOf('`');
  if (tick > 0) {
    const name = t.slice(tick + 1);
    return { name: name === '' ? '-' : name, module: t.slice(0, tick) };
  }
  return { name: t === '' ? '-' : t, module: undefined };
}

function isKernelSegment(seg: Segment): boolean {
  for (const f of seg.frames) {
    const tick = f.indexOf('`');
    if (tick > 0 && KERNEL_MODULES.test(f.slice(0, tick))) return true;
  }
  return false;
}

function dtraceFrame(text: string, kernel: boolean): Frame {
  const { name, module } = splitDtraceFrame(text);
  if (kernel) return { name, kind: 'kernel', module: module ?? 'kernel' };
  if (module !== undefined) {
    const slash = module.lastIndexOf('/');
    return { name, kind: 'native', module: slash >= 0 ? module.slice(slash + 1) : module };
  }
  // An unresolved address or a bare name: what the name alone tells.
  const c = classifyFrame(name);
  return c.module === undefined ? { name, kind: c.kind } : { name, kind: c.kind, module: c.module };
}

export function importDtrace(input: ImportInput): ProfileSet {
  const text = decodeText(input.bytes);
  const frames = new FrameTable();
  const stacks = new StackTable();
  const warnings = new Warnings();
  let firstBad: { line: number; why: string } | undefined;
  let valid = 0;

  const bad = (line: number, why: string): void => {
    firstBad ??= { line, why };
    warnings.add(`line ${line}: ${why}`);
  };

  let segments: Segment[] = [];
  let current: Segment | undefined;
  const closeSegment = (): void => {
    if (current !== undefined) segments.push(current);
    current = undefined;
  };
  const dropEntry = (): void => {
    segments = [];
    current = undefined;
  };

  const frameOf = (raw: string, kernel: boolean): number => {
    const t = raw.trim();
    const key = `${kernel ? 'k' : 'u'}\u0000${t.replace(OFFSET, '')}`;
    return frames.find(key) ?? frames.add(key, dtraceFrame(t, kernel));
  };

  const finishEntry = (count: number, countLine: number): void => {
    closeSegment();
    if (segments.length === 0) {
      bad(countLine, `count ${count} with no frames before it`);
      return;
    }
    // The entry's stacks: the last, and the one before it when of the other kind (a key of
    // stack() and ustack()); any earlier stack lost its count line.
    const kinds = segments.map(isKernelSegment);
    let from = segments.length - 1;
    if (from > 0 && kinds[from - 1] !== kinds[from]) from--;
    for (let i = 0; i < from; i++) {
      bad(
        segments[i]!.line,
        `the stack starting here has no count line (the next starts at line ${segments[i + 1]!.line})`,
      );
    }
    // Root → leaf: the user stack, then the kernel's above it, whichever the key printed first.
    const path: number[] = [];
    for (const kernel of [false, true]) {
      for (let s = from; s < segments.length; s++) {
        if (kinds[s] !== kernel) continue;
        const frameTexts = segments[s]!.frames;
        for (let i = frameTexts.length - 1; i >= 0; i--) path.push(frameOf(frameTexts[i]!, kernel));
      }
    }
    valid++;
    if (count > 0) stacks.addSample(stacks.intern(path), count, count);
    dropEntry();
  };

  const lines = text.split('\n');
  for (let n = 0; n < lines.length; n++) {
    const lineNo = n + 1;
    const line = lines[n]!.endsWith('\r') ? lines[n]!.slice(0, -1) : lines[n]!;
    const t = line.trim();
    if (t === '') {
      closeSegment();
      continue;
    }
    if (isDtraceHeader(line)) {
      if (segments.length > 0 || current !== undefined) {
        closeSegment();
        bad(segments[0]!.line, 'the stack starting here has no count line');
        dropEntry();
      }
      continue;
    }
    if (COUNT.test(t)) {
      finishEntry(Number(t), lineNo);
      continue;
    }
    if (BAD_COUNT.test(t) && !HEX_ADDRESS.test(t)) {
      bad(lineNo, `count ${quoteLine(t)} is not a whole number; the stack before it is skipped`);
      dropEntry();
      continue;
    }
    current ??= { frames: [], line: lineNo };
    current.frames.push(t);
  }
  closeSegment();
  if (segments.length > 0) bad(segments[0]!.line, 'the stack starting here has no count line');

  if (valid === 0) {
    throw new ProfileImportError(
      input.name,
      'dtrace',
      { line: firstBad?.line ?? 1 },
      `${firstBad?.why ?? 'the file holds no stacks'}; expected indented frames, then a line ` +
        'holding only the count',
    );
  }
  return {
    format: 'dtrace',
    name: input.name,
    profiles: [stacks.toProfile(input.name, 'samples', 'cpu', frames.frames)],
    meta: { source: 'dtrace' },
    warnings: warnings.toArray(),
  };
}
