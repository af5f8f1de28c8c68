/**
 * NATS subjects of protocol v1: `osprey.v1.<type>.<cluster>.<node>`, one message per node per tick
 * on each (inventory when it changes, metrics every tick, events when they happen). Cluster and node
 * names become single subject tokens: NATS splits subjects on `.` and reserves `*`, `>` and
 * whitespace, so those characters are replaced by `_` (https://docs.nats.io/nats-concepts/subjects).
 * The message body carries the real names; the subject is only for routing.
 */
import { MESSAGE_SCHEMAS, PROTOCOL_VERSION, type MessageType } from './spec.js';

export const SUBJECT_PREFIX = `osprey.v${PROTOCOL_VERSION}`;

/** The subject on which the openFuyao Eagle Eye design publishes per-step vLLM stats. */
export const EAGLE_EYE_SUBJECT = 'eagle_eye.routing_metrics';

export function subjectToken(name: string): string {
  const token = name.replace(/[.*>\s]/g, '_');
  return token.length > 0 ? token : '_';
}

export function subjectFor(type: MessageType, cluster: string, node: string): string {
  return `${SUBJECT_PREFIX}.${type}.${subjectToken(cluster)}.${subjectToken(node)}`;
}

/** Everything one cluster publishes: `osprey.v1.*.<cluster>.*`. */
export function clusterSubscription(cluster: string): string {
  return `${SUBJECT_PREFIX}.*.${subjectToken(cluster)}.*`;
}

/** Every cluster: `osprey.v1.>`. */
export const ALL_CLUSTERS_SUBSCRIPTION = `${SUBJECT_PREFIX}.>`;

/**
 * Request subjects (profile.ts: `osprey.v1.profile.<cluster>.<node>`): asked of one node's agent,
 * not published wire messages. They match a cluster's wildcard too; readers skip them silently.
 */
export const REQUEST_TYPES: readonly string[] = ['profile'];

export function isRequestSubject(subject: string): boolean {
  const parts = subject.split('.');
  return (
    parts.length === 5 &&
    `${parts[0]}.${parts[1]}` === SUBJECT_PREFIX &&
    REQUEST_TYPES.includes(parts[2]!)
  );
}

export interface SubjectParts {
  type: MessageType;
  cluster: string;
  node: string;
}

/**
 * A v1 subject of a type this version does not know, e.g. `osprey.v1.alerts.prod.n1`: a newer
 * sender's, which a reader counts by type and skips (spec.ts, evolution rule), rather than calling
 * it foreign. Undefined for a known type and for anything that is not a v1 subject.
 */
export function unknownTypeSubject(
  subject: string,
): { type: string; cluster: string; node: string } | undefined {
  const parts = subject.split('.');
  if (parts.length !== 5 || `${parts[0]}.${parts[1]}` !== SUBJECT_PREFIX) return undefined;
  const [, , type, cluster, node] = parts as [string, string, string, string, string];
  if (!type || !cluster || !node || Object.hasOwn(MESSAGE_SCHEMAS, type)) return undefined;
  if (REQUEST_TYPES.includes(type)) return undefined;
  return { type, cluster, node };
}

/** Splits an Osprey subject, or returns undefined for any other subject. */
export function parseSubject(subject: string): SubjectParts | undefined {
  const parts = subject.split('.');
  if (parts.length !== 5 || `${parts[0]}.${parts[1]}` !== SUBJECT_PREFIX) return undefined;
  const [, , type, cluster, node] = parts as [string, string, string, string, string];
  if (!Object.hasOwn(MESSAGE_SCHEMAS, type) || !cluster || !node) return undefined;
  return { type: type as MessageType, cluster, node };
}
