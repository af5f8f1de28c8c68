/**
 * Finds what a snapshot holds without reading its messages: from the summary when the file ended
 * cleanly (one read of the footer, one of the summary), else by walking record headers from the
 * start (a recording killed mid-write), which reaches the last complete chunk and says how much is
 * lost after it. Every length is checked against the file's size and MAX_RECORD_BYTES before
 * anything is read or allocated for it, so a crafted file fails fast with the byte that lied.
 */
import { Cursor } from './Cursor.js';
import { formatBytes, formatSpan } from './describe.js';
import { MAX_RECORD_BYTES, nsToMs, quoteName } from './format.js';
import type { RandomAccessReadable } from './RandomAccessReadable.js';
import {
  FOOTER_TAIL_BYTES,
  MAGIC,
  OP,
  parseAttachmentIndex,
  parseChannel,
  parseChunkHeader,
  parseChunkIndex,
  parseFooter,
  parseMetadataIndex,
  parseSchema,
  parseStatistics,
  RECORD_HEADER_BYTES,
  type ChannelRecord,
  type ChunkInfo,
  type IndexEntry,
  type SchemaRecord,
  type StatisticsRecord,
} from './records.js';
import { SnapshotError } from './SnapshotError.js';
import type { RecordingProblem } from '../recorded/RecordedSource.js';

export interface SnapshotLayout {
  schemas: Map<number, SchemaRecord>;
  channels: Map<number, ChannelRecord>;
  /** In file order. */
  chunks: ChunkInfo[];
  metadata: IndexEntry[];
  attachments: (IndexEntry & { mediaType: string })[];
  statistics?: StatisticsRecord;
  complete: boolean;
  problems: RecordingProblem[];
}

