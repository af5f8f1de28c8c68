/**
 * Keeps one long-lived tool process running (`nvidia-smi … -lms N`): when it exits it is started
 * again after 1 s, 2 s, 4 s … at most 30 s. A process that stayed up for 30 s or more was healthy,
 * so the next wait starts from 1 s again; one that keeps dying right away is not hammered.
 */
import type { CommandRunner, LineStream } from '../types.js';
import { firstLines } from './smiErrors.js';

export interface RestartingStreamHandlers {
  /** `line` counts from 1 for each process started. */
  onLine(text: string, line: number): void;
  /** Line `line` was longer than `maxBytes` and skipped. */
  onTooLong?(line: number, maxBytes: number): void;
  /** The process ended; `message` says how and when the next start is. */
  onExit(message: string, restartInMs: number): void;
}

export interface RestartingStreamOptions {
  now: () => number;
  firstDelayMs?: number;
  maxDelayMs?: number;
}

export class RestartingStream {
  private child: LineStream | undefined;
  /** Which process is current; callbacks of an earlier one are ignored. */
  private generation = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private failures = 0;
  private running = false;
  private readonly firstDelayMs: number;
  private readonly maxDelayMs: number;

  constructor(
    private readonly runner: CommandRunner,
    private readonly cmd: string,
    private readonly args: readonly string[],
    private readonly handlers: RestartingStreamHandlers,
    private readonly opts: RestartingStreamOptions,
  ) {
    this.firstDelayMs = opts.firstDelayMs ?? 1_000;
    this.maxDelayMs = opts.maxDelayMs ?? 30_000;
  }

  start(): void {
    this.running = true;
    this.spawn();
  }

  stop(): void {
    this.running = false;
    this.generation++;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.child?.stop();
    this.child = undefined;
  }

  /** The wait before the n-th restart in a row (n from 0): 1 s, 2 s, 4 s, … capped. */
  delayMs(n: number): number {
    return Math.min(this.maxDelayMs, this.firstDelayMs * 2 ** n);
  }

  private spawn(): void {
    const startedAt = this.opts.now();
    const generation = ++this.generation;
    const current = (): boolean => this.running && this.generation === generation;
    let line = 0;
    this.child = this.runner.spawnLines(this.cmd, this.args, {
      onLine: (text) => {
        if (current()) this.handlers.onLine(text, ++line);
      },
      onTooLong: (maxBytes) => {
        if (current()) this.handlers.onTooLong?.(++line, maxBytes);
      },
      onExit: (code, stderr, error, stoppedFor) => {
        if (!current()) return;
        this.generation++;
        this.child = undefined;
        if (this.opts.now() - startedAt >= this.maxDelayMs) this.failures = 0;
        const wait = this.delayMs(this.failures++);
        const how = error
          ? `could not run (${error.message})`
          : stoppedFor !== undefined
            ? `was stopped: ${stoppedFor}`
            : code === null
              ? 'was killed'
              : `exited with code ${code}`;
        const said = firstLines(stderr);
        const message = `${this.cmd} ${how}${said ? `: ${said}` : ''}; restarting in ${wait / 1000} s`;
        this.timer = setTimeout(() => {
          this.timer = undefined;
          if (this.running) this.spawn();
        }, wait);
        this.handlers.onExit(message, wait);
      },
    });
  }
}
