/**
 * A CommandRunner that answers `npu-smi` from a recorded capture (`--replay npu-smi=FILE`). The file
 * is one or more `npu-smi info` outputs one after another; each table starts at its top border line
 * followed by the `| npu-smi <version>` line, and each `npu-smi info` call gets the next table,
 * starting over after the last. Text before the first table (a shell prompt, the command line) is
 * dropped. A line `# npu-smi info -t usages -i 0` starts the recorded output of that command,
 * running to the next such line or table; a `-t` query with no section exits 1 with a message, so
 * the probe marks those metrics missing instead of inventing zeros.
 */
import { closeSync, openSync, readSync } from 'node:fs';

import { MAX_OUTPUT_BYTES } from '../systemRunner.js';
import type { CommandResult, CommandRunner, LineStream, LineStreamHandlers } from '../types.js';

const TABLE_TOP = /^\+-+\+\s*$/;
const TABLE_HEAD = /^\|\s*npu-smi\s/;
const SECTION = /^#\s*npu-smi\s+(.*)$/;

export interface NpuReplay {
  /** The `npu-smi info` tables, in file order. */
  infos: string[];
  /** Recorded outputs of other invocations, by canonical argument line (see canonicalArgs). */
  sections: Map<string, string[]>;
}

/**
 * One spelling per invocation, so `info -i 0 -c 0 -t health` finds `info -t health -i 0 -c 0`:
 * the subcommand, then `-t`, `-i`, `-c` in that order, then anything else as given.
 */
export function canonicalArgs(args: readonly string[]): string {
  const flags = new Map<string, string>();
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (['-t', '-i', '-c'].includes(a) && i + 1 < args.length) flags.set(a, args[++i]!);
    else rest.push(a);
  }
  const [sub = '', ...others] = rest;
  const ordered = ['-t', '-i', '-c'].flatMap((f) => (flags.has(f) ? [f, flags.get(f)!] : []));
  return [sub, ...ordered, ...others].join(' ');
}

export function splitReplay(text: string): NpuReplay {
  const lines = text.split(/\r?\n/);
  const infos: string[] = [];
  const sections = new Map<string, string[]>();
  const loose: string[] = [];
  let current: { key?: string; lines: string[] } = { lines: loose };
  const close = (): void => {
    if (current.lines === loose) return;
    const body = current.lines.join('\n').replace(/\n+$/, '') + '\n';
    if (current.key === undefined) infos.push(body);
    else sections.set(current.key, [...(sections.get(current.key) ?? []), body]);
  };
  lines.forEach((line, i) => {
    const section = SECTION.exec(line.trim());
    const tableStart = TABLE_TOP.test(line.trim()) && TABLE_HEAD.test((lines[i + 1] ?? '').trim());
    if (section || tableStart) {
      close();
      const key = section ? canonicalArgs(section[1]!.trim().split(/\s+/)) : undefined;
      current = key === undefined ? { lines: [] } : { key, lines: [] };
      if (tableStart) current.lines.push(line);
      return;
    }
    current.lines.push(line);
  });
  close();
  // A file with no recognisable table is replayed as it is: the probe then reports what is wrong.
  if (infos.length === 0 && loose.some((l) => l.trim() !== '')) infos.push(loose.join('\n'));
  return { infos, sections };
}

/** One recorded output: its text, or that it is larger than a tool may print. */
type Recorded = () => { stdout: string } | { exceededBytes: number };

interface Recordings {
  infos: Recorded[];
  sections: Map<string, Recorded[]>;
}

function fromText(text: string): Recordings {
  const replay = splitReplay(text);
  const wrap =
    (body: string): Recorded =>
    () => ({ stdout: body });
  return {
    infos: replay.infos.map(wrap),
    sections: new Map([...replay.sections].map(([k, list]) => [k, list.map(wrap)])),
  };
}

/**
 * The outputs of a replay file as byte ranges, found in one pass of 64 KiB reads and read back when
 * asked for, so a 300 MB file costs its index, not its size (issue 10). The same split as
 * splitReplay; a range over MAX_OUTPUT_BYTES answers as a tool stopped for its output would.
 */
