/**
 * Profile capture over NATS request/reply on `osprey.v1.profile.<cluster>.<node>`
 * (profileCapture.ts profileSubject). Additive to v1: a request subject, not a message type
 * (spec.ts MESSAGE_SCHEMAS is unchanged), so a reader of the cluster's wildcard skips it
 * (subjects.ts isRequestSubject).
 *
 * Large results: NATS refuses a message over the server's max_payload (1 MiB by default,
 * https://docs.nats.io/running-a-nats-service/configuration#limits). The agent gzips the profile's
 * text and sends it in parts that fit: the capture reply carries part 0 and the count, and the
 * requester asks for the others by id (`op: 'part'`), so a 64 MiB perf script still arrives.
 */
import Type, { type Static } from 'typebox';
import Value from 'typebox/value';

import { PROTOCOL_VERSION } from './limits.js';
import { MAX_CAPTURE_BYTES, MAX_CAPTURE_SECONDS } from './profileCapture.js';
import { SUBJECT_PREFIX, subjectToken } from './subjects.js';

/** What an agent started without --allow-profiling answers, and what a ping tells the console. */
export const PROFILING_OFF = (node: string): string =>
  `profiling is off on ${node}: restart its agent with --allow-profiling (py-spy and perf read other processes' memory, so the agent does it only when told)`;

/** Where a node's agent answers profile requests. */
export function profileSubject(cluster: string, node: string): string {
  return `${SUBJECT_PREFIX}.profile.${subjectToken(cluster)}.${subjectToken(node)}`;
}

const Pid = Type.Integer({ minimum: 1, maximum: 2 ** 22 });
const Id = Type.String({ minLength: 1, maxLength: 64 });
const EngineTargetSchema = Type.Object(
  {
    framework: Type.String({ minLength: 1, maxLength: 64 }),
    port: Type.Optional(Type.Integer({ minimum: 1, maximum: 65535 })),
  },
  { additionalProperties: true },
);

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
  // By engine (engineCapture.ts), resolved to a pid on the agent. Additive: an older agent's
  // union has no such member and answers `invalid` (the requester says it captures by pid only).
  Type.Object(
    {
      v: Type.Literal(PROTOCOL_VERSION),
      op: Type.Literal('capture'),
      engine: EngineTargetSchema,
      durationS: Type.Integer({ minimum: 1, maximum: MAX_CAPTURE_SECONDS }),
      native: Type.Optional(Type.Boolean()),
    },
    { additionalProperties: true },
  ),
  Type.Object(
    { v: Type.Literal(PROTOCOL_VERSION), op: Type.Literal('cancel'), engine: EngineTargetSchema },
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
  // Is an agent there at all? The console's own cluster subscription (`osprey.v1.*.<c>.*`)
  // matches this subject, so NATS never answers "no responders" for a node without an agent and
  // a capture would wait out its whole timeout; a ping answered at once tells in seconds.
  Type.Object(
    { v: Type.Literal(PROTOCOL_VERSION), op: Type.Literal('ping') },
    { additionalProperties: true },
  ),
]);

const FailureKind = Type.Union([
  Type.Literal('invalid'),
  Type.Literal('busy'),
  Type.Literal('limit'),
  Type.Literal('no-process'),
  Type.Literal('tool-missing'),
  Type.Literal('permission'),
  Type.Literal('cancelled'),
  Type.Literal('too-large'),
  Type.Literal('failed'),
  Type.Literal('refused'),
  Type.Literal('unreachable'),
  Type.Literal('timeout'),
]);

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
      op: Type.Literal('ping'),
      /** Whether the agent captures (started with --allow-profiling). */
      profiling: Type.Boolean(),
    },
    { additionalProperties: true },
  ),
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
