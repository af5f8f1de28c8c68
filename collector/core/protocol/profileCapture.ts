/**
 * On-demand profile capture (issue 13, item 5): what is asked and what comes back, the same for
 * every door (the local HTTP API, the desktop's IPC, NATS, `osprey profile capture`): one
 * `checkCaptureRequest`. No TypeBox here (nor subjects.ts, which loads the schemas): `osprey serve` loads this with the console API, and the
 * schemas cost ~20 MB of RSS (limits.ts); the NATS messages are profileMessages.ts.
 */
/** py-spy and perf stop themselves at the duration; a minute bounds what a click can cost. */
export const MAX_CAPTURE_SECONDS = 60;
export const DEFAULT_CAPTURE_SECONDS = 10;
/** What a capture may produce (perf script text of 60 s of a busy many-threaded process). */
export const MAX_CAPTURE_BYTES = 64 * 1024 * 1024;

export type CaptureTool = 'py-spy' | 'perf';

export interface CaptureRequest {
  readonly pid: number;
  /** Whole seconds, 1..MAX_CAPTURE_SECONDS. */
  readonly durationS: number;
  /** py-spy `--native`: C/C++/Cython frames of extensions beside the Python ones. */
  readonly native?: boolean | undefined;
  /** py-spy `--subprocesses`: the process's children too (vLLM V1's EngineCore runs in one). */
  readonly subprocesses?: boolean | undefined;
}

export interface CaptureProgress {
  /** Seconds since the tool started. */
  readonly elapsedS: number;
  readonly durationS: number;
  /** `processing`: the tool stopped sampling and its output is being read (perf script). */
  readonly phase: 'recording' | 'processing';
}

/** A capture's output: the tool's text, for the importers (folded for py-spy, perf script for perf). */
export interface CapturedProfile {
  readonly tool: CaptureTool;
  readonly format: 'folded' | 'perf-script';
  readonly text: string;
  readonly pid: number;
  /** The node that ran it (the collector's node name). */
  readonly node: string;
  readonly durationS: number;
  readonly rateHz: number;
  /** Wall clock at the tool's start, ms since the epoch. */
  readonly startedAtMs: number;
  /** The command as run, e.g. `py-spy record --format raw --rate 100 …`. */
  readonly command: string;
  /** What the reader should know: missing JS names in a Node process, the process exited early. */
  readonly warnings: readonly string[];
}

/**
 * Why a capture did not give a profile. `refused`: the agent was not started with
 * --allow-profiling; `unreachable`/`timeout`: the node's agent did not answer.
 */
export type CaptureFailureKind =
  | 'invalid'
  | 'busy'
  | 'limit'
  | 'no-process'
  | 'tool-missing'
  | 'permission'
  | 'cancelled'
  | 'too-large'
  | 'failed'
  | 'refused'
  | 'unreachable'
  | 'timeout';

/** A failed capture; the message says what to do (the exact command or flag). */
export class CaptureError extends Error {
  constructor(
    readonly kind: CaptureFailureKind,
    message: string,
  ) {
    super(message);
    this.name = 'CaptureError';
  }
}

/** The request from any door, checked: integers in bounds, nothing else accepted silently. */
export function checkCaptureRequest(value: unknown): CaptureRequest {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new CaptureError('invalid', 'a capture request is an object {pid, durationS, native?}');
  }
  const { pid, durationS, native, subprocesses } = value as Record<string, unknown>;
  if (typeof pid !== 'number' || !Number.isInteger(pid) || pid < 1 || pid > 2 ** 22) {
    throw new CaptureError('invalid', `pid must be a process id (1–${2 ** 22}), got ${show(pid)}`);
  }
  const duration = durationS ?? DEFAULT_CAPTURE_SECONDS;
  if (
    typeof duration !== 'number' ||
    !Number.isInteger(duration) ||
    duration < 1 ||
    duration > MAX_CAPTURE_SECONDS
  ) {
    throw new CaptureError(
      'invalid',
      `durationS must be whole seconds from 1 to ${MAX_CAPTURE_SECONDS}, got ${show(durationS)}`,
    );
  }
  if (native !== undefined && typeof native !== 'boolean') {
    throw new CaptureError('invalid', `native must be true or false, got ${show(native)}`);
  }
  if (subprocesses !== undefined && typeof subprocesses !== 'boolean') {
    throw new CaptureError(
      'invalid',
      `subprocesses must be true or false, got ${show(subprocesses)}`,
    );
  }
  return {
    pid,
    durationS: duration,
    ...(native ? { native: true } : {}),
    ...(subprocesses ? { subprocesses: true } : {}),
  };
}

function show(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value.slice(0, 40)) : String(value);
}
