/**
 * A CommandRunner for tests: answers are set per command line (`cmd arg1 arg2 …`, single spaces),
 * every call is recorded. Several answers for one line are given in turn and the last one repeats,
 * so a test can script "good, good, garbage, good". A line with no answer rejects with a message
 * naming it (deliberately not ENOENT: a forgotten answer must not look like a missing tool; use
 * `notFound()` for that). Streams work the same way: each `spawnLines` of a command line plays the
 * next of its streams, the last one repeating, so "dies, then runs" is two streams.
 */
import type {
  CommandResult,
  CommandRunner,
  LineStream,
  LineStreamHandlers,
  RunOptions,
} from './types.js';

export interface FakeCall {
  cmd: string;
  args: string[];
  /** `cmd` and `args` joined with single spaces: the key answers are set under. */
  line: string;
  timeoutMs?: number;
  /** The caller's abort signal, for answers that wait until cancelled. */
  signal?: AbortSignal;
  maxOutputBytes?: number;
}

export type FakeAnswer =
  CommandResult | Error | ((call: FakeCall) => CommandResult | Promise<CommandResult>);

export interface FakeStream {
  lines: readonly string[];
  /** Exit code after the last line (default 0); null for "killed". */
  code?: number | null;
  stderr?: string;
  /** Keep running after the last line, until stopped (a healthy `-lms` loop): no exit. */
  open?: boolean;
  /** Exit this long after the last line instead of at once (a process that ran a while). */
  exitAfterMs?: number;
}

export class FakeCommandRunner implements CommandRunner {
  readonly calls: FakeCall[] = [];
  private readonly answers = new Map<string, FakeAnswer[]>();
  private readonly used = new Map<string, number>();
  private readonly streams = new Map<string, FakeStream[]>();
  private readonly spawned = new Map<string, number>();
  /** Command lines whose stream was stopped by its caller, in order. */
  readonly stopped: string[] = [];

  /** Sets the answers for one command line, replacing earlier ones. */
  on(line: string, ...answers: FakeAnswer[]): this {
    this.answers.set(line, answers);
    this.used.set(line, 0);
    return this;
  }

  /** Sets what `spawnLines` emits for one command line: one stream per spawn, the last repeating. */
  onStream(line: string, ...streams: FakeStream[]): this {
    this.streams.set(line, streams);
    this.spawned.set(line, 0);
    return this;
  }

  /** The recorded calls of one command line. */
  callsOf(line: string): FakeCall[] {
    return this.calls.filter((c) => c.line === line);
  }

  async run(cmd: string, args: readonly string[], opts?: RunOptions): Promise<CommandResult> {
    const call: FakeCall = { cmd, args: [...args], line: [cmd, ...args].join(' ') };
    if (opts?.timeoutMs !== undefined) call.timeoutMs = opts.timeoutMs;
    if (opts?.signal !== undefined) call.signal = opts.signal;
    if (opts?.maxOutputBytes !== undefined) call.maxOutputBytes = opts.maxOutputBytes;
    this.calls.push(call);
    const list = this.answers.get(call.line);
    if (list === undefined || list.length === 0) {
      throw new Error(`FakeCommandRunner: no answer for "${call.line}"`);
    }
    const i = this.used.get(call.line) ?? 0;
    this.used.set(call.line, i + 1);
    const answer = list[Math.min(i, list.length - 1)]!;
    if (answer instanceof Error) throw answer;
    return typeof answer === 'function' ? answer(call) : { ...answer };
  }

  spawnLines(cmd: string, args: readonly string[], handlers: LineStreamHandlers): LineStream {
    const line = [cmd, ...args].join(' ');
    this.calls.push({ cmd, args: [...args], line });
    const list = this.streams.get(line) ?? [];
    const n = this.spawned.get(line) ?? 0;
    this.spawned.set(line, n + 1);
    const stream = list[Math.min(n, list.length - 1)];
    let stopped = false;
    setTimeout(() => {
      if (stopped) return;
      if (stream === undefined) {
        handlers.onExit(null, '', new Error(`FakeCommandRunner: no stream for "${line}"`));
        return;
      }
      for (const l of stream.lines) if (!stopped) handlers.onLine(l);
      if (stream.open) return;
      const exit = (): void => {
        if (!stopped)
          handlers.onExit(stream.code === undefined ? 0 : stream.code, stream.stderr ?? '');
      };
      if (stream.exitAfterMs === undefined) exit();
      else setTimeout(exit, stream.exitAfterMs);
    }, 0);
    const stops = this.stopped;
    return {
      stop() {
        if (!stopped) stops.push(line);
        stopped = true;
      },
    };
  }
}

/** A successful run printing `stdout`. */
export function ok(stdout: string): CommandResult {
  return { code: 0, stdout, stderr: '' };
}

/** A run that exited with `code` (null: killed or timed out). */
export function exited(code: number | null, stderr: string, stdout = ''): CommandResult {
  return { code, stdout, stderr };
}

/** What the system runner rejects with when the executable is not installed. */
export function notFound(cmd: string): Error {
  return Object.assign(new Error(`spawn ${cmd} ENOENT`), { code: 'ENOENT' });
}