export function indexReplayFile(path: string): Recordings {
  type Range = { key?: string; start: number; end: number };
  const ranges: Range[] = [];
  let current: Range | undefined;
  let loose: Range | undefined;
  let looseText = false;
  let previous: { text: string; start: number; end: number } | undefined;
  /** Line i-1 is decided once line i is known (a table starts at a border followed by its head). */
  const decide = (line: { text: string; start: number; end: number } | undefined): void => {
    const prev = previous;
    previous = line;
    if (prev === undefined) return;
    const t = prev.text.trim();
    const section = SECTION.exec(t);
    const tableStart = TABLE_TOP.test(t) && TABLE_HEAD.test((line?.text ?? '').trim());
    if (section || tableStart) {
      if (current) ranges.push(current);
      const key = section ? canonicalArgs(section[1]!.trim().split(/\s+/)) : undefined;
      const start = tableStart ? prev.start : prev.end;
      current = key === undefined ? { start, end: start } : { key, start, end: start };
      if (tableStart) current.end = prev.end;
      return;
    }
    if (current) current.end = prev.end;
    else {
      loose ??= { start: prev.start, end: prev.start };
      loose.end = prev.end;
      if (t !== '') looseText = true;
    }
  };
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.alloc(64 * 1024);
    let offset = 0;
    let lineStart = 0;
    // Only a line's first 4 KiB are decoded: the patterns above match short lines.
    let head: Buffer[] = [];
    let headBytes = 0;
    for (;;) {
      const n = readSync(fd, buffer, 0, buffer.length, null);
      if (n === 0) break;
      let from = 0;
      while (from < n) {
        const nl = buffer.indexOf(0x0a, from);
        const to = nl < 0 || nl >= n ? n : nl;
        if (headBytes < 4096) {
          const piece = buffer.subarray(from, Math.min(to, from + 4096 - headBytes));
          head.push(Buffer.from(piece));
          headBytes += piece.length;
        }
        if (to === n) break;
        const end = offset + to + 1;
        decide({ text: Buffer.concat(head).toString('utf8'), start: lineStart, end });
        lineStart = end;
        head = [];
        headBytes = 0;
        from = to + 1;
      }
      offset += n;
    }
    if (lineStart < offset) {
      decide({ text: Buffer.concat(head).toString('utf8'), start: lineStart, end: offset });
    }
    decide(undefined);
    if (current) ranges.push(current);
  } finally {
    closeSync(fd);
  }
  const read =
    (r: Range): Recorded =>
    () => {
      if (r.end - r.start > MAX_OUTPUT_BYTES) return { exceededBytes: MAX_OUTPUT_BYTES };
      const bytes = Buffer.alloc(r.end - r.start);
      const file = openSync(path, 'r');
      try {
        readSync(file, bytes, 0, bytes.length, r.start);
      } finally {
        closeSync(file);
      }
      const text = bytes.toString('utf8').replace(/\r\n/g, '\n');
      return { stdout: `${text.replace(/\n+$/, '')}\n` };
    };
  const infos: Recorded[] = [];
  const sections = new Map<string, Recorded[]>();
  for (const r of ranges) {
    if (r.key === undefined) infos.push(read(r));
    else sections.set(r.key, [...(sections.get(r.key) ?? []), read(r)]);
  }
  // A file with no recognisable table is replayed as it is: the probe then reports what is wrong.
  if (infos.length === 0 && loose && looseText) infos.push(read(loose));
  return { infos, sections };
}

/** `source`: the replay's text, or `{ file }` to read a file as it is asked for. */
export function createNpuReplayRunner(source: string | { file: string }): CommandRunner {
  const replay = typeof source === 'string' ? fromText(source) : indexReplayFile(source.file);
  const next = new Map<string, number>();
  const take = (key: string, list: readonly Recorded[]): CommandResult => {
    const i = next.get(key) ?? 0;
    next.set(key, i + 1);
    let out: ReturnType<Recorded>;
    try {
      out = list[i % list.length]!();
    } catch (error) {
      // The file went away or became unreadable mid-replay: a failed run, not a crash.
      const stderr = `npu-smi replay: cannot read the replay file (${(error as Error).message})\n`;
      return { code: 1, stdout: '', stderr };
    }
    return 'stdout' in out
      ? { code: 0, stdout: out.stdout, stderr: '' }
      : { code: null, stdout: '', stderr: '', exceededBytes: out.exceededBytes };
  };
  return {
    run(cmd: string, args: readonly string[]): Promise<CommandResult> {
      if (!/(^|\/)npu-smi$/.test(cmd)) {
        const error = Object.assign(new Error(`${cmd}: not part of this npu-smi replay`), {
          code: 'ENOENT',
        });
        return Promise.reject(error);
      }
      const key = canonicalArgs(args);
      if (key === 'info') {
        if (replay.infos.length === 0) return Promise.resolve({ code: 0, stdout: '', stderr: '' });
        return Promise.resolve(take(key, replay.infos));
      }
      const recorded = replay.sections.get(key);
      if (recorded === undefined || recorded.length === 0) {
        const stderr = `npu-smi replay: the replay file has no "# npu-smi ${key}" section\n`;
        return Promise.resolve({ code: 1, stdout: '', stderr });
      }
      return Promise.resolve(take(key, recorded));
    },
    spawnLines(_cmd: string, _args: readonly string[], handlers: LineStreamHandlers): LineStream {
      queueMicrotask(() =>
        handlers.onExit(null, '', new Error('npu-smi replay answers single commands only')),
      );
      return { stop() {} };
    },
  };
}
