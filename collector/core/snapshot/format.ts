/**
 * What an Osprey snapshot is, as MCAP (https://mcap.dev/spec): one channel per wire message type,
 * each with its JSON Schema from protocol/spec.ts, messages as the exact wire JSON. A message's
 * logTime is its receipt time and its publishTime the sender's `ts` (both ns since the epoch).
 */
import { MESSAGE_SCHEMAS, type MessageType } from '../protocol/spec.js';
import { topicOf } from '../recorded/RecordedSource.js';

export const SNAPSHOT_PROFILE = 'osprey';
export const MESSAGE_TYPES: readonly MessageType[] = ['inventory', 'metrics', 'events'];

/** The recorded-source contract names the topics; a snapshot's channels are those. */
export { topicOf };

export function typeOfTopic(topic: string): MessageType | undefined {
  return MESSAGE_TYPES.find((t) => topicOf(t) === topic);
}

/** The JSON Schema text stored in the file for a type (spec.ts is the one source). */
export function schemaText(type: MessageType): string {
  return JSON.stringify(MESSAGE_SCHEMAS[type]);
}

/** The metadata record saying who wrote the file; never secrets. */
export const METADATA_NAME = 'osprey';
/** Written every few chunks: where each node's latest messages are, so a seek reads little. */
export const KEYFRAME_NAME = 'osprey.keyframe';
/** A stretch of time the recorder knows it received nothing (e.g. NATS was unreachable). */
export const GAP_NAME = 'osprey.gap';
export const PROMETHEUS_PREFIX = 'prometheus/';
export const ANNOTATION_PREFIX = 'annotation/';

/**
 * No record may claim more than this (a chunk of our writer is ~1 MiB; a metrics message at most
 * 4 MiB): a crafted length is refused before anything is allocated for it.
 */
export const MAX_RECORD_BYTES = 64 * 1024 * 1024;

/** The `osprey` metadata record's fields. */
export interface SnapshotMetadata {
  /** Osprey version that wrote the file. */
  version: string;
  /** Who or what recorded it: "osprey record", "osprey serve", "console". */
  recordedBy: string;
  /** ISO 8601. */
  createdAt: string;
  /** The connection's display name (never its URL credentials or tokens). */
  connection?: string;
  cluster?: string;
  redacted: boolean;
  /** Anything else worth knowing (e.g. reconnect gaps), as text. */
  notes?: string;
}

export function metadataRecord(meta: SnapshotMetadata): Map<string, string> {
  const out = new Map<string, string>([
    ['version', meta.version],
    ['recordedBy', meta.recordedBy],
    ['createdAt', meta.createdAt],
    ['redacted', meta.redacted ? 'yes' : 'no'],
  ]);
  if (meta.connection !== undefined) out.set('connection', meta.connection);
  if (meta.cluster !== undefined) out.set('cluster', meta.cluster);
  if (meta.notes !== undefined) out.set('notes', meta.notes);
  return out;
}

export const NS_PER_MS = 1_000_000n;

export function msToNs(ms: number): bigint {
  return BigInt(Math.max(0, Math.round(ms))) * NS_PER_MS;
}

export function nsToMs(ns: bigint): number {
  return Number(ns / NS_PER_MS);
}

/** A name from a file, safe to put in a message: quoted, control characters escaped, cut at 80. */
export function quoteName(name: string): string {
  const cut = name.length > 80 ? `${name.slice(0, 80)}…` : name;
  return JSON.stringify(cut);
}
