/**
 * The real CommandRunner: spawns tools with no shell (arguments are never interpreted), bounded
 * output, and a timeout, so a hung nvidia-smi cannot stall the collector.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

import type { CommandResult, CommandRunner, LineStream, LineStreamHandlers } from './types.js';

/** nvidia-smi -q on an 8-GPU node is ~200 KB; anything far beyond that is a runaway. */
const MAX_OUTPUT_BYTES = 8 * 1024 * 1024;
const STDERR_KEEP = 16 * 1024;

export function createSystemRunner(): CommandRunner {
  return { run, spawnLines };
}

function run(
  cmd: string,
  args: readonly string[],
  opts?: { timeoutMs?: number },
): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], env: toolEnv() });
    let stdout = '';
    let stderr = '';
    let size = 0;
    let settled = false;
    const timer = setTimeout(() => child.kill('SIGKILL'), opts?.timeoutMs ?? 10_000);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      size += chunk.length;
      if (size <= MAX_OUTPUT_BYTES) stdout += chunk;
      else child.kill('SIGKILL');
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      if (stderr.length < STDERR_KEEP) stderr += chunk;
    });
    child.on('error', (err) => {
      clearTimeout(timer);
      if (!settled) reject(err);
      settled = true;
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      if (!settled) resolve({ code, stdout, stderr });
      settled = true;
    });
  });
}

function spawnLines(
  cmd: string,
  args: readonly string[],
  handlers: LineStreamHandlers,
): LineStream {
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], env: toolEnv() });
  let stderr = '';
  let ended = false;
  const end = (code: number | null, error?: Error): void => {
    if (ended) return;
    ended = true;
    handlers.onExit(code, stderr, error);
  };
  createInterface({ input: child.stdout, crlfDelay: Infinity }).on('line', (line) =>
    handlers.onLine(line),
  );
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    if (stderr.length < STDERR_KEEP) stderr += chunk;
  });
  child.on('error', (err) => end(null, err));
  child.on('close', (code) => end(code));
  return {
    stop() {
      ended = true;
      child.kill('SIGTERM');
    },
  };
}

/** Tools print localized numbers under some locales (e.g. "45,5"); force the C locale. */
function toolEnv(): NodeJS.ProcessEnv {
  return { ...process.env, LC_ALL: 'C', LANG: 'C' };
}
