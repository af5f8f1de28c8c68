/**
 * The MCAP records a snapshot reader needs (https://mcap.dev/spec#records), parsed from a record's
 * body with bounds checked (Cursor). Writing uses @mcap/core's McapRecordBuilder; reading is ours so
 * that a truncated or crafted file fails with a byte position instead of reading past its end.
 */
import type { Cursor } from './Cursor.js';

export const OP = {
  header: 0x01,
  footer: 0x02,
  schema: 0x03,
  channel: 0x04,
  message: 0x05,
  chunk: 0x06,
  messageIndex: 0x07,
  chunkIndex: 0x08,
  attachment: 0x09,
  attachmentIndex: 0x0a,
  statistics: 0x0b,
  metadata: 0x0c,
  metadataIndex: 0x0d,
  summaryOffset: 0x0e,
  dataEnd: 0x0f,
} as const;

export const MAGIC = new Uint8Array([0x89, 0x4d, 0x43, 0x41, 0x50, 0x30, 0x0d, 0x0a]);
/** Opcode (1) + content length (8). */
export const RECORD_HEADER_BYTES = 9;
/** Footer record (9 + 20) + closing magic (8). */
export const FOOTER_TAIL_BYTES = 9 + 20 + 8;

export interface SchemaRecord {
  id: number;
  name: string;
  encoding: string;
  data: Uint8Array;
}

export interface ChannelRecord {
  id: number;
  schemaId: number;
  topic: string;
  messageEncoding: string;
}

/** A chunk's place and times, from its ChunkIndex or from its own header when scanning. */
export interface ChunkInfo {
  /** File offset of the chunk record (its opcode byte). */
  offset: number;
  /** Whole record, header included. */
  length: number;
  startNs: bigint;
  endNs: bigint;
  compression: string;
  uncompressedSize: number;
  compressedSize: number;
  /**
   * The channels the chunk holds messages of, from its chunk index's message index offsets;
   * undefined when that is not known (a chunk found by scanning, or a writer that wrote no
   * message indexes, as ours: then a filtered read must open the chunk to know).
   */
  channels?: readonly number[];
}

export interface FooterRecord {
  summaryStart: number;
  summaryOffsetStart: number;
}

export interface StatisticsRecord {
  messageCount: bigint;
  startNs: bigint;
  endNs: bigint;
  chunkCount: number;
  channelMessageCounts: Map<number, bigint>;
}

export interface IndexEntry {
  offset: number;
  length: number;
  name: string;
}

export function parseSchema(c: Cursor): SchemaRecord {
  const id = c.u16();
  const name = c.string('schema name');
  const encoding = c.string('schema encoding');
  const n = c.u32();
  return { id, name, encoding, data: c.take(n, 'schema data') };
}

export function parseChannel(c: Cursor): ChannelRecord {
  const id = c.u16();
  const schemaId = c.u16();
  const topic = c.string('channel topic');
  const messageEncoding = c.string('channel message encoding');
  c.stringMap('channel metadata');
  return { id, schemaId, topic, messageEncoding };
}

export function parseFooter(c: Cursor): FooterRecord {
  return {
    summaryStart: c.u64n('summary start'),
    summaryOffsetStart: c.u64n('summary offset start'),
  };
}

/** A chunk's header fields; `records` is where its (compressed) records start within the body. */
export function parseChunkHeader(c: Cursor): {
  startNs: bigint;
  endNs: bigint;
  uncompressedSize: number;
  compression: string;
  recordsLength: number;
} {
  const startNs = c.u64();
  const endNs = c.u64();
  const uncompressedSize = c.u64n('chunk uncompressed size');
  c.u32();
  const compression = c.string('chunk compression');
  const recordsLength = c.u64n('chunk records length');
  return { startNs, endNs, uncompressedSize, compression, recordsLength };
}

export function parseChunkIndex(c: Cursor): ChunkInfo {
  const startNs = c.u64();
  const endNs = c.u64();
  const offset = c.u64n('chunk start offset');
  const length = c.u64n('chunk length');
  const indexOffsets = c.u16u64Map('message index offsets');
  c.u64();
  const compression = c.string('chunk compression');
  const compressedSize = c.u64n('compressed size');
  const uncompressedSize = c.u64n('uncompressed size');
  const chunk: ChunkInfo = {
    offset,
    length,
    startNs,
    endNs,
    compression,
    compressedSize,
    uncompressedSize,
  };
  if (indexOffsets.size > 0) chunk.channels = [...indexOffsets.keys()];
  return chunk;
}

export function parseStatistics(c: Cursor): StatisticsRecord {
  const messageCount = c.u64();
  c.u16();
  c.u32();
  c.u32();
  c.u32();
  const chunkCount = c.u32();
  const startNs = c.u64();
  const endNs = c.u64();
  const channelMessageCounts = c.u16u64Map('channel message counts');
  return { messageCount, startNs, endNs, chunkCount, channelMessageCounts };
}

export function parseMetadata(c: Cursor): { name: string; metadata: Map<string, string> } {
  const name = c.string('metadata name');
  return { name, metadata: c.stringMap('metadata') };
}

export function parseMetadataIndex(c: Cursor): IndexEntry {
  const offset = c.u64n('metadata offset');
  const length = c.u64n('metadata length');
  return { offset, length, name: c.string('metadata name') };
}

export function parseAttachmentIndex(c: Cursor): IndexEntry & { mediaType: string } {
  const offset = c.u64n('attachment offset');
  const length = c.u64n('attachment length');
  c.u64();
  c.u64();
  c.u64();
  const name = c.string('attachment name');
  return { offset, length, name, mediaType: c.string('attachment media type') };
}

export function parseAttachment(c: Cursor): { name: string; mediaType: string; data: Uint8Array } {
  c.u64();
  c.u64();
  const name = c.string('attachment name');
  const mediaType = c.string('attachment media type');
  const n = c.u64n('attachment data length');
  return { name, mediaType, data: c.take(n, 'attachment data') };
}
