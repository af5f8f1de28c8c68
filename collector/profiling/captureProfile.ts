/**
 * One profile capture of one process on this machine: py-spy for Python (`record --format raw`,
 * folded stacks with `name (file:line)` frames), perf for everything else (`record -g` then
 * `perf script`). The tool writes into a fresh temporary directory that is removed however the
 * capture ends (done, failed, cancelled), and runs through the collector's CommandRunner: its own
 * process group, killed as a group on cancel and when the collector stops.
 *
 * Every failure is a CaptureError whose message says what to do: the install command for a
 * missing tool, the sysctl or capability for a refusal, "exited" for a process that is gone.
 * The limits per collector (one capture per pid, a few at once) are ProfileCapturer's.
 */
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import {
  CaptureError,
  checkCaptureRequest,
  MAX_CAPTURE_BYTES,
  type CapturedProfile,
  type CaptureProgress,
  type CaptureRequest,
  type CaptureTool,
} from '../core/protocol/profileCapture.js';
import { isNotFound, type CommandResult, type CommandRunner } from '../probes/types.js';
import { firstErrorLine, looksRefused, permissionProblem, refusedByKernel } from './permissions.js';
import {
  readPermissionFacts,
  readProcess,
  REAL_PROC,
  type PermissionFacts,
  type ProcessFacts,
  type ProcFs,
} from './processInfo.js';

/** py-spy's default; 100 Hz costs the target ~1–3 % (BENCHMARKS.md, "profile capture"). */
export const PY_SPY_RATE_HZ = 100;
/** 99, not 100: off the kernel's own timer ticks, so samples do not line up with them. */
export const PERF_RATE_HZ = 99;
/** Beyond the duration: py-spy and perf write their files, perf script symbolizes. */
const FINISH_GRACE_MS = 60_000;

export interface TempFiles {
  makeDir(): Promise<string>;
  size(path: string): Promise<number | undefined>;
  read(path: string): Promise<string>;
  remove(dir: string): Promise<void>;
}

export const REAL_TEMP_FILES: TempFiles = {
  makeDir: () => mkdtemp(join(tmpdir(), 'osprey-profile-')),
  size: (path) =>
    stat(path).then(
      (s) => s.size,
      () => undefined,
    ),
  read: (path) => readFile(path, 'utf8'),
  remove: (dir) => rm(dir, { recursive: true, force: true }),
};

export interface CaptureDeps {
  runner: CommandRunner;
  /** This collector's node name, for messages and the result. */
  node: string;
  proc?: ProcFs;
  files?: TempFiles;
  now?: () => number;
  /** Executables (tests point them at fakes); `py-spy` and `perf` from PATH by default. */
  tools?: { pySpy?: string; perf?: string };
  progressEveryMs?: number;
}

export interface CaptureOptions extends CaptureRequest {
  signal?: AbortSignal | undefined;
  onProgress?: ((progress: CaptureProgress) => void) | undefined;
}

/** The tool for a process: py-spy reads Python's own frames; perf samples anything else. */
export function toolFor(process: Pick<ProcessFacts, 'kind'>): CaptureTool {
  return process.kind === 'python' ? 'py-spy' : 'perf';
}

/** The tool's command line, without the executable (pure, for tests and the result). */
export function recordArgs(tool: CaptureTool, request: CaptureRequest, output: string): string[] {
  const { pid, durationS } = request;
  if (tool === 'py-spy') {
    return [
      'record',
      '--format',
      'raw',
      '--rate',
      String(PY_SPY_RATE_HZ),
      '--duration',
      String(durationS),
      '--pid',
      String(pid),
      ...(request.native ? ['--native'] : []),
      ...(request.subprocesses ? ['--subprocesses'] : []),
      '-o',
      output,
    ];
  }
  return [
    'record',
    '-g',
    '-F',
    String(PERF_RATE_HZ),
    '-p',
    String(pid),
    '-o',
    output,
    '--',
    'sleep',
    String(durationS),
  ];
}

