/**
 * Starts the real `osprey` CLI as a child process for integration tests and waits for its
 * OSPREY_READY line. Requires `npm run build:ts` (npm test builds first).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const OSPREY_BIN = fileURLToPath(new URL('../bin/osprey.js', import.meta.url));

export interface Served {
  url: string;
  token: string;
  child: ChildProcess;
  output: string[];
  stop(): Promise<void>;
}

export interface ServeOptions {
  /** The child's environment (default: this process's), e.g. a PATH with fake tools first. */
  env?: NodeJS.ProcessEnv;
}

export async function startServe(
  args: string[],
  timeoutMs = 20_000,
  opts: ServeOptions = {},
): Promise<Served> {
  const child = spawn(process.execPath, [OSPREY_BIN, 'serve', '--port', '0', ...args], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: hermetic(opts.env ?? process.env),
  });
  const output: string[] = [];
  child.stderr!.setEncoding('utf8').on('data', (d: string) => output.push(d));
  const ready = new Promise<{ url: string; token: string }>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`osprey serve not ready in ${timeoutMs} ms:\n${output.join('')}`)),
      timeoutMs,
    );
    createInterface({ input: child.stdout! }).on('line', (line) => {
      output.push(line + '\n');
      if (line.startsWith('OSPREY_READY ')) {
        clearTimeout(timer);
        resolve(JSON.parse(line.slice('OSPREY_READY '.length)) as { url: string; token: string });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`osprey serve exited with ${code}:\n${output.join('')}`));
    });
  });
  const { url, token } = await ready;
  return {
    url,
    token,
    child,
    output,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}

/**
 * The child's environment with a state directory of its own: the kernel log probe keeps its read
 * position under $XDG_STATE_HOME, and a test must neither read nor move the user's.
 */
function hermetic(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  if (env.XDG_STATE_HOME !== undefined && env !== process.env) return env;
  return { ...env, XDG_STATE_HOME: mkdtempSync(join(tmpdir(), 'osprey-state-')) };
}

/** Runs the CLI to completion and returns its exit code and output. */
export async function runOsprey(
  args: string[],
  timeoutMs = 20_000,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [OSPREY_BIN, ...args], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const [code] = (await once(child, 'exit')) as [number | null];
  clearTimeout(timer);
  return { code, stdout, stderr };
}

/** Polls `check` until it returns a value or the time is up (the last error is rethrown). */
export async function eventually<T>(
  check: () => Promise<T>,
  timeoutMs = 20_000,
  everyMs = 250,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, everyMs));
    }
  }
}
