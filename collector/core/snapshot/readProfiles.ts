/**
 * Reads the profiles a snapshot keeps (profileChannel.ts): each `osprey.profile` metadata record
 * names a chunk; that chunk is read, inflated and its messages on the profile channel decoded and
 * checked. A record, chunk or message that is wrong is a problem and is skipped, never a crash.
 */
import { decompressChunk } from './compression.js';
import { Cursor } from './Cursor.js';
import { formatBytes } from './describe.js';
import { MAX_RECORD_BYTES, nsToMs } from './format.js';
import type { SnapshotLayout } from './layout.js';
import {
  decodeProfileMessage,
  parseProfileIndexRecord,
  PROFILE_INDEX_NAME,
  PROFILE_TOPIC,
  type ProfileMessage,
} from './profileChannel.js';
import type { RandomAccessReadable } from './RandomAccessReadable.js';
import { OP, parseChunkHeader, parseMetadata, RECORD_HEADER_BYTES } from './records.js';
import { SnapshotError } from './SnapshotError.js';

export interface RecordedProfile extends ProfileMessage {
  /** The message's log time (ms since the epoch). */
  readonly timeMs: number;
}

export interface RecordedProfiles {
  readonly profiles: RecordedProfile[];
  readonly problems: string[];
}

/** A crafted file could name millions of profiles; each costs a read. */
const MAX_PROFILES = 1000;

/** The id of the file's profile channel, when it has one of the expected schema and encoding. */
export function profileChannelId(layout: SnapshotLayout): number | undefined {
  for (const ch of layout.channels.values()) {
    if (ch.topic !== PROFILE_TOPIC || ch.messageEncoding !== 'json') continue;
    const schema = layout.schemas.get(ch.schemaId);
    if (schema?.name === PROFILE_TOPIC && schema.encoding === 'jsonschema') return ch.id;
  }
  return undefined;
}

export async function readProfiles(
  file: RandomAccessReadable,
  layout: SnapshotLayout,
  maxRecordBytes = MAX_RECORD_BYTES,
): Promise<RecordedProfiles> {
  const channel = profileChannelId(layout);
  const entries = layout.metadata.filter((m) => m.name === PROFILE_INDEX_NAME);
  const out: RecordedProfiles = { profiles: [], problems: [] };
  if (entries.length === 0) return out;
  if (channel === undefined) {
    out.problems.push(
      `${entries.length} profiles are indexed but the file has no ${PROFILE_TOPIC} channel`,
    );
    return out;
  }
  if (entries.length > MAX_PROFILES) {
    out.problems.push(`${entries.length} profiles indexed; the first ${MAX_PROFILES} are read`);
  }
  const seen = new Set<number>();
  for (const entry of entries.slice(0, MAX_PROFILES)) {
    try {
      const raw = await file.read(entry.offset, entry.length);
      const where = parseMetadata(
        new Cursor(raw.subarray(RECORD_HEADER_BYTES), entry.offset, 'metadata'),
      );
      const at = parseProfileIndexRecord(where.metadata);
      if (!at) {
        out.problems.push(`profile index at byte ${entry.offset} names no chunk`);
        continue;
      }
      if (seen.has(at.offset)) continue;
      seen.add(at.offset);
      for (const m of await profileMessages(file, at, channel, maxRecordBytes)) {
        const decoded = decodeProfileMessage(m.data);
        if (typeof decoded === 'string') {
          out.problems.push(`profile in the chunk at byte ${at.offset}: ${decoded}; skipped`);
        } else out.profiles.push({ ...decoded, timeMs: m.timeMs });
      }
    } catch (error) {
      if (!(error instanceof SnapshotError)) throw error;
      out.problems.push(`${error.message}; that profile is skipped`);
    }
  }
  return out;
}

/** The messages on `channel` in the chunk at `at`, every length checked before it is used. */
async function profileMessages(
  file: RandomAccessReadable,
  at: { offset: number; length: number },
  channel: number,
  maxRecordBytes: number,
): Promise<{ timeMs: number; data: Uint8Array }[]> {
  if (at.offset + at.length > file.size || at.length < RECORD_HEADER_BYTES) {
    throw new SnapshotError(
      `profile chunk at byte ${at.offset} (${at.length} bytes) lies outside the file (${file.size} bytes)`,
    );
  }
  if (at.length > maxRecordBytes) {
    throw new SnapshotError(
      `profile chunk at byte ${at.offset}: ${formatBytes(at.length)} exceeds the ${formatBytes(maxRecordBytes)} limit`,
    );
  }
  const raw = await file.read(at.offset, at.length);
  if (raw[0] !== OP.chunk) {
    throw new SnapshotError(
      `byte ${at.offset} should hold a profile chunk but holds opcode ${raw[0]}`,
    );
  }
  const c = new Cursor(raw.subarray(RECORD_HEADER_BYTES), at.offset + RECORD_HEADER_BYTES, 'chunk');
  const h = parseChunkHeader(c);
  if (h.uncompressedSize > maxRecordBytes) {
    throw new SnapshotError(
      `profile chunk at byte ${at.offset} declares ${formatBytes(h.uncompressedSize)}, over the ${formatBytes(maxRecordBytes)} limit`,
    );
  }
  let bytes: Uint8Array;
  try {
    bytes = decompressChunk(
      c.take(h.recordsLength, 'chunk records'),
      h.compression,
      h.uncompressedSize,
    );
  } catch (error) {
    throw new SnapshotError(`profile chunk at byte ${at.offset}: ${(error as Error).message}`);
  }
  const out: { timeMs: number; data: Uint8Array }[] = [];
  const records = new Cursor(bytes, 0, 'profile chunk records');
  while (records.remaining > 0) {
    const op = records.u8();
    const len = records.u64n('record length');
    const body = records.take(len, 'record');
    if (op !== OP.message) continue;
    const m = new Cursor(body, 0, 'message');
    if (m.u16() !== channel) continue;
    m.u32();
    const logNs = m.u64();
    m.u64();
    out.push({ timeMs: nsToMs(logNs), data: m.take(m.remaining, 'message data') });
  }
  return out;
}
