/**
 * Streams a snapshot to a byte sink: header, schemas, channels and the `osprey` metadata first, then
 * compressed chunks as they fill (≥ chunkBytes or a chunk spanning ≥ chunkMs of recording time), a
 * keyframe every few chunks, and on close() the summary (indexes, statistics) and footer. Each chunk
 * is written whole the moment it closes, so a recording killed mid-way loses at most the open chunk
 * and what the sink had not yet flushed; the reader opens such a file by scanning.
 */
import { McapRecordBuilder } from '@mcap/core';

import type { ProfileSet } from '../profile/model.js';
import type { MessageType, WireMessage } from '../protocol/spec.js';
import { compressChunk, type Compression } from './compression.js';
import {
  ANNOTATION_PREFIX,
  GAP_NAME,
  MESSAGE_TYPES,
  METADATA_NAME,
  metadataRecord,
  msToNs,
  PROMETHEUS_PREFIX,
  SNAPSHOT_PROFILE,
  schemaText,
  topicOf,
  type SnapshotMetadata,
} from './format.js';
import { encodeKeyframe, nodeKey, type KeyframeRef } from './keyframe.js';
import {
  encodeProfileMessage,
  PROFILE_INDEX_NAME,
  PROFILE_SCHEMA,
  PROFILE_TOPIC,
  profileIndexRecord,
  type RecordedProfileOrigin,
} from './profileChannel.js';
import { requestKey, type PrometheusAnswer } from './prometheusAnswer.js';

/** Where the bytes go: a file in Node, a growing Blob in the browser, memory in tests. */
export interface ByteSink {
  write(bytes: Uint8Array): Promise<void>;
}

export interface SnapshotWriterOptions {
  sink: ByteSink;
  metadata: SnapshotMetadata;
  compression?: Compression;
  /** Close a chunk once its records reach this many bytes (default 1 MiB, as @mcap/core's). */
  chunkBytes?: number;
  /** …or once it spans this much recording time (default 2 s: a killed recording loses ≤ 2 s). */
  chunkMs?: number;
  /** A keyframe after every N chunks (default 8, ~1 % of the file at 512 nodes). */
  keyframeEveryChunks?: number;
}

interface ChunkIndexEntry {
  startNs: bigint;
  endNs: bigint;
  offset: number;
  length: number;
  /** Where each channel's message index record starts, and their bytes together. */
  messageIndexOffsets: Map<number, bigint>;
  messageIndexLength: number;
  compressedSize: number;
  uncompressedSize: number;
}

const utf8 = new TextEncoder();

/** What the writer needs to know of a message besides its bytes. */
export type Envelope = Pick<WireMessage, 'type' | 'cluster' | 'node' | 'ts'>;
const CHANNEL_ID: Record<MessageType, number> = { inventory: 1, metrics: 2, events: 3 };
/** The profile channel (profileChannel.ts): its schema and channel records only once one is added. */
const PROFILE_CHANNEL_ID = 4;

export class SnapshotWriter {
  private readonly sink: ByteSink;
  private readonly compression: Compression;
  private readonly chunkBytes: number;
  private readonly chunkNs: bigint;
  private readonly keyframeEvery: number;
  private readonly top = new McapRecordBuilder();
  /** Metrics and events; inventories go to their own chunks (see OpenChunk). */
  private readonly main = new OpenChunk();
  private readonly inventory = new OpenChunk();
  private position = 0;
  private chain: Promise<void> = Promise.resolve();
  private lastNs = 0n;
  private firstNs = -1n;
  private readonly chunks: ChunkIndexEntry[] = [];
  private readonly metadataIndex: { offset: number; length: number; name: string }[] = [];
  private readonly attachmentIndex: {
    offset: number;
    length: number;
    name: string;
    mediaType: string;
    logNs: bigint;
    size: number;
  }[] = [];
  private readonly counts: Record<MessageType, number> = { inventory: 0, metrics: 0, events: 0 };
  /** Messages in chunks already written (what a keyframe may vouch for). */
  private readonly written: Record<MessageType, number> = { inventory: 0, metrics: 0, events: 0 };
  private readonly latest = new Map<string, KeyframeRef>();
  private chunksSinceKeyframe = 0;
  /**
   * Every message's MCAP sequence is its place in arrival order (over all channels): receipt times
   * are milliseconds, so many share one, and inventories and metrics sit in different chunks.
   */
  private arrivals = 0;
  private closed = false;
  private annotationCount = 0;
  private profileCount = 0;

