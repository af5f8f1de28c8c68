/**
 * The real CommandRunner: spawns tools with no shell (arguments are never interpreted), bounded
 * output, and a timeout, so a hung or flooding nvidia-smi cannot stall or swell the collector
 * (issue 10: unbounded reading took `osprey serve` to 1.5 GB and killed it).
 *
 * - `run` keeps at most MAX_OUTPUT_BYTES of stdout; past that the tool is stopped and the result
 *   says so (`exceededBytes`), which the probes report as "output exceeded 8 MB".
 * - `spawnLines` splits lines with a length ceiling (LineSplitter) and stops a stream that prints
 *   more than MAX_STREAM_BYTES_PER_SECOND: the probes restart it with backoff.
 * - Each tool runs in its own process group and is stopped as a group: a shell script's own
 *   children (`sleep`, a pipeline) would otherwise hold the pipes open after it is killed. A tool
 *   that ignores SIGTERM gets SIGKILL KILL_AFTER_MS later.
 */
import { spawn, type ChildProcess } from 'node:child_process';

import { LineSplitter } from './LineSplitter.js';
import type {
  CommandResult,
  CommandRunner,
  LineStream,
  LineStreamHandlers,
  RunOptions,
} from './types.js';

/** nvidia-smi -q on an 8-GPU node is ~200 KB; anything far beyond that is a runaway. */
export const MAX_OUTPUT_BYTES = 8 * 1024 * 1024;
/**
 * A `-lms` stream prints ~200 bytes per GPU per interval (the H100 row the probe asks for is 203;
 * 1 s by default, 100 ms at the fastest): 2 MiB a second is the protocol's 1,024 GPUs at 10 Hz.
 * More is a flood, and parsing it churns memory (issue 10).
 */
export const MAX_STREAM_BYTES_PER_SECOND = 2 * 1024 * 1024;
const STDERR_KEEP = 16 * 1024;
const KILL_AFTER_MS = 2_000;
/** After the process exits, how long its pipes may stay open (held by a child it left behind). */
const PIPE_GRACE_MS = 500;

export function createSystemRunner(): CommandRunner {
  return { run, spawnLines };
}

function run(cmd: string, args: readonly string[], opts?: RunOptions): Promise<CommandResult> {
  const maxBytes = opts?.maxOutputBytes ?? MAX_OUTPUT_BYTES;
  const signal = opts?.signal;
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const child = start(cmd, args);
    const stdout: Buffer[] = [];
    let size = 0;
    let exceeded = false;
    const stderr = keepStderr(child);
    let settled = false;
    const finish = (code: number | null): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      release(child);
      resolve(
        exceeded
          ? { code: null, stdout: '', stderr: stderr(), exceededBytes: maxBytes }
          : { code, stdout: Buffer.concat(stdout, size).toString('utf8'), stderr: stderr() },
      );
    };
    const timer = setTimeout(() => {
      killGroup(child, 'SIGKILL');
      finish(null);
    }, opts?.timeoutMs ?? 10_000);
    // Rejects once the tool has exited, so a caller that deletes the tool's files next does not
    // race a write still in flight.
    const onAbort = (): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      killGroup(child, 'SIGKILL');
      const done = (): void => {
        release(child);
        reject(signal!.reason);
      };
      if (child.exitCode !== null || child.signalCode !== null) done();
      else child.once('exit', done);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    child.stdout!.on('data', (chunk: Buffer) => {
      if (exceeded) return;
      size += chunk.length;
      if (size <= maxBytes) {
        stdout.push(chunk);
        return;
      }
      exceeded = true;
      stdout.length = 0;
      killGroup(child, 'SIGKILL');
      finish(null);
    });
    child.on('error', (err) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      reject(err);
    });
    child.on('close', (code) => finish(code));
    child.on('exit', (code) => setTimeout(() => finish(code), PIPE_GRACE_MS).unref());
  });
}

