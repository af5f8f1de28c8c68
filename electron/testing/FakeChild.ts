/**
 * A child process for tests: stdout/stderr to write lines into, the signals it was sent, and
 * `exit()` to end it the way node reports it ('exit', then 'close' once stdio is closed).
 */
import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';

export interface SpawnCall {
  command: string;
  args: readonly string[];
  options: unknown;
  child: FakeChild;
}

export class FakeChild extends EventEmitter {
  readonly stdout = new PassThrough();
  readonly stderr = new PassThrough();
  readonly signals: (NodeJS.Signals | undefined)[] = [];
  private exited = false;

  kill(signal?: NodeJS.Signals): boolean {
    this.signals.push(signal);
    return !this.exited;
  }

  /** Prints lines on stdout. */
  print(...lines: string[]): void {
    for (const line of lines) this.stdout.write(`${line}\n`);
  }

  exit(code: number | null, signal: NodeJS.Signals | null = null): void {
    this.exited = true;
    this.emit('exit', code, signal);
    this.stdout.end();
    this.stderr.end();
    this.emit('close', code, signal);
  }
}

/** A spawn that records its calls and hands out FakeChild instances. */
export function fakeSpawn(): {
  calls: SpawnCall[];
  spawn: (command: string, args: readonly string[], options: unknown) => FakeChild;
} {
  const calls: SpawnCall[] = [];
  return {
    calls,
    spawn: (command, args, options) => {
      const child = new FakeChild();
      calls.push({ command, args, options, child });
      return child;
    },
  };
}

/** Lets stream data and promise callbacks run (fake timers leave setImmediate real). */
export function flush(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