  private constructor(options: SnapshotWriterOptions) {
    this.sink = options.sink;
    this.compression = options.compression ?? 'lz4';
    this.chunkBytes = options.chunkBytes ?? 1024 * 1024;
    this.chunkNs = msToNs(options.chunkMs ?? 2000);
    this.keyframeEvery = Math.max(1, options.keyframeEveryChunks ?? 8);
  }

  /** Writes the file's head (magic, header, schemas, channels, metadata) and returns the writer. */
  static async open(options: SnapshotWriterOptions): Promise<SnapshotWriter> {
    const w = new SnapshotWriter(options);
    const b = w.top;
    b.writeMagic();
    b.writeHeader({ profile: SNAPSHOT_PROFILE, library: `osprey ${options.metadata.version}` });
    w.writeSchemasAndChannels(b);
    await w.emit();
    await w.writeMetadata(METADATA_NAME, metadataRecord(options.metadata));
    return w;
  }

  /** Bytes handed to the sink so far. */
  get bytesWritten(): number {
    return this.position;
  }

  get messageCounts(): Readonly<Record<MessageType, number>> {
    return this.counts;
  }

  /**
   * Adds one received message. `data` is the exact wire JSON when the caller has it (what arrived);
   * otherwise the message is serialized. Receipt times going backwards (a wall clock step) are
   * held at the last one so chunks stay in time order.
   */
  add(receiveTime: number, message: WireMessage, data?: Uint8Array): Promise<void> {
    return this.addEncoded(receiveTime, message, data ?? utf8.encode(JSON.stringify(message)));
  }

  /**
   * Adds a message already encoded as wire JSON, given the envelope fields the file indexes by
   * (type, cluster, node, ts): for a caller that decoded it already or produced it itself.
   */
  addEncoded(receiveTime: number, envelope: Envelope, data: Uint8Array): Promise<void> {
    this.assertOpen();
    let logNs = msToNs(receiveTime);
    if (logNs < this.lastNs) logNs = this.lastNs;
    this.lastNs = logNs;
    if (this.firstNs < 0n) this.firstNs = logNs;
    const type = envelope.type;
    const open = type === 'inventory' ? this.inventory : this.main;
    if (open.startNs < 0n) open.startNs = logNs;
    open.endNs = logNs;
    const channelId = CHANNEL_ID[type];
    const entries = open.index.get(channelId) ?? [];
    if (entries.length === 0) open.index.set(channelId, entries);
    entries.push([logNs, BigInt(open.builder.length)]);
    open.builder.writeMessage({
      channelId,
      sequence: this.arrivals++ >>> 0,
      logTime: logNs,
      publishTime: msToNs(envelope.ts),
      data,
    });
    this.counts[type] += 1;
    open.counts[type] += 1;
    if (type !== 'events') this.noteNode(open, envelope.cluster, envelope.node, type);
    // The other kind's chunk closes on age too, so neither holds more than chunkMs of messages
    // that a killed recording would lose, even when its own kind stops arriving.
    const other = open === this.main ? this.inventory : this.main;
    if (other.startNs >= 0n && logNs - other.startNs >= this.chunkNs) {
      this.enqueue(() => this.writeChunk(other).then(() => undefined)).catch(() => undefined);
    }
    if (open.builder.length >= this.chunkBytes || logNs - open.startNs >= this.chunkNs) {
      return this.enqueue(() => this.writeChunk(open).then(() => undefined));
    }
    return this.chain;
  }

  /** Writes the open chunk now (a timer calls this so a quiet recording still reaches the disk). */
  flush(): Promise<void> {
    this.assertOpen();
    return this.enqueue(() => this.writeChunks());
  }

  /**
   * Keeps a Prometheus answer the console got (the Latency view's ranges and what it asked to draw
   * them), raw, so the Latency view of the snapshot works offline. The name is `prometheus/<id>`
   * with a stable id from the request, so the same request saved twice keeps one name.
   */
  addPrometheusAnswer(answer: PrometheusAnswer): Promise<void> {
    const id = stableId(requestKey(answer.request));
    const data = utf8.encode(JSON.stringify(answer));
    return this.enqueue(() =>
      this.writeAttachment(`${PROMETHEUS_PREFIX}${id}`, Math.max(0, answer.time), data),
    );
  }

