/**
 * The contract every probe (host, nvidia, ascend, …) meets, and the command runner they use. A
 * probe never throws out of `collect`: whatever went wrong becomes its status and the other
 * probes keep running.
 */
import type { Signal } from '../core/diagnosis/types.js';
import type { DeviceInfo, EventRecord, ProbeStatus, Sample } from '../core/model.js';

export interface ProbeReading {
  status: ProbeStatus;
  /** The devices this probe currently sees (empty for host, or when absent). */
  devices: DeviceInfo[];
  samples: Sample[];
  events: EventRecord[];
  /** Observed faults for the diagnosis rules (core/diagnosis), when the probe reads any. */
  signals?: Signal[];
}

export interface Probe {
  readonly name: string;
  /** Detects presence and starts long-lived helpers; resolves even when the tool is absent. */
  start(): Promise<void>;
  /** The newest values, taken at `now` (ms). Never rejects. */
  collect(now: number): Promise<ProbeReading>;
  stop(): Promise<void>;
}

export interface CommandResult {
  /** Exit code, or null when killed by a signal or the timeout. */
  code: number | null;
  stdout: string;
  stderr: string;
  /**
   * Set when stdout passed this many bytes and the tool was stopped for it (then `code` is null and
   * `stdout` is empty): a runaway, to be reported as "output exceeded N MB", not as a hang.
   */
  exceededBytes?: number;
}

/** A long-lived process whose stdout arrives line by line. */
export interface LineStream {
  stop(): void;
}

export interface LineStreamHandlers {
  onLine(line: string): void;
  /** A line longer than `maxBytes` was skipped (the lines after it still arrive). */
  onTooLong?(maxBytes: number): void;
  /**
   * The process ended (code null: killed or failed to start; `error` says why it could not run,
   * `stoppedFor` why the runner stopped it, e.g. a flood of output).
   */
  onExit(code: number | null, stderr: string, error?: Error, stoppedFor?: string): void;
}

export interface RunOptions {
  /** Killed (code null) past this; 10 s by default. */
  timeoutMs?: number;
  /**
   * Aborting kills the tool's process group and rejects with the signal's reason (a profile
   * capture's Cancel: collector/profiling).
   */
  signal?: AbortSignal;
  /** Stdout kept before the tool is stopped for it (`exceededBytes`); MAX_OUTPUT_BYTES by default. */
  maxOutputBytes?: number;
}

/**
 * Runs external tools. The real one spawns processes; replays and tests answer from recorded
 * outputs. A missing executable rejects `run` with an Error whose `code` is 'ENOENT'.
 */
export interface CommandRunner {
  run(cmd: string, args: readonly string[], opts?: RunOptions): Promise<CommandResult>;
  spawnLines(cmd: string, args: readonly string[], handlers: LineStreamHandlers): LineStream;
}

/** True when an error means "this executable is not installed". */
export function isNotFound(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 'ENOENT';
}