export async function captureProfile(
  options: CaptureOptions,
  deps: CaptureDeps,
): Promise<CapturedProfile> {
  const request = checkCaptureRequest(options);
  const proc = deps.proc ?? REAL_PROC;
  const files = deps.files ?? REAL_TEMP_FILES;
  const now = deps.now ?? Date.now;
  const { node } = deps;
  const { pid, durationS } = request;
  const signal = options.signal;
  throwIfCancelled(signal, pid, node);
  const target = await readProcess(pid, proc);
  if (!target) throw new CaptureError('no-process', `no process ${pid} on ${node} (it exited?)`);
  const tool = toolFor(target);
  const facts = await readPermissionFacts(proc);
  const problem = permissionProblem(tool, facts, target, node);
  if (problem) throw new CaptureError('permission', problem);
  const warnings: string[] = [];
  if (request.native && tool === 'perf') {
    warnings.push(
      `--native applies to py-spy; pid ${pid} is not Python, so perf sampled it (native frames always)`,
    );
  }
  if (target.kind === 'node' && !target.cmdline.some((a) => a.startsWith('--perf-basic-prof'))) {
    warnings.push(
      `pid ${pid} is Node.js started without --perf-basic-prof: its JavaScript functions show as ` +
        `[unknown] addresses. Restart it with \`node --perf-basic-prof …\` (it writes ` +
        `/tmp/perf-${pid}.map, which perf script reads) to see their names.`,
    );
  }

  const dir = await files.makeDir();
  const startedAtMs = now();
  let phase: CaptureProgress['phase'] = 'recording';
  const report = (): void => {
    const elapsedS = Math.min(Math.round((now() - startedAtMs) / 1000), durationS + 3600);
    if (phase === 'recording' && elapsedS >= durationS) phase = 'processing';
    options.onProgress?.({ elapsedS, durationS, phase });
  };
  report();
  const ticker = setInterval(report, deps.progressEveryMs ?? 1000);
  try {
    const exe = tool === 'py-spy' ? (deps.tools?.pySpy ?? 'py-spy') : (deps.tools?.perf ?? 'perf');
    const output = join(dir, tool === 'py-spy' ? 'profile.txt' : 'perf.data');
    const args = recordArgs(tool, request, output);
    const ctx: RunContext = { deps, tool, exe, pid, node, facts, signal };
    const recorded = await runTool(ctx, args, durationS * 1000 + FINISH_GRACE_MS);
    const size = await files.size(output);
    const gone = (await readProcess(pid, proc)) === undefined;
    if (recorded.code !== 0 && (size === undefined || size === 0)) {
      throw failure(ctx, recorded, gone);
    }
    if (size !== undefined && size > MAX_CAPTURE_BYTES) throw tooLarge(tool, pid, size);
    if (gone || /process exited/i.test(recorded.stderr)) {
      warnings.push(
        `pid ${pid} exited during the capture (after about ${Math.round((now() - startedAtMs) / 1000)} s of ${durationS} s): the profile covers the time it ran`,
      );
    }
    let text: string;
    if (tool === 'py-spy') {
      text = size === undefined ? '' : await files.read(output);
    } else {
      phase = 'processing';
      report();
      const script = await runTool(
        ctx,
        ['script', '-i', output],
        FINISH_GRACE_MS,
        MAX_CAPTURE_BYTES,
      );
      if (script.exceededBytes !== undefined) throw tooLarge(tool, pid, script.exceededBytes);
      if (script.code !== 0) {
        throw new CaptureError(
          'failed',
          `perf script could not read the capture of pid ${pid} on ${node} (exit ${String(script.code)}): ${firstErrorLine(script.stderr)}`,
        );
      }
      text = script.stdout;
    }
    if (text.trim().length === 0) {
      if (gone)
        throw new CaptureError(
          'no-process',
          `pid ${pid} on ${node} exited before any sample was taken`,
        );
      warnings.push(
        tool === 'py-spy'
          ? `no samples: pid ${pid} was idle for the whole ${durationS} s (py-spy leaves out idle threads)`
          : `no samples: pid ${pid} used no CPU for the whole ${durationS} s`,
      );
    }
    return {
      tool,
      format: tool === 'py-spy' ? 'folded' : 'perf-script',
      text,
      pid,
      node,
      durationS,
      rateHz: tool === 'py-spy' ? PY_SPY_RATE_HZ : PERF_RATE_HZ,
      startedAtMs,
      command: [tool, ...args].join(' '),
      warnings,
    };
  } finally {
    clearInterval(ticker);
    await files.remove(dir);
  }
}

