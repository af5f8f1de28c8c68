/**
 * Austin's text output (P403n1x87/austin, README "Usage"; austin-python's
 * format/collapsed_stack.py reads it the same way): metadata lines `# key: value`, then one
 * sample a line,
 *
 *   P<pid>;T[<iid>:]<tid>[;<file>:<function>:<line>]* <metric>[,<metric>]*
 *
 * frames root → leaf. The metric is microseconds (modes wall and cpu), a memory delta in bytes
 * (mode memory), or in full mode `time,idle,memory` (idle 1 when the thread was idle). Austin 2's
 * alternative form `<function> (<file>);L<line>` is read too. One profile per thread.
 */
import type { Measure, Profile, ProfileSet, WeightUnit } from '../model.js';
import { makeFrame } from './classifyFrame.js';
import { FrameTable, StackTable } from './StackTable.js';
import { decodeText, quoteLine, Warnings } from './text.js';
import { type ImportInput, type ImportOptions, ProfileImportError } from './types.js';

/** What a full-mode file can be read as (ImportOptions.sampleType). */
export const AUSTIN_FULL_SAMPLE_TYPES = ['wall', 'cpu', 'memory'] as const;

interface Thread {
  readonly pid: string;
  readonly tid: string;
  readonly iid: string | undefined;
  readonly stacks: StackTable;
}

const FRAME_LINE = /^L(\d+)$/;

export function importAustin(input: ImportInput, options?: ImportOptions): ProfileSet {
  const text = decodeText(input.bytes);
  const meta = new Map<string, string>();
  const frames = new FrameTable();
  const threads = new Map<string, Thread>();
  const warnings = new Warnings();
  let firstBad: { line: number; text: string; why: string } | undefined;
  let valid = 0;
  let negative = 0;
  let mode: string | undefined;
  let read: 'wall' | 'cpu' | 'memory' | undefined;

  const bad = (lineNo: number, line: string, why: string): void => {
    firstBad ??= { line: lineNo, text: line, why };
    warnings.add(`line ${lineNo}: ${why}: ${quoteLine(line)}`);
  };

  const lines = text.split('\n');
  for (let n = 0; n < lines.length; n++) {
    let line = lines[n]!;
    if (line.endsWith('\r')) line = line.slice(0, -1);
    if (line.trim() === '') continue;
    const lineNo = n + 1;
    if (line.startsWith('#')) {
      const colon = line.indexOf(': ');
      if (colon > 0) meta.set(line.slice(1, colon).trim(), line.slice(colon + 2).trim());
      continue;
    }
    if (read === undefined) {
      mode = meta.get('mode');
      read = chooseMetric(mode, options?.sampleType, line);
    }
    if (!line.startsWith('P')) {
      bad(lineNo, line, 'expected a sample "P<pid>;T<tid>;frames… metric"');
      continue;
    }
    const sp = line.lastIndexOf(' ');
    if (sp < 0) {
      bad(lineNo, line, 'no metric after the stack');
      continue;
    }
    const value = metricOf(line.slice(sp + 1), read);
    if (value === undefined) {
      bad(
        lineNo,
        line,
        `metric ${quoteLine(line.slice(sp + 1))} is not what mode ${mode ?? 'wall'} writes`,
      );
      continue;
    }
    const head = line.slice(0, sp);
    const parts = head.split(';');
    const pid = parts[0]!.slice(1);
    const t = parts[1];
    if (!/^\d+$/.test(pid) || t === undefined || !t.startsWith('T')) {
      bad(lineNo, line, 'expected "P<pid>;T<tid>" at the start');
      continue;
    }
    valid++;
    if (value < 0) {
      negative++;
      continue;
    }
    const colon = t.indexOf(':');
    const iid = colon > 0 ? t.slice(1, colon) : undefined;
    const tid = colon > 0 ? t.slice(colon + 1) : t.slice(1);
    const key = `${pid}\u0000${t}`;
    let thread = threads.get(key);
    if (thread === undefined) {
      thread = { pid, tid, iid, stacks: new StackTable() };
      threads.set(key, thread);
    }
    const stack: number[] = [];
    for (let i = 2; i < parts.length; i++) {
      const raw = parts[i]!;
      if (raw === '') continue;
      const lineOf = FRAME_LINE.exec(raw);
      if (lineOf !== null && stack.length > 0) {
        // Austin 2: the line is its own frame after the function's; fold it into that frame.
        const prev = frames.frames[stack[stack.length - 1]!]!;
        const k = `${prev.file ?? ''}:${prev.name}:${lineOf[1]}`;
        let f = frames.find(k);
        if (f === undefined) f = frames.add(k, makeFrame(prev.name, prev.file, Number(lineOf[1])));
        stack[stack.length - 1] = f;
        continue;
      }
      let f = frames.find(raw);
      if (f === undefined) f = frames.add(raw, austinFrame(raw));
      stack.push(f);
    }
    if (value === 0) continue;
    // Time is in microseconds; the model's unit is nanoseconds.
    const weight = read === 'memory' ? value : value * 1000;
    thread.stacks.addSample(thread.stacks.intern(stack), weight, 1);
  }

  if (valid === 0) {
    if (firstBad === undefined) {
      throw new ProfileImportError(input.name, 'austin', { line: 1 }, 'the file holds no samples');
    }
    throw new ProfileImportError(
      input.name,
      'austin',
      { line: firstBad.line },
      `${firstBad.why}: ${quoteLine(firstBad.text)}`,
    );
  }
  if (negative > 0) {
    warnings.add(`${negative} samples of freed memory (negative deltas) are not shown`);
  }

  const { unit, measure } = unitOf(read ?? 'wall');
  const profiles: Profile[] = [];
  for (const th of threads.values()) {
    const labels: Record<string, string> = { pid: th.pid, tid: th.tid };
    if (th.iid !== undefined) labels.interpreter = th.iid;
    const name = `thread ${th.tid} (pid ${th.pid})`;
    profiles.push(th.stacks.toProfile(name, unit, measure, frames.frames, labels));
  }
  const interval = Number(meta.get('interval'));
  const duration = Number(meta.get('duration'));
  const version = meta.get('austin');
  return {
    format: 'austin',
    name: input.name,
    profiles,
    meta: {
      source: version !== undefined ? `austin ${version}` : 'austin',
      // Austin writes both in microseconds (`# interval: 100` is its 100 µs default).
      rateHz: interval > 0 ? 1e6 / interval : undefined,
      durationNs: duration > 0 ? duration * 1000 : undefined,
      sampleTypes: mode === 'full' ? [...AUSTIN_FULL_SAMPLE_TYPES] : undefined,
    },
    warnings: warnings.toArray(),
  };
}