function spawnLines(
  cmd: string,
  args: readonly string[],
  handlers: LineStreamHandlers,
): LineStream {
  const child = start(cmd, args);
  const stderr = keepStderr(child);
  let ended = false;
  let stoppedFor: string | undefined;
  let killTimer: ReturnType<typeof setTimeout> | undefined;
  const end = (code: number | null, error?: Error): void => {
    if (killTimer !== undefined) clearTimeout(killTimer);
    killTimer = undefined;
    if (ended) return;
    ended = true;
    release(child);
    handlers.onExit(code, stderr(), error, stoppedFor);
  };
  const lines = new LineSplitter({
    onLine: (line) => {
      if (!ended) handlers.onLine(line);
    },
    onTooLong: (max) => {
      if (!ended) handlers.onTooLong?.(max);
    },
  });
  let windowStart = Date.now();
  let windowBytes = 0;
  child.stdout!.on('data', (chunk: Buffer) => {
    if (ended || stoppedFor !== undefined) return;
    const now = Date.now();
    if (now - windowStart >= 1_000) {
      windowStart = now;
      windowBytes = 0;
    }
    windowBytes += chunk.length;
    if (windowBytes > MAX_STREAM_BYTES_PER_SECOND) {
      stoppedFor = `it printed over ${MAX_STREAM_BYTES_PER_SECOND / 1024 / 1024} MB within 1 s (a flood)`;
      killGroup(child, 'SIGKILL');
      return;
    }
    lines.push(chunk);
  });
  child.stdout!.on('end', () => {
    if (stoppedFor === undefined) lines.end();
  });
  child.on('error', (err) => end(null, err));
  child.on('close', (code) => end(code));
  child.on('exit', (code) => setTimeout(() => end(code), PIPE_GRACE_MS).unref());
  return {
    stop() {
      if (ended) return;
      ended = true;
      killGroup(child, 'SIGTERM');
      if (child.exitCode !== null || child.signalCode !== null) return release(child);
      // Not unref'd: a process exiting right after stop() waits these 2 s rather than leave a
      // tool that ignores SIGTERM running on its own.
      killTimer = setTimeout(() => killGroup(child, 'SIGKILL'), KILL_AFTER_MS);
      child.once('exit', () => {
        if (killTimer !== undefined) clearTimeout(killTimer);
        killTimer = undefined;
        release(child);
      });
    },
  };
}

/** Tools running now, to stop with the collector (killRunningTools). */
const live = new Set<ChildProcess>();
let exitHooked = false;

function start(cmd: string, args: readonly string[]): ChildProcess {
  // detached: the tool leads its own process group, so killGroup reaches its children too. It
  // also keeps a terminal's Ctrl-C from reaching the tool, so the collector stops its tools itself.
  const child = spawn(cmd, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: toolEnv(),
    detached: true,
  });
  if (!exitHooked) process.once('exit', killRunningTools);
  exitHooked = true;
  live.add(child);
  child.once('exit', () => live.delete(child));
  child.once('error', () => live.delete(child));
  return child;
}

/**
 * Kills every tool this process is running (SIGKILL to each group): `osprey serve` calls it when it
 * stops, so a hung tool does not hold the exit for its 10 s timeout, and on exit nothing is left
 * behind.
 */
export function killRunningTools(): void {
  for (const child of live) killGroup(child, 'SIGKILL');
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // The group is gone already (or never formed): fall back to the process itself.
    child.kill(signal);
  }
}

/** Stops listening to a finished child's pipes, which a leftover grandchild may hold open. */
function release(child: ChildProcess): void {
  child.stdout?.destroy();
  child.stderr?.destroy();
}

/** The first STDERR_KEEP bytes of stderr, read in full so a chatty tool never blocks on it. */
function keepStderr(child: ChildProcess): () => string {
  const kept: Buffer[] = [];
  let size = 0;
  child.stderr!.on('data', (chunk: Buffer) => {
    if (size >= STDERR_KEEP) return;
    const part = chunk.subarray(0, STDERR_KEEP - size);
    kept.push(Buffer.from(part));
    size += part.length;
  });
  return () => Buffer.concat(kept, size).toString('utf8');
}

/** Tools print localized numbers under some locales (e.g. "45,5"); force the C locale. */
function toolEnv(): NodeJS.ProcessEnv {
  return { ...process.env, LC_ALL: 'C', LANG: 'C' };
}