  /** An operator's note at a recording time (the war room's annotations arrive later). */
  addAnnotation(time: number, text: string, author?: string): Promise<void> {
    const name = `${ANNOTATION_PREFIX}${String(++this.annotationCount).padStart(4, '0')}`;
    const data = utf8.encode(JSON.stringify({ time, text, author }));
    return this.enqueue(() => this.writeAttachment(name, time, data));
  }

  /**
   * Notes a stretch the recorder received nothing through no fault of the senders (NATS was
   * unreachable): the reader shows it as a problem instead of letting silence look like dead nodes.
   */
  addGap(from: number, to: number, reason: string): Promise<void> {
    const metadata = new Map([
      ['from', new Date(from).toISOString()],
      ['to', new Date(to).toISOString()],
      ['reason', reason],
    ]);
    return this.enqueue(() => this.writeMetadata(GAP_NAME, metadata));
  }

  /**
   * Keeps a profile taken or opened while recording: one message on the `osprey.profile` channel,
   * in a chunk of its own written now, and a metadata record pointing at that chunk. Throws (before
   * anything is written) for a profile too big for a snapshot even with its samples summed.
   */
  addProfile(timeMs: number, set: ProfileSet, origin: RecordedProfileOrigin): Promise<void> {
    this.assertOpen();
    const data = encodeProfileMessage(set, origin);
    // Its log time is taken now, in arrival order with the messages (held like theirs).
    let logNs = msToNs(timeMs);
    if (logNs < this.lastNs) logNs = this.lastNs;
    this.lastNs = logNs;
    if (this.firstNs < 0n) this.firstNs = logNs;
    return this.enqueue(() => this.writeProfile(logNs, timeMs, set.name, data));
  }

  /** Writes the last chunk, the summary and the footer. The writer is unusable afterwards. */
  async close(): Promise<void> {
    this.assertOpen();
    await this.enqueue(() => this.writeChunks());
    this.closed = true;
    await this.chain;
    this.writeSummary();
    await this.emit();
  }

  private async writeProfile(
    logNs: bigint,
    timeMs: number,
    name: string,
    data: Uint8Array,
  ): Promise<void> {
    if (this.profileCount === 0) {
      // Channels may come anywhere before their first message (https://mcap.dev/spec#channel-op0x04).
      this.writeProfileSchema(this.top);
      this.writeProfileChannel(this.top);
    }
    this.profileCount += 1;
    const chunk = new OpenChunk();
    chunk.startNs = logNs;
    chunk.endNs = logNs;
    chunk.index.set(PROFILE_CHANNEL_ID, [[logNs, BigInt(chunk.builder.length)]]);
    chunk.builder.writeMessage({
      channelId: PROFILE_CHANNEL_ID,
      sequence: this.arrivals++ >>> 0,
      logTime: logNs,
      publishTime: logNs,
      data,
    });
    const offset = await this.writeChunk(chunk, false);
    const entry = this.chunks.at(-1)!;
    await this.writeMetadata(
      PROFILE_INDEX_NAME,
      profileIndexRecord({ offset, length: entry.length, timeMs, name }),
    );
  }

  private writeProfileSchema(b: McapRecordBuilder): void {
    b.writeSchema({
      id: PROFILE_CHANNEL_ID,
      name: PROFILE_TOPIC,
      encoding: 'jsonschema',
      data: utf8.encode(JSON.stringify(PROFILE_SCHEMA)),
    });
  }

  private writeProfileChannel(b: McapRecordBuilder): void {
    b.writeChannel({
      id: PROFILE_CHANNEL_ID,
      schemaId: PROFILE_CHANNEL_ID,
      topic: PROFILE_TOPIC,
      messageEncoding: 'json',
      metadata: new Map(),
    });
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('snapshot writer is closed');
  }

  private enqueue(op: () => Promise<void>): Promise<void> {
    this.chain = this.chain.then(op);
    return this.chain;
  }

  private noteNode(
    open: OpenChunk,
    cluster: string,
    node: string,
    type: 'inventory' | 'metrics',
  ): void {
    const key = nodeKey(cluster, node);
    let entry = open.nodes.get(key);
    if (!entry) {
      let ref = this.latest.get(key);
      if (!ref) {
        ref = { cluster, node, inventory: -1, metrics: -1 };
        this.latest.set(key, ref);
      }
      entry = { ref, inv: false, met: false };
      open.nodes.set(key, entry);
    }
    if (type === 'inventory') entry.inv = true;
    else entry.met = true;
  }