function magicText(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

function opName(op: number): string {
  const hit = Object.entries(OP).find(([, v]) => v === op);
  return hit ? hit[0] : `0x${op.toString(16).padStart(2, '0')}`;
}

export async function readLayout(
  file: RandomAccessReadable,
  maxRecordBytes = MAX_RECORD_BYTES,
): Promise<SnapshotLayout> {
  if (file.size < MAGIC.length) {
    throw new SnapshotError(
      `not a snapshot: the file has ${file.size} bytes, fewer than MCAP's 8-byte magic`,
    );
  }
  const head = await file.read(0, MAGIC.length);
  if (!sameBytes(head, MAGIC)) {
    throw new SnapshotError(
      `not a snapshot (MCAP file): wrong magic at byte 0: expected ${magicText(MAGIC)}, found ${magicText(head)}`,
    );
  }
  const layout: SnapshotLayout = {
    schemas: new Map(),
    channels: new Map(),
    chunks: [],
    metadata: [],
    attachments: [],
    complete: false,
    problems: [],
  };
  if (await readSummary(file, layout, maxRecordBytes)) {
    layout.complete = true;
    return layout;
  }
  await scan(file, layout, maxRecordBytes);
  return layout;
}

/** True when the file ends with a footer pointing at a readable summary. */
async function readSummary(
  file: RandomAccessReadable,
  layout: SnapshotLayout,
  maxRecordBytes: number,
): Promise<boolean> {
  if (file.size < MAGIC.length + FOOTER_TAIL_BYTES) return false;
  const footerAt = file.size - FOOTER_TAIL_BYTES;
  const tail = await file.read(footerAt, FOOTER_TAIL_BYTES);
  if (!sameBytes(tail.subarray(FOOTER_TAIL_BYTES - MAGIC.length), MAGIC)) return false;
  const c = new Cursor(tail, footerAt, 'footer');
  if (c.u8() !== OP.footer || c.u64() !== 20n) return false;
  const footer = parseFooter(c);
  if (footer.summaryStart === 0) return false;
  if (footer.summaryStart < MAGIC.length || footer.summaryStart > footerAt) {
    throw new SnapshotError(
      `footer at byte ${footerAt}: summary start ${footer.summaryStart} lies outside the file's data (8–${footerAt})`,
    );
  }
  const length = footerAt - footer.summaryStart;
  if (length > maxRecordBytes) {
    throw new SnapshotError(
      `footer at byte ${footerAt}: a summary of ${formatBytes(length)} exceeds the ${formatBytes(maxRecordBytes)} limit`,
    );
  }
  const summary = await file.read(footer.summaryStart, length);
  let at = 0;
  while (at < summary.length) {
    const where = footer.summaryStart + at;
    if (summary.length - at < RECORD_HEADER_BYTES) {
      throw new SnapshotError(`summary record at byte ${where} is cut by the footer`);
    }
    const h = new Cursor(summary.subarray(at, at + RECORD_HEADER_BYTES), where, 'summary record');
    const op = h.u8();
    const len = h.u64n('record length');
    if (len > summary.length - at - RECORD_HEADER_BYTES) {
      throw new SnapshotError(
        `summary record ${opName(op)} at byte ${where} claims ${len} bytes; only ${summary.length - at - RECORD_HEADER_BYTES} remain before the footer`,
      );
    }
    const body = summary.subarray(at + RECORD_HEADER_BYTES, at + RECORD_HEADER_BYTES + len);
    const c2 = new Cursor(body, where + RECORD_HEADER_BYTES, opName(op));
    if (op === OP.schema) addSchema(layout, parseSchema(c2));
    else if (op === OP.channel) layout.channels.set(...idOf(parseChannel(c2)));
    else if (op === OP.chunkIndex)
      layout.chunks.push(checkChunk(parseChunkIndex(c2), file.size, where, maxRecordBytes));
    else if (op === OP.statistics) layout.statistics = parseStatistics(c2);
    else if (op === OP.metadataIndex)
      layout.metadata.push(
        checkEntry(parseMetadataIndex(c2), footer.summaryStart, where, 'metadata'),
      );
    else if (op === OP.attachmentIndex) {
      const a = parseAttachmentIndex(c2);
      layout.attachments.push({
        ...checkEntry(a, footer.summaryStart, where, 'attachment'),
        mediaType: a.mediaType,
      });
    }
    at += RECORD_HEADER_BYTES + len;
  }
  layout.chunks.sort((a, b) => a.offset - b.offset);
  return true;
}

function idOf(ch: ChannelRecord): [number, ChannelRecord] {
  return [ch.id, ch];
}

function addSchema(layout: SnapshotLayout, s: SchemaRecord): void {
  layout.schemas.set(s.id, s);
}

function checkChunk(c: ChunkInfo, size: number, where: number, max: number): ChunkInfo {
  if (c.offset < MAGIC.length || c.length < RECORD_HEADER_BYTES || c.offset + c.length > size) {
    throw new SnapshotError(
      `chunk index at byte ${where} points at bytes ${c.offset}–${c.offset + c.length}, outside the file (${size} bytes)`,
    );
  }
  if (c.length > max || c.uncompressedSize > max) {
    throw new SnapshotError(
      `chunk index at byte ${where}: a chunk of ${formatBytes(Math.max(c.length, c.uncompressedSize))} exceeds the ${formatBytes(max)} limit`,
    );
  }
  return c;
}

function checkEntry<T extends IndexEntry>(e: T, dataEnd: number, where: number, what: string): T {
  if (e.offset < MAGIC.length || e.length < RECORD_HEADER_BYTES || e.offset + e.length > dataEnd) {
    throw new SnapshotError(
      `${what} index ${quoteName(e.name)} at byte ${where} points at bytes ${e.offset}–${e.offset + e.length}, outside the data section`,
    );
  }
  return e;
}

/** How many bytes of a record to read while walking: enough for any header we parse. */
const PEEK_BYTES = 512;

async function scan(
  file: RandomAccessReadable,
  layout: SnapshotLayout,
  maxRecordBytes: number,
): Promise<void> {
  let at = MAGIC.length;
  let lastChunkEnd = -1;
  for (;;) {
    const left = file.size - at;
    if (left === 0) {
      noteIncomplete(layout, file.size, lastChunkEnd);
      return;
    }
    if (left < RECORD_HEADER_BYTES) {
      noteTruncated(layout, file.size, at, undefined);
      return;
    }
    const peek = await file.read(at, Math.min(left, PEEK_BYTES));
    const h = new Cursor(peek, at, 'record');
    const op = h.u8();
    const lenBig = h.u64();
    if (op < OP.header || op > OP.dataEnd) {
      throw new SnapshotError(
        `unknown record opcode 0x${op.toString(16).padStart(2, '0')} at byte ${at}: the file is damaged or a previous record's length lied`,
      );
    }
    if (lenBig > BigInt(maxRecordBytes)) {
      throw new SnapshotError(
        `${opName(op)} record at byte ${at} claims ${lenBig} bytes, over the ${formatBytes(maxRecordBytes)} limit`,
      );
    }
    const len = Number(lenBig);
    const body = peek.subarray(RECORD_HEADER_BYTES);
    if (len > left - RECORD_HEADER_BYTES) {
      // A record cut by the end of the file: the recording stopped mid-write.
      let span: { start: bigint; end: bigint } | undefined;
      if (op === OP.chunk && body.length >= 16) {
        const c = new Cursor(body, at + RECORD_HEADER_BYTES, 'chunk');
        span = { start: c.u64(), end: c.u64() };
      }
      noteTruncated(layout, file.size, at, span);
      return;
    }
    if (op === OP.dataEnd || op === OP.footer) {
      // A data end without a readable summary: everything before it is whole.
      layout.problems.push({
        key: 'snapshot:summary',
        message: `the file's summary is missing or unreadable; read by scanning to its ${opName(op)} at byte ${at}`,
      });
      return;
    }
    const bodyAt = at + RECORD_HEADER_BYTES;
    const full = async (): Promise<Uint8Array> =>
      len <= body.length ? body.subarray(0, len) : file.read(bodyAt, len);
    if (op === OP.schema)
      addSchema(layout, parseSchema(new Cursor(await full(), bodyAt, 'schema')));
    else if (op === OP.channel)
      layout.channels.set(...idOf(parseChannel(new Cursor(await full(), bodyAt, 'channel'))));
    else if (op === OP.chunk) {
      const c = parseChunkHeader(new Cursor(body, bodyAt, 'chunk'));
      if (c.uncompressedSize > maxRecordBytes) {
        throw new SnapshotError(
          `chunk at byte ${at} declares ${formatBytes(c.uncompressedSize)} uncompressed, over the ${formatBytes(maxRecordBytes)} limit`,
        );
      }
      layout.chunks.push({
        offset: at,
        length: RECORD_HEADER_BYTES + len,
        startNs: c.startNs,
        endNs: c.endNs,
        compression: c.compression,
        uncompressedSize: c.uncompressedSize,
        compressedSize: c.recordsLength,
      });
      lastChunkEnd = at + RECORD_HEADER_BYTES + len;
    } else if (op === OP.metadata) {
      // Only the name is read now (from the peek); the body when it is wanted (metadataAt).
      let name = '';
      try {
        name = new Cursor(body, bodyAt, 'metadata').string('metadata name');
      } catch {
        name = '';
      }
      layout.metadata.push({ offset: at, length: RECORD_HEADER_BYTES + len, name });
    } else if (op === OP.attachment) {
      const c = new Cursor(body, bodyAt, 'attachment');
      c.u64();
      c.u64();
      const name = c.string('attachment name');
      const mediaType = c.string('attachment media type');
      layout.attachments.push({ offset: at, length: RECORD_HEADER_BYTES + len, name, mediaType });
    }
    at += RECORD_HEADER_BYTES + len;
  }
}

function noteIncomplete(layout: SnapshotLayout, size: number, lastChunkEnd: number): void {
  layout.problems.push({
    key: 'snapshot:incomplete',
    message: `the recording did not finish (no summary): read by scanning; no partial record at the end${lastChunkEnd < 0 ? ', and no chunk at all' : ''} (${formatBytes(size)})`,
  });
}

function noteTruncated(
  layout: SnapshotLayout,
  size: number,
  at: number,
  span: { start: bigint; end: bigint } | undefined,
): void {
  const lost = size - at;
  const last = layout.chunks.at(-1);
  let when = '';
  if (span && span.end >= span.start) {
    when = `; the cut chunk held ${formatSpan(nsToMs(span.end) - nsToMs(span.start))} of messages from ${new Date(nsToMs(span.start)).toISOString()}`;
  } else if (last) {
    when = `; nothing after ${new Date(nsToMs(last.endNs)).toISOString()} was kept`;
  }
  layout.problems.push({
    key: 'snapshot:truncated',
    message: `the file ends mid-record (a recording killed mid-write): ${formatBytes(lost)} after byte ${at} lost, ${layout.chunks.length} complete chunks kept${when}`,
  });
}
