/**
 * An engine target (framework, port) resolved to the process to profile on this machine:
 *
 * 1. by port: the LISTEN sockets on that port in /proc/net/tcp and tcp6 (their inodes), then the
 *    process holding one of them (a `socket:[inode]` link under /proc/<pid>/fd). This is exact
 *    when the engine label is the scrape target `host:port` and the agent shares the engine's
 *    network namespace (host networking, or the same pod).
 * 2. else by command line: processes whose command line names the framework (`vllm serve`,
 *    `vllm.entrypoints`, `sglang.launch_server`, `text-generation-launcher`…), Python ones first.
 *
 * Of several matching processes in one tree, the topmost: vLLM V1 runs its EngineCore (where the
 * scheduler loop is) in a child of the API server, and py-spy's `--subprocesses` follows the
 * children from there.
 */
import { readdir } from 'node:fs/promises';

import { CaptureError } from '../core/protocol/profileCapture.js';
import { describeEngine, type EngineTarget } from '../core/protocol/engineCapture.js';
import { classifyProcess, REAL_PROC, type ProcFs } from './processInfo.js';

export interface EngineProcFs extends ProcFs {
  readDir(path: string): Promise<string[]>;
}

export const REAL_ENGINE_PROC: EngineProcFs = { ...REAL_PROC, readDir: (path) => readdir(path) };

/** How each framework's server shows in a command line (the framework label as engines send it). */
const FRAMEWORK_COMMANDS: Record<string, { patterns: RegExp[]; shown: string }> = {
  vllm: {
    patterns: [/(^|[\s/])vllm\s+serve(\s|$)/, /\bvllm\.entrypoints\b/, /^VLLM::/],
    shown: '`vllm serve`, `vllm.entrypoints`',
  },
  sglang: {
    patterns: [/\bsglang\.launch_server\b/, /(^|[\s/])sglang\s+serve(\s|$)/],
    shown: '`sglang.launch_server`, `sglang serve`',
  },
  tgi: {
    patterns: [/(^|[\s/])text-generation-(launcher|server)(\s|$)/],
    shown: '`text-generation-launcher`, `text-generation-server`',
  },
  trtllm: {
    patterns: [/(^|[\s/])trtllm-serve(\s|$)/, /\btensorrt_llm\.serve\b/],
    shown: '`trtllm-serve`',
  },
  lmdeploy: { patterns: [/(^|[\s/])lmdeploy\s+serve(\s|$)/], shown: '`lmdeploy serve`' },
  llamacpp: { patterns: [/(^|[\s/])llama-server(\s|$)/], shown: '`llama-server`' },
};
FRAMEWORK_COMMANDS['text-generation-inference'] = FRAMEWORK_COMMANDS.tgi!;
FRAMEWORK_COMMANDS['tensorrt-llm'] = FRAMEWORK_COMMANDS.trtllm!;
FRAMEWORK_COMMANDS['llama.cpp'] = FRAMEWORK_COMMANDS.llamacpp!;

function commandsOf(framework: string): { patterns: RegExp[]; shown: string } {
  const known = FRAMEWORK_COMMANDS[framework.toLowerCase()];
  if (known) return known;
  // An unknown framework: its name as a word of the command line.
  const word = framework.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return {
    patterns: [new RegExp(`(^|[\\s/._-])${word}([\\s._-]|$)`, 'i')],
    shown: `"${framework}"`,
  };
}

/** Whether a command line (NUL-split argv) is the framework's server. */
export function matchesFramework(framework: string, cmdline: readonly string[]): boolean {
  const joined = cmdline.join(' ');
  return commandsOf(framework).patterns.some((p) => p.test(joined));
}

/** What the command-line search looks for, for the "not found" message. */
export function frameworkCommandsShown(framework: string): string {
  return commandsOf(framework).shown;
}

/**
 * Inodes of the sockets in LISTEN state on `port`, from /proc/net/tcp or tcp6 text
 * (columns: sl local_address rem_address st … uid timeout inode; `st` 0A is LISTEN; the port is
 * the hex after the local address's colon). https://www.kernel.org/doc/Documentation/networking/proc_net_tcp.txt
 */
export function listeningInodes(tcpText: string, port: number): number[] {
  const inodes: number[] = [];
  for (const line of tcpText.split('\n')) {
    const cols = line.trim().split(/\s+/);
    if (cols.length < 10 || !/^\d+:$/.test(cols[0]!)) continue;
    const local = cols[1]!;
    const portHex = local.slice(local.lastIndexOf(':') + 1);
    if (cols[3] !== '0A' || parseInt(portHex, 16) !== port) continue;
    const inode = Number(cols[9]);
    if (Number.isInteger(inode) && inode > 0) inodes.push(inode);
  }
  return inodes;
}

/** The inode of an fd link `socket:[12345]`, else undefined. */
export function socketInode(link: string): number | undefined {
  const m = /^socket:\[(\d+)\]$/.exec(link);
  return m ? Number(m[1]) : undefined;
}

export interface ResolvedEngine {
  readonly pid: number;
  /** How it was found, for the capture's warnings: "listening on TCP port 8000". */
  readonly how: string;
  readonly warnings: readonly string[];
}

interface Proc {
  pid: number;
  ppid: number;
  cmdline: string[];
  python: boolean;
}