interface RunContext {
  deps: CaptureDeps;
  tool: CaptureTool;
  exe: string;
  pid: number;
  node: string;
  facts: PermissionFacts;
  signal: AbortSignal | undefined;
}

async function runTool(
  ctx: RunContext,
  args: string[],
  timeoutMs: number,
  maxOutputBytes?: number,
): Promise<CommandResult> {
  try {
    const result = await ctx.deps.runner.run(ctx.exe, args, {
      timeoutMs,
      ...(ctx.signal ? { signal: ctx.signal } : {}),
      ...(maxOutputBytes !== undefined ? { maxOutputBytes } : {}),
    });
    // pyenv's shim (and `env`) answer 127 "command not found" for a tool that is not installed.
    if (result.code === 127 && /not found/i.test(result.stderr)) throw missing(ctx.tool, ctx.node);
    return result;
  } catch (error) {
    if (ctx.signal?.aborted) throw cancelled(ctx.pid, ctx.node);
    if (isNotFound(error)) throw missing(ctx.tool, ctx.node);
    throw error;
  }
}

function failure(ctx: RunContext, result: CommandResult, gone: boolean): CaptureError {
  const { tool, pid, node } = ctx;
  if (gone)
    return new CaptureError(
      'no-process',
      `pid ${pid} on ${node} exited before ${tool} could sample it`,
    );
  if (looksRefused(result.stderr)) {
    return new CaptureError(
      'permission',
      refusedByKernel(tool, ctx.facts, pid, node, result.stderr),
    );
  }
  if (result.code === null) {
    return new CaptureError(
      'failed',
      `${tool} did not finish on pid ${pid} on ${node} and was stopped${result.exceededBytes ? ` (output over ${result.exceededBytes} bytes)` : ' (timeout)'}`,
    );
  }
  return new CaptureError(
    'failed',
    `${tool} failed on pid ${pid} on ${node} (exit ${result.code}): ${firstErrorLine(result.stderr) || 'no message'}`,
  );
}

function missing(tool: CaptureTool, node: string): CaptureError {
  return new CaptureError(
    'tool-missing',
    tool === 'py-spy'
      ? `py-spy is not installed on ${node}: pip install py-spy`
      : `perf is not installed on ${node}: apt install linux-perf (Debian) or apt install linux-tools-$(uname -r) (Ubuntu)`,
  );
}

function tooLarge(tool: CaptureTool, pid: number, bytes: number): CaptureError {
  const mib = (n: number): string => `${Math.round(n / 1024 / 1024)} MiB`;
  return new CaptureError(
    'too-large',
    `${tool}'s output for pid ${pid} passed the ${mib(MAX_CAPTURE_BYTES)} limit (${mib(bytes)}): capture a shorter duration`,
  );
}

function cancelled(pid: number, node: string): CaptureError {
  return new CaptureError('cancelled', `the capture of pid ${pid} on ${node} was cancelled`);
}

function throwIfCancelled(signal: AbortSignal | undefined, pid: number, node: string): void {
  if (signal?.aborted) throw cancelled(pid, node);
}
