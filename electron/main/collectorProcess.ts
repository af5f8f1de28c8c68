/**
 * The embedded collector as a child process of the desktop app: started on loopback with a fresh
 * token, ready when it prints its OSPREY_READY line, stopped gently on quit, and restarted with
 * backoff if it dies while the app runs. spawn is a parameter, so tests drive a fake child.
 */
import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import type { SpawnOptions } from 'node:child_process';
import type { Readable } from 'node:stream';

import type { CollectorEndpoint } from '../common/api.js';
import { collectorArgs, collectorEnv, parseReadyLine, portOf } from './collectorCommand.js';

/** The part of node's ChildProcess this module uses. */
export interface CollectorChild {
  readonly stdout: Readable | null;
  readonly stderr: Readable | null;
  kill(signal?: NodeJS.Signals): boolean;
  once(
    event: 'close',
    listener: (code: number | null, signal: NodeJS.Signals | null) => void,
  ): this;
  once(event: 'error', listener: (error: Error) => void): this;
}

export type SpawnCollector = (
  command: string,
  args: readonly string[],
  options: SpawnOptions,
) => CollectorChild;

export type CollectorEvent =
  | { type: 'ready'; endpoint: CollectorEndpoint }
  | { type: 'restarting'; attempt: number; delayMs: number; reason: string }
  | { type: 'gave-up'; error: Error };

export interface CollectorProcessOptions {
  spawn: SpawnCollector;
  /** The Node to run: in Electron, process.execPath with ELECTRON_RUN_AS_NODE=1 in env. */
  execPath: string;
  /** collector/bin/osprey.js */
  script: string;
  cwd: string;
  env: NodeJS.ProcessEnv;
  token?: string;
  intervalMs?: number;
  startupTimeoutMs?: number;
  stopGraceMs?: number;
  /** Delay before each consecutive restart; its length is the number of tries. */
  restartDelaysMs?: readonly number[];
  log?: (line: string) => void;
  onEvent?: (event: CollectorEvent) => void;
}

export interface CollectorProcess {
  /** Starts the child and resolves with its endpoint, or rejects with what went wrong. */
  start(): Promise<CollectorEndpoint>;
  /** The endpoint while the collector is (or is being brought back) up; throws once it gave up. */
  endpoint(): CollectorEndpoint;
  /** SIGTERM, then SIGKILL after the grace period; no restarts after this. */
  stop(): Promise<void>;
}

// A cold start on a busy box (nvidia-smi's first call alone can take seconds) fits in 15 s.
const STARTUP_TIMEOUT_MS = 15_000;
const STOP_GRACE_MS = 3_000;
// 5 tries over ~15 s: enough for a transient failure, short enough to tell the user soon.
const RESTART_DELAYS_MS = [500, 1_000, 2_000, 4_000, 8_000];
// A child that stayed up this long after a restart counts as healthy again.
const HEALTHY_AFTER_MS = 60_000;
const TAIL_LINES = 20;

