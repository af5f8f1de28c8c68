/**
 * A CommandRunner that answers `npu-smi` from a recorded capture (`--replay npu-smi=FILE`). The file
 * is one or more `npu-smi info` outputs one after another; each table starts at its top border line
 * followed by the `| npu-smi <version>` line, and each `npu-smi info` call gets the next table,
 * starting over after the last. Text before the first table (a shell prompt, the command line) is
 * dropped. A line `# npu-smi info -t usages -i 0` starts the recorded output of that command,
 * running to the next such line or table; a `-t` query with no section exits 1 with a message, so
 * the probe marks those metrics missing instead of inventing zeros.
 */
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

export function createNpuReplayRunner(text: string): CommandRunner {
  const replay = splitReplay(text);
  const next = new Map<string, number>();
  const take = (key: string, list: readonly string[]): string => {
    const i = next.get(key) ?? 0;
    next.set(key, i + 1);
    return list[i % list.length]!;
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
        const stdout = replay.infos.length === 0 ? '' : take(key, replay.infos);
        return Promise.resolve({ code: 0, stdout, stderr: '' });
      }
      const recorded = replay.sections.get(key);
      if (recorded === undefined || recorded.length === 0) {
        const stderr = `npu-smi replay: the replay file has no "# npu-smi ${key}" section\n`;
        return Promise.resolve({ code: 1, stdout: '', stderr });
      }
      return Promise.resolve({ code: 0, stdout: take(key, recorded), stderr: '' });
    },
    spawnLines(_cmd: string, _args: readonly string[], handlers: LineStreamHandlers): LineStream {
      queueMicrotask(() =>
        handlers.onExit(null, '', new Error('npu-smi replay answers single commands only')),
      );
      return { stop() {} };
    },
  };
}
