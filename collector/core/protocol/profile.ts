/**
 * On-demand profile capture (issue 13, item 5): what is asked, what comes back, and how it travels
 * over NATS request/reply on `osprey.v1.profile.<cluster>.<node>`. Additive to v1: a request
 * subject, not a message type (spec.ts MESSAGE_SCHEMAS is unchanged), so a reader of the cluster's
 * wildcard skips it (subjects.ts isRequestSubject).
 *
 * The same request shape is checked by every door (the local HTTP API, the desktop's IPC, NATS,
 * `osprey profile capture`): one `checkCaptureRequest`.
 *
 * Large results: NATS refuses a message over the server's max_payload (1 MiB by default,
 * https://docs.nats.io/running-a-nats-service/configuration#limits). The agent gzips the profile's
 * text and sends it in parts that fit: the capture reply carries part 0 and the count, and the
 * requester asks for the others by id (`op: 'part'`), so a 64 MiB perf script still arrives.
 */
import Type, { type Static } from 'typebox';
import Value from 'typebox/value';

import { PROTOCOL_VERSION } from './limits.js';
import { SUBJECT_PREFIX, subjectToken } from './subjects.js';

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
  const { pid, durationS, native } = value as Record<string, unknown>;
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
  return native ? { pid, durationS: duration, native: true } : { pid, durationS: duration };
}

function show(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value.slice(0, 40)) : String(value);
}

/** Where a node's agent answers profile requests. */
export function profileSubject(cluster: string, node: string): string {
  return `${SUBJECT_PREFIX}.profile.${subjectToken(cluster)}.${subjectToken(node)}`;
}

const Pid = Type.Integer({ minimum: 1, maximum: 2 ** 22 });
const Id = Type.String({ minLength: 1, maxLength: 64 });

export const ProfileRequestMessage = Type.Union([
  Type.Object(
    {
      v: Type.Literal(PROTOCOL_VERSION),
      op: Type.Literal('capture'),
      pid: Pid,
      durationS: Type.Integer({ minimum: 1, maximum: MAX_CAPTURE_SECONDS }),
      native: Type.Optional(Type.Boolean()),
    },
    { additionalProperties: true },
  ),
  Type.Object(
    { v: Type.Literal(PROTOCOL_VERSION), op: Type.Literal('cancel'), pid: Pid },
    { additionalProperties: true },
  ),
  Type.Object(
    {
      v: Type.Literal(PROTOCOL_VERSION),
      op: Type.Literal('part'),
      id: Id,
      index: Type.Integer({ minimum: 0, maximum: 4096 }),
    },
    { additionalProperties: true },
  ),
]);

const FailureKind = Type.Union(
  (
    [
      'invalid',
      'busy',
      'limit',
      'no-process',
      'tool-missing',
      'permission',
      'cancelled',
      'too-large',
      'failed',
      'refused',
      'unreachable',
      'timeout',
    ] as const
  ).map((k) => Type.Literal(k)),
);

/** What a capture reply says of the profile; its text is gzip in `parts` base64 pieces. */
const ProfileHeader = Type.Object(
  {
    tool: Type.Union([Type.Literal('py-spy'), Type.Literal('perf')]),
    format: Type.Union([Type.Literal('folded'), Type.Literal('perf-script')]),
    pid: Pid,
    node: Type.String({ minLength: 1, maxLength: 256 }),
    durationS: Type.Number({ minimum: 0 }),
    rateHz: Type.Number({ minimum: 0 }),
    startedAtMs: Type.Number({ minimum: 0 }),
    command: Type.String({ maxLength: 4096 }),
    warnings: Type.Array(Type.String({ maxLength: 4096 }), { maxItems: 64 }),
    /** Size of the text before compression. */
    bytes: Type.Integer({ minimum: 0, maximum: MAX_CAPTURE_BYTES }),
    id: Id,
    parts: Type.Integer({ minimum: 1, maximum: 4096 }),
  },
  { additionalProperties: true },
);

export const ProfileReplyMessage = Type.Union([
  Type.Object(
    {
      v: Type.Literal(PROTOCOL_VERSION),
      ok: Type.Literal(true),
      op: Type.Literal('capture'),
      profile: ProfileHeader,
      /** Part 0 of the gzipped text, base64. */
      data: Type.String(),
    },
    { additionalProperties: true },
  ),
  Type.Object(
    {
      v: Type.Literal(PROTOCOL_VERSION),
      ok: Type.Literal(true),
      op: Type.Literal('part'),
      id: Id,
      index: Type.Integer({ minimum: 0 }),
      data: Type.String(),
    },
    { additionalProperties: true },
  ),
  Type.Object(
    {
      v: Type.Literal(PROTOCOL_VERSION),
      ok: Type.Literal(true),
      op: Type.Literal('cancel'),
      cancelled: Type.Boolean(),
    },
    { additionalProperties: true },
  ),
  Type.Object(
    {
      v: Type.Literal(PROTOCOL_VERSION),
      ok: Type.Literal(false),
      kind: FailureKind,
      error: Type.String({ maxLength: 4096 }),
    },
    { additionalProperties: true },
  ),
]);

export type ProfileRequestMessage = Static<typeof ProfileRequestMessage>;
export type ProfileReplyMessage = Static<typeof ProfileReplyMessage>;
export type ProfileHeader = Static<typeof ProfileHeader>;

/** A request or reply parsed and checked, or the first problem with its field path. */
export function parseProfileMessage<T>(
  schema: typeof ProfileRequestMessage | typeof ProfileReplyMessage,
  data: Uint8Array | string,
  maxBytes = 2 * 1024 * 1024,
): { ok: true; value: T } | { ok: false; problem: string } {
  const size = typeof data === 'string' ? data.length : data.byteLength;
  if (size > maxBytes) return { ok: false, problem: `${size} bytes, over ${maxBytes}` };
  let value: unknown;
  try {
    value = JSON.parse(typeof data === 'string' ? data : new TextDecoder().decode(data));
  } catch (error) {
    return { ok: false, problem: `not JSON: ${(error as Error).message}` };
  }
  if (Value.Check(schema, value)) return { ok: true, value: value as T };
  const v = (value as { v?: unknown } | null)?.v;
  if (v !== PROTOCOL_VERSION) {
    return {
      ok: false,
      problem: `protocol version ${String(v)}, this one speaks ${PROTOCOL_VERSION}`,
    };
  }
  for (const error of Value.Errors(schema, value)) {
    return { ok: false, problem: `${error.instancePath || '/'}: ${error.message}` };
  }
  return { ok: false, problem: 'does not match the schema' };
}