async function readProc(pid: number, fs: ProcFs): Promise<Proc | undefined> {
  try {
    const status = await fs.readFile(`/proc/${pid}/status`);
    if (/^State:\s+Z/m.test(status)) return undefined;
    const ppid = Number(/^PPid:\s+(\d+)/m.exec(status)?.[1] ?? 0);
    const cmdline = (await fs.readFile(`/proc/${pid}/cmdline`)).split('\0').filter((a) => a);
    const exe = await fs.readLink(`/proc/${pid}/exe`).catch(() => undefined);
    return { pid, ppid, cmdline, python: classifyProcess(exe, cmdline) === 'python' };
  } catch {
    return undefined;
  }
}

async function pids(fs: EngineProcFs): Promise<number[]> {
  return (await fs.readDir('/proc'))
    .filter((e) => /^\d+$/.test(e))
    .map(Number)
    .sort((a, b) => a - b);
}

/** Of `found`, those with no ancestor in `found` (parents are read as needed). */
async function topmost(found: Proc[], fs: ProcFs): Promise<Proc[]> {
  const inSet = new Set(found.map((p) => p.pid));
  const roots: Proc[] = [];
  for (const p of found) {
    let ppid = p.ppid;
    let covered = false;
    for (let hops = 0; ppid > 1 && hops < 64; hops++) {
      if (inSet.has(ppid)) {
        covered = true;
        break;
      }
      ppid = (await readProc(ppid, fs))?.ppid ?? 0;
    }
    if (!covered) roots.push(p);
  }
  return roots;
}

async function byPort(
  port: number,
  fs: EngineProcFs,
  own: number,
): Promise<{ holders: Proc[]; unreadable: number; listening: boolean }> {
  const inodes = new Set<number>();
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    const text = await fs.readFile(file).catch(() => '');
    for (const inode of listeningInodes(text, port)) inodes.add(inode);
  }
  if (inodes.size === 0) return { holders: [], unreadable: 0, listening: false };
  const holders: Proc[] = [];
  let unreadable = 0;
  for (const pid of await pids(fs)) {
    if (pid === own) continue;
    let fds: string[];
    try {
      fds = await fs.readDir(`/proc/${pid}/fd`);
    } catch {
      unreadable++;
      continue;
    }
    for (const fd of fds) {
      const inode = socketInode(await fs.readLink(`/proc/${pid}/fd/${fd}`).catch(() => ''));
      if (inode !== undefined && inodes.has(inode)) {
        const proc = await readProc(pid, fs);
        if (proc) holders.push(proc);
        break;
      }
    }
  }
  return { holders, unreadable, listening: true };
}

/**
 * The process to profile for `target` on this machine, or a CaptureError: `no-process` saying
 * what was looked for, `permission` when a socket listens on the port but its owner's fds could
 * not be read.
 */
export async function resolveEngine(
  target: EngineTarget,
  node: string,
  fs: EngineProcFs = REAL_ENGINE_PROC,
  ownPid: number = process.pid,
): Promise<ResolvedEngine> {
  const { framework, port } = target;
  const warnings: string[] = [];
  let unreadablePort = false;
  if (port !== undefined) {
    const { holders, unreadable, listening } = await byPort(port, fs, ownPid);
    const roots = await topmost(holders, fs);
    if (roots.length > 0) {
      const chosen = roots[0]!;
      if (!chosen.python && !matchesFramework(framework, chosen.cmdline)) {
        warnings.push(
          `pid ${chosen.pid} listens on port ${port} but its command line (${chosen.cmdline.join(' ').slice(0, 120)}) does not name ${framework}`,
        );
      }
      if (roots.length > 1) {
        warnings.push(
          `${roots.length} process trees listen on port ${port} (pids ${roots.map((r) => r.pid).join(', ')}): profiled pid ${chosen.pid}`,
        );
      }
      return { pid: chosen.pid, how: `listening on TCP port ${port}`, warnings };
    }
    unreadablePort = listening && unreadable > 0;
    warnings.push(
      listening
        ? `a socket listens on port ${port} but no readable process holds it; found by command line instead`
        : `nothing listens on TCP port ${port} here; found by command line instead`,
    );
  }
  const matches: Proc[] = [];
  for (const pid of await pids(fs)) {
    if (pid === ownPid) continue;
    const proc = await readProc(pid, fs);
    if (proc && matchesFramework(framework, proc.cmdline)) matches.push(proc);
  }
  const roots = await topmost(matches, fs);
  roots.sort((a, b) => Number(b.python) - Number(a.python) || a.pid - b.pid);
  const chosen = roots[0];
  if (!chosen) {
    const lookedFor = [
      ...(port !== undefined ? [`a process listening on TCP port ${port}`] : []),
      `a process whose command line names ${framework} (${frameworkCommandsShown(framework)})`,
    ].join(' or ');
    if (unreadablePort) {
      throw new CaptureError(
        'permission',
        `a socket listens on port ${port} on ${node} but the agent cannot read which process holds it: run the agent as root or with CAP_SYS_PTRACE (it reads /proc/<pid>/fd)`,
      );
    }
    throw new CaptureError(
      'no-process',
      `no ${describeEngine(target)} engine process found on ${node}: looked for ${lookedFor}`,
    );
  }
  if (roots.length > 1) {
    warnings.push(
      `${roots.length} ${framework} processes on ${node} (pids ${roots.map((r) => r.pid).join(', ')}): profiled pid ${chosen.pid}; name the port to choose`,
    );
  }
  return {
    pid: chosen.pid,
    how: `its command line names ${framework} (${chosen.cmdline.join(' ').slice(0, 120)})`,
    warnings,
  };
}