/** `file:function:line` (file may hold colons: split from the right), or Austin 2's `fn (file)`. */
function austinFrame(raw: string) {
  const last = raw.lastIndexOf(':');
  const mid = last > 0 ? raw.lastIndexOf(':', last - 1) : -1;
  if (mid >= 0 && /^\d*$/.test(raw.slice(last + 1))) {
    const file = raw.slice(0, mid);
    const fn = raw.slice(mid + 1, last);
    const line = last + 1 < raw.length ? Number(raw.slice(last + 1)) : undefined;
    // `:GC:` (austin -g) and other markers have no file.
    return makeFrame(fn === '' ? raw : fn, file === '' ? undefined : file, line);
  }
  const open = raw.lastIndexOf(' (');
  if (open > 0 && raw.endsWith(')')) return makeFrame(raw.slice(0, open), raw.slice(open + 2, -1));
  return makeFrame(raw);
}

function chooseMetric(
  mode: string | undefined,
  sampleType: string | undefined,
  firstSample: string,
): 'wall' | 'cpu' | 'memory' {
  if (mode === 'memory') return 'memory';
  if (mode === 'cpu') return 'cpu';
  const full = mode === 'full' || (mode === undefined && /\s\d+,\d+,-?\d+$/.test(firstSample));
  if (full) {
    if (sampleType === 'cpu' || sampleType === 'memory') return sampleType;
    return 'wall';
  }
  return 'wall';
}

/**
 * The sample's weight for what is read: time in µs, or in full mode time when not idle (cpu) or
 * the memory delta; undefined when the metric is malformed.
 */
function metricOf(text: string, read: 'wall' | 'cpu' | 'memory' | undefined): number | undefined {
  const comma = text.indexOf(',');
  if (comma < 0) {
    if (!/^-?\d+$/.test(text)) return undefined;
    return Number(text);
  }
  const parts = text.split(',');
  if (parts.length !== 3 || !parts.every((p) => /^-?\d+$/.test(p))) return undefined;
  const [time, idle, memory] = parts.map(Number) as [number, number, number];
  if (read === 'memory') return memory;
  if (read === 'cpu') return idle === 0 ? time : 0;
  return time;
}

function unitOf(read: 'wall' | 'cpu' | 'memory'): { unit: WeightUnit; measure: Measure } {
  if (read === 'memory') return { unit: 'bytes', measure: 'alloc' };
  return { unit: 'nanoseconds', measure: read };
}