export function createCollectorProcess(opts: CollectorProcessOptions): CollectorProcess {
  const token = opts.token ?? randomBytes(32).toString('hex');
  const log = opts.log ?? (() => {});
  const emit = opts.onEvent ?? (() => {});
  const delays = opts.restartDelaysMs ?? RESTART_DELAYS_MS;
  let port = 0;
  let current: { child: CollectorChild; closed: Promise<void> } | undefined;
  let endpoint: CollectorEndpoint | undefined;
  let failure: Error | undefined;
  let stopping = false;
  let restarts = 0;
  let readyAt = 0;
  let restartTimer: ReturnType<typeof setTimeout> | undefined;

  function launch(): Promise<CollectorEndpoint> {
    const args = collectorArgs({ script: opts.script, port, intervalMs: opts.intervalMs ?? 1000 });
    const child = opts.spawn(opts.execPath, args, {
      cwd: opts.cwd,
      env: collectorEnv(opts.env, token),
      // stdin stays open and unused: when this process dies, the collector sees EOF and exits.
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const tail: string[] = [];
    const remember = (line: string): void => {
      log(`collector: ${line.replaceAll(token, '<token>')}`);
      tail.push(line.replaceAll(token, '<token>'));
      if (tail.length > TAIL_LINES) tail.shift();
    };
    let settled = false;
    let resolveClosed!: () => void;
    const closed = new Promise<void>((r) => (resolveClosed = r));
    current = { child, closed };

    return new Promise<CollectorEndpoint>((resolve, reject) => {
      const fail = (error: Error): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        reject(error);
      };
      const timer = setTimeout(() => {
        const seconds = (opts.startupTimeoutMs ?? STARTUP_TIMEOUT_MS) / 1000;
        fail(startError(`did not report ready within ${seconds} s`, tail));
        child.kill('SIGKILL');
      }, opts.startupTimeoutMs ?? STARTUP_TIMEOUT_MS);

      if (child.stderr) createInterface({ input: child.stderr }).on('line', remember);
      if (child.stdout) {
        createInterface({ input: child.stdout }).on('line', (line) => {
          remember(line);
          if (settled) return;
          try {
            const ready = parseReadyLine(line);
            if (!ready) return;
            if (ready.token !== token) throw new Error('collector READY line has another token');
            settled = true;
            clearTimeout(timer);
            endpoint = ready;
            port = portOf(ready);
            readyAt = Date.now();
            emit({ type: 'ready', endpoint: ready });
            resolve(ready);
          } catch (error) {
            fail(startError((error as Error).message, tail));
            child.kill('SIGKILL');
          }
        });
      }
      child.once('error', (error) => fail(startError(`could not be run: ${error.message}`, tail)));
      child.once('close', (code, signal) => {
        resolveClosed();
        if (current?.child === child) current = undefined;
        if (!settled) {
          fail(startError(`exited (${exitReason(code, signal)}) before it was ready`, tail));
        } else if (!stopping) {
          if (Date.now() - readyAt >= HEALTHY_AFTER_MS) restarts = 0;
          scheduleRestart(`exited (${exitReason(code, signal)})`);
        }
      });
    });
  }

  function scheduleRestart(reason: string): void {
    if (restarts >= delays.length) {
      failure = new Error(
        `the embedded collector stopped and did not come back after ${delays.length} restarts ` +
          `(last: ${reason})`,
      );
      emit({ type: 'gave-up', error: failure });
      return;
    }
    const delayMs = delays[restarts] ?? 0;
    restarts += 1;
    log(`collector: ${reason}; restart ${restarts} of ${delays.length} in ${delayMs} ms`);
    emit({ type: 'restarting', attempt: restarts, delayMs, reason });
    restartTimer = setTimeout(() => {
      restartTimer = undefined;
      launch().catch((error: Error) => {
        if (!stopping) scheduleRestart(error.message.replace(/^the embedded collector /, ''));
      });
    }, delayMs);
  }

  return {
    start: () => {
      if (current || endpoint) return Promise.reject(new Error('the collector is already started'));
      return launch();
    },
    endpoint: () => {
      if (failure) throw failure;
      if (!endpoint) throw new Error('the embedded collector has not started yet');
      return endpoint;
    },
    stop: async () => {
      stopping = true;
      clearTimeout(restartTimer);
      const running = current;
      if (!running) return;
      const kill = setTimeout(
        () => running.child.kill('SIGKILL'),
        opts.stopGraceMs ?? STOP_GRACE_MS,
      );
      running.child.kill('SIGTERM');
      await running.closed;
      clearTimeout(kill);
    },
  };
}

function startError(what: string, tail: readonly string[]): Error {
  const output = tail.length > 0 ? `; its last output:\n${tail.join('\n')}` : ' (no output)';
  return new Error(`the embedded collector ${what}${output}`);
}

function exitReason(code: number | null, signal: NodeJS.Signals | null): string {
  return signal ? `signal ${signal}` : `code ${code}`;
}
