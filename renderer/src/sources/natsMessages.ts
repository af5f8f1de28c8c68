/**
 * One NATS message → a wire message, or the problem to count. Pure. Beyond the decoder's checks
 * (size, JSON, version, schema), the body must agree with its subject: a message on
 * osprey.v1.metrics.prod.node-17 that says it is node-3's inventory is dropped, since one of the
 * two is lying and the subject is what a filter trusted.
 *
 * Problems are grouped by what went wrong and where it came from (message type and cluster), not
 * by node: 500 nodes sending the same bad field make one line with a count, not 500 lines.
 */
import { decodeMessage, type DecodeProblemKind } from '../../../collector/core/protocol/decode.js';
import type { WireMessage } from '../../../collector/core/protocol/spec.js';
import {
  parseSubject,
  subjectToken,
  unknownTypeSubject,
} from '../../../collector/core/protocol/subjects.js';

export type NatsVerdict =
  | { ok: true; message: WireMessage }
  | {
      ok: false;
      /** Groups repeats: the kind of problem and the subject family. */
      key: string;
      /** The latest occurrence, e.g. "schema mismatch on osprey.v1.metrics.prod.node-17: …". */
      message: string;
      /** The subject's node token, when it has one (to count how many nodes send bad data). */
      node?: string;
    };

const KIND_TEXT: Record<DecodeProblemKind | 'subject', string> = {
  oversized: 'too large',
  'not-json': 'not JSON',
  'unknown-type': 'unknown message type',
  'wrong-version': 'unsupported protocol version',
  schema: 'schema mismatch',
  subject: 'subject and body disagree',
};

/**
 * Keys group repeats and messages are read: a subject token can be as long as the server allows
 * (found by natsMessages.fuzz.test.ts: a 5,000-character token made a 5,000-character key).
 */
const KEY_CHARS = 100;
const SUBJECT_CHARS = 200;

const cut = (text: string, max: number): string =>
  text.length > max ? `${text.slice(0, max)}…` : text;

export function checkNatsMessage(subject: string, data: Uint8Array | string): NatsVerdict {
  const parts = parseSubject(subject);
  const shown = cut(subject, SUBJECT_CHARS);
  const newer = parts ? undefined : unknownTypeSubject(subject);
  if (newer) {
    // A newer sender's type (spec.ts evolution rule): counted per type and cluster, not foreign.
    return {
      ok: false,
      key: `unknown-type:${cut(`${newer.type}.${newer.cluster}`, KEY_CHARS)}`,
      message: `${KIND_TEXT['unknown-type']} ${JSON.stringify(cut(newer.type, 40))} on ${shown} (a newer sender?)`,
      node: newer.node,
    };
  }
  if (!parts) {
    const family = cut(subject.split('.').slice(0, 3).join('.'), KEY_CHARS);
    return {
      ok: false,
      key: `subject:${family}`,
      message: `not an Osprey subject: ${shown} (expected osprey.v1.<inventory|metrics|events>.<cluster>.<node>)`,
    };
  }
  const family = cut(`${parts.type}.${parts.cluster}`, KEY_CHARS);
  const result = decodeMessage(data);
  if (!result.ok) {
    const { kind, message } = result.problem;
    // The decoder starts schema messages with the type ("metrics: /samples/3/v: …"); the subject
    // already says it.
    const detail = message.startsWith(`${parts.type}: `)
      ? message.slice(parts.type.length + 2)
      : message.replace(/^not JSON: /, '');
    // An unknown body type is counted per type (spec.ts evolution rule).
    const what = kind === 'unknown-type' ? `${result.problem.messageType}.${parts.cluster}` : '';
    return {
      ok: false,
      key: what ? `${kind}:${cut(what, KEY_CHARS)}` : `${kind}:${family}`,
      message: `${KIND_TEXT[kind]} on ${shown}: ${detail}`,
      node: parts.node,
    };
  }
  const m = result.message;
  if (
    m.type !== parts.type ||
    subjectToken(m.cluster) !== parts.cluster ||
    subjectToken(m.node) !== parts.node
  ) {
    return {
      ok: false,
      key: `subject:${family}`,
      message: `${KIND_TEXT.subject} on ${shown}: the body is ${m.type} of cluster "${m.cluster.slice(0, 64)}", node "${m.node.slice(0, 64)}"`,
      node: parts.node,
    };
  }
  return { ok: true, message: m };
}