  private writeSchemasAndChannels(b: McapRecordBuilder): void {
    this.writeSchemas(b);
    this.writeChannels(b);
  }

  private writeSchemas(b: McapRecordBuilder): void {
    for (const type of MESSAGE_TYPES) {
      const id = CHANNEL_ID[type];
      b.writeSchema({
        id,
        name: topicOf(type),
        encoding: 'jsonschema',
        data: utf8.encode(schemaText(type)),
      });
    }
  }

  private writeChannels(b: McapRecordBuilder): void {
    for (const type of MESSAGE_TYPES) {
      const id = CHANNEL_ID[type];
      b.writeChannel({
        id,
        schemaId: id,
        topic: topicOf(type),
        messageEncoding: 'json',
        metadata: new Map(),
      });
    }
  }

  private async writeChunks(): Promise<void> {
    await this.writeChunk(this.main);
    await this.writeChunk(this.inventory);
  }

  /** Writes a chunk and returns its offset; a profile's chunk does not count towards keyframes. */
  private async writeChunk(open: OpenChunk, countForKeyframe = true): Promise<number> {
    if (open.builder.length === 0) return -1;
    const records = open.builder.buffer;
    const uncompressedSize = records.length;
    const compressed = compressChunk(records, this.compression);
    const offset = this.position + this.top.length;
    const before = this.top.length;
    this.top.writeChunk({
      messageStartTime: open.startNs,
      messageEndTime: open.endNs,
      uncompressedSize: BigInt(uncompressedSize),
      uncompressedCrc: 0,
      compression: this.compression,
      records: compressed,
    });
    const length = this.top.length - before;
    // Message indexes follow their chunk, as the MCAP spec lays them out: the reference indexed
    // reader (@mcap/core McapIndexedReader, Foxglove/Lichtblick) refuses a chunk index without them.
    const messageIndexOffsets = new Map<number, bigint>();
    const indexStart = this.top.length;
    for (const [channelId, records] of [...open.index].sort((a, b) => a[0] - b[0])) {
      messageIndexOffsets.set(channelId, BigInt(this.position + this.top.length));
      this.top.writeMessageIndex({ channelId, records });
    }
    this.chunks.push({
      startNs: open.startNs,
      endNs: open.endNs,
      offset,
      length,
      messageIndexOffsets,
      messageIndexLength: this.top.length - indexStart,
      compressedSize: compressed.length,
      uncompressedSize,
    });
    open.index.clear();
    open.builder.reset();
    open.startNs = -1n;
    for (const { ref, inv, met } of open.nodes.values()) {
      if (inv) ref.inventory = offset;
      if (met) ref.metrics = offset;
    }
    open.nodes.clear();
    for (const t of MESSAGE_TYPES) {
      this.written[t] += open.counts[t];
      open.counts[t] = 0;
    }
    await this.emit();
    if (!countForKeyframe) return offset;
    if (++this.chunksSinceKeyframe >= this.keyframeEvery) {
      this.chunksSinceKeyframe = 0;
      const k = encodeKeyframe({
        through: offset,
        refs: [...this.latest.values()],
        counts: { ...this.written },
      });
      await this.writeMetadata(k.name, k.metadata);
    }
    return offset;
  }

  private async writeMetadata(name: string, metadata: Map<string, string>): Promise<void> {
    const offset = this.position + this.top.length;
    const before = this.top.length;
    this.top.writeMetadata({ name, metadata });
    this.metadataIndex.push({ offset, length: this.top.length - before, name });
    await this.emit();
  }

  private async writeAttachment(name: string, timeMs: number, data: Uint8Array): Promise<void> {
    const offset = this.position + this.top.length;
    const before = this.top.length;
    const logNs = msToNs(timeMs);
    this.top.writeAttachment({
      name,
      logTime: logNs,
      createTime: logNs,
      mediaType: 'application/json',
      data,
    });
    this.attachmentIndex.push({
      offset,
      length: this.top.length - before,
      name,
      mediaType: 'application/json',
      logNs,
      size: data.length,
    });
    await this.emit();
  }

  /** Hands what the top-level builder holds to the sink. */
  private async emit(): Promise<void> {
    if (this.top.length === 0) return;
    const bytes = this.top.buffer.slice();
    this.top.reset();
    this.position += bytes.length;
    await this.sink.write(bytes);
  }

