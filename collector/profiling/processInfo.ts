/**
 * What /proc says about the process to profile and about this collector's rights: which tool fits
 * (py-spy for Python, perf for the rest) and whether the kernel will let it attach. Read through a
 * small file-system port so tests give fake /proc values.
 */
import { readFile, readlink } from 'node:fs/promises';

export interface ProcFs {
  readFile(path: string): Promise<string>;
  readLink(path: string): Promise<string>;
}

export const REAL_PROC: ProcFs = {
  readFile: (path) => readFile(path, 'utf8'),
  readLink: (path) => readlink(path),
};

export type ProcessKind = 'python' | 'node' | 'native';

export interface ProcessFacts {
  readonly pid: number;
  /** /proc/<pid>/exe; undefined when it cannot be read (another user's process, no rights). */
  readonly exe: string | undefined;
  readonly cmdline: readonly string[];
  /** Real uid of the process (/proc/<pid>/status `Uid:`). */
  readonly uid: number | undefined;
  readonly kind: ProcessKind;
}

const basename = (path: string): string => path.slice(path.lastIndexOf('/') + 1);

/** python, python3, python3.12, python3.12d, pypy3: the interpreters py-spy reads. */
const PYTHON = /^(python|pypy)\d*(\.\d+)?[a-z]*$/;
const NODE = /^(node|nodejs)$/;

/** The tool choice from the executable, else the command line's first word. */
export function classifyProcess(exe: string | undefined, cmdline: readonly string[]): ProcessKind {
  const names = [exe, cmdline[0]].filter((n): n is string => !!n).map(basename);
  if (names.some((n) => PYTHON.test(n.replace(/ \(deleted\)$/, '')))) return 'python';
  if (names.some((n) => NODE.test(n))) return 'node';
  return 'native';
}

/** The process's facts, or undefined when there is no such process. */
export async function readProcess(pid: number, fs: ProcFs): Promise<ProcessFacts | undefined> {
  let status: string;
  try {
    status = await fs.readFile(`/proc/${pid}/status`);
  } catch {
    return undefined;
  }
  // A zombie has exited: nothing left to sample.
  if (/^State:\s+Z/m.test(status)) return undefined;
  const uidText = /^Uid:\s+(\d+)/m.exec(status)?.[1];
  const exe = await fs.readLink(`/proc/${pid}/exe`).catch(() => undefined);
  const cmdline = await fs
    .readFile(`/proc/${pid}/cmdline`)
    .then((text) => text.split('\0').filter((part) => part.length > 0))
    .catch(() => [] as string[]);
  return {
    pid,
    exe,
    cmdline,
    uid: uidText === undefined ? undefined : Number(uidText),
    kind: classifyProcess(exe, cmdline),
  };
}

/** What decides whether a tool may attach: our identity and capabilities, two sysctls. */
export interface PermissionFacts {
  /** Our effective uid. */
  readonly uid: number;
  /** Effective capability mask (/proc/self/status CapEff); undefined when unreadable. */
  readonly capEff: bigint | undefined;
  /** kernel.yama.ptrace_scope; undefined without Yama (then ordinary ptrace rules apply). */
  readonly ptraceScope: number | undefined;
  /** kernel.perf_event_paranoid; undefined when unreadable. */
  readonly perfParanoid: number | undefined;
}

export async function readPermissionFacts(fs: ProcFs): Promise<PermissionFacts> {
  const status = await fs.readFile('/proc/self/status').catch(() => '');
  const uid = Number(/^Uid:\s+\d+\s+(\d+)/m.exec(status)?.[1] ?? process.getuid?.() ?? -1);
  const capHex = /^CapEff:\s+([0-9a-f]+)/im.exec(status)?.[1];
  const number = async (path: string): Promise<number | undefined> => {
    const text = await fs.readFile(path).catch(() => undefined);
    const value = text === undefined ? NaN : Number(text.trim());
    return Number.isFinite(value) ? value : undefined;
  };
  return {
    uid,
    capEff: capHex === undefined ? undefined : BigInt(`0x${capHex}`),
    ptraceScope: await number('/proc/sys/kernel/yama/ptrace_scope'),
    perfParanoid: await number('/proc/sys/kernel/perf_event_paranoid'),
  };
}