  private writeSummary(): void {
    const b = this.top;
    b.writeDataEnd({ dataSectionCrc: 0 });
    const summaryStart = this.position + b.length;
    const groups: { opcode: number; start: number; length: number }[] = [];
    const group = (opcode: number, write: () => void): void => {
      const start = this.position + b.length;
      write();
      groups.push({ opcode, start, length: this.position + b.length - start });
    };
    const profiles = this.profileCount > 0;
    group(0x03, () => {
      this.writeSchemas(b);
      if (profiles) this.writeProfileSchema(b);
    });
    group(0x04, () => {
      this.writeChannels(b);
      if (profiles) this.writeProfileChannel(b);
    });
    group(0x0b, () =>
      b.writeStatistics({
        messageCount: BigInt(
          this.counts.inventory + this.counts.metrics + this.counts.events + this.profileCount,
        ),
        schemaCount: MESSAGE_TYPES.length + (profiles ? 1 : 0),
        channelCount: MESSAGE_TYPES.length + (profiles ? 1 : 0),
        attachmentCount: this.attachmentIndex.length,
        metadataCount: this.metadataIndex.length,
        chunkCount: this.chunks.length,
        messageStartTime: this.firstNs < 0n ? 0n : this.firstNs,
        messageEndTime: this.lastNs,
        channelMessageCounts: new Map([
          ...MESSAGE_TYPES.map((t) => [CHANNEL_ID[t], BigInt(this.counts[t])] as const),
          ...(profiles ? [[PROFILE_CHANNEL_ID, BigInt(this.profileCount)] as const] : []),
        ]),
      }),
    );
    group(0x08, () => {
      for (const c of this.chunks) {
        b.writeChunkIndex({
          messageStartTime: c.startNs,
          messageEndTime: c.endNs,
          chunkStartOffset: BigInt(c.offset),
          chunkLength: BigInt(c.length),
          messageIndexOffsets: c.messageIndexOffsets,
          messageIndexLength: BigInt(c.messageIndexLength),
          compression: this.compression,
          compressedSize: BigInt(c.compressedSize),
          uncompressedSize: BigInt(c.uncompressedSize),
        });
      }
    });
    group(0x0a, () => {
      for (const a of this.attachmentIndex) {
        b.writeAttachmentIndex({
          offset: BigInt(a.offset),
          length: BigInt(a.length),
          logTime: a.logNs,
          createTime: a.logNs,
          dataSize: BigInt(a.size),
          name: a.name,
          mediaType: a.mediaType,
        });
      }
    });
    group(0x0d, () => {
      for (const m of this.metadataIndex) {
        b.writeMetadataIndex({ offset: BigInt(m.offset), length: BigInt(m.length), name: m.name });
      }
    });
    const summaryOffsetStart = this.position + b.length;
    for (const g of groups) {
      if (g.length === 0) continue;
      b.writeSummaryOffset({
        groupOpcode: g.opcode,
        groupStart: BigInt(g.start),
        groupLength: BigInt(g.length),
      });
    }
    b.writeFooter({
      summaryStart: BigInt(summaryStart),
      summaryOffsetStart: BigInt(summaryOffsetStart),
      summaryCrc: 0,
    });
    b.writeMagic();
  }
}

/**
 * A chunk being filled. Inventories get their own: they are re-announced every 10 s, so in shared
 * chunks the latest inventories of 512 nodes lay in ~20 chunks of metrics that a seek had to
 * decompress whole (~60 ms); in their own chunks they lie in ~5 small ones. Chunks of the two
 * kinds overlap in time; the reader merges them.
 */
class OpenChunk {
  readonly builder = new McapRecordBuilder();
  startNs = -1n;
  endNs = 0n;
  /** Nodes (and which types) in this chunk, to point their refs at it once it is written. */
  readonly nodes = new Map<string, { ref: KeyframeRef; inv: boolean; met: boolean }>();
  readonly counts: Record<MessageType, number> = { inventory: 0, metrics: 0, events: 0 };
  /** Per channel: each message's log time and offset in the chunk's records (its message index). */
  readonly index = new Map<number, [logTime: bigint, offset: bigint][]>();
}

/** FNV-1a 32-bit, hex: a short id that is the same for the same text on every machine. */
export function stableId(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}
