/**
 * A snapshot file as a RecordedSource: initialize() reads the layout (summary, or a scan of a
 * truncated file) and checks the schemas; messageIterator() decodes chunk by chunk through the one
 * decoder (protocol/decode.ts), so a bad message is a problem, never a crash; getBackfill() uses
 * the keyframes (keyframe.ts) to read only the chunks a seek needs.
 */
import { decodeMessage } from '../protocol/decode.js';
import type { InventoryMessage, MessageType } from '../protocol/spec.js';
import type {
  Backfill,
  MessageIteratorArgs,
  RecordedMessage,
  RecordedSource,
  RecordedTopic,
  RecordingInfo,
  RecordingProblem,
} from '../recorded/RecordedSource.js';
import { ChunkStore, type ChunkMessages } from './ChunkStore.js';
import { formatSpan } from './describe.js';
import { Cursor } from './Cursor.js';
import {
  ANNOTATION_PREFIX,
  GAP_NAME,
  KEYFRAME_NAME,
  MAX_RECORD_BYTES,
  METADATA_NAME,
  MESSAGE_TYPES,
  nsToMs,
  PROMETHEUS_PREFIX,
  quoteName,
  topicOf,
  typeOfTopic,
} from './format.js';
import { decodeKeyframe, nodeKey, type Keyframe } from './keyframe.js';
import { readLayout, type SnapshotLayout } from './layout.js';
import { nodeKeyOf } from './nodeOf.js';
import { PROFILE_TOPIC } from './profileChannel.js';
import { readProfiles, type RecordedProfiles } from './readProfiles.js';
import type { RandomAccessReadable } from './RandomAccessReadable.js';
import { parseAttachment, parseMetadata, RECORD_HEADER_BYTES, type ChunkInfo } from './records.js';
import { SnapshotError } from './SnapshotError.js';

export interface SnapshotReaderOptions {
  maxRecordBytes?: number;
  /** Decompressed chunks kept for reuse (default 64 MiB). */
  cacheBytes?: number;
  /** Problems found while reading messages (bad JSON, a damaged chunk), as they are found. */
  onProblem?: (problem: RecordingProblem) => void;
}

export interface StoredAttachment {
  name: string;
  mediaType: string;
  /** Parsed JSON, or undefined when it is not JSON. */
  value: unknown;
}

const MAX_PROBLEMS = 200;
const MAX_GAPS = 100;
/**
 * Inventories are re-announced every 10 s, equal but for `ts` (and `seq`), and validating one
 * costs ~130 µs (a metrics message ~20 µs): 512 of them were 65 ms of a 150 ms seek. So the texts
 * of valid inventories are remembered with those two values masked: a text equal to one of them
 * but for integers there (which the schema accepts in both places, the only places the inventory
 * schema has fields of those names) is valid too, and is only parsed. Bounded: 4,096 texts.
 */
const INVENTORY_MEMO = 4096;
const TS_SEQ = /"(ts|seq)":\d{1,16}(?=[,}])/g;
const utf8 = new TextDecoder('utf-8', { fatal: false });

export class SnapshotReader implements RecordedSource {
  private layout?: SnapshotLayout;
  private opening?: Promise<RecordingInfo>;
  private store?: ChunkStore;
  /** Channel id → wire type, for Osprey's channels. */
  private channelTypes: ReadonlyMap<number, MessageType> = new Map();
  /** By start time (inventory chunks overlap metrics chunks). */
  private chunks: ChunkInfo[] = [];
  /** Chunks in file order, each one's index there, and running bounds over that order. */
  private fileOrder: ChunkInfo[] = [];
  private readonly fileIndex = new Map<number, number>();
  /** Latest end (ms) among the first i + 1 chunks in file order. */
  private maxEndUpTo: number[] = [];
  /** Earliest start (ms) among chunks i… in file order. */
  private minStartFrom: number[] = [];
  /** Keyframe records, in file order. */
  private keyframeEntries: { offset: number; length: number }[] = [];
  private readonly keyframeCache = new Map<number, Keyframe | undefined>();
  private readonly validInventories = new Set<string>();
  private readonly problemList: RecordingProblem[] = [];
  private problemCount = 0;

  constructor(
    private readonly file: RandomAccessReadable,
    private readonly options: SnapshotReaderOptions = {},
  ) {}

  initialize(): Promise<RecordingInfo> {
    this.opening ??= this.open();
    return this.opening;
  }

  private async open(): Promise<RecordingInfo> {
    const maxRecord = this.options.maxRecordBytes ?? MAX_RECORD_BYTES;
    const layout = await readLayout(this.file, maxRecord);
    const channelTypes = checkChannels(layout);
    this.layout = layout;
    this.channelTypes = channelTypes;
    this.chunks = [...layout.chunks].sort((a, b) =>
      a.startNs === b.startNs ? a.offset - b.offset : a.startNs < b.startNs ? -1 : 1,
    );
    this.fileOrder = [...layout.chunks].sort((a, b) => a.offset - b.offset);
    this.fileOrder.forEach((c, i) => this.fileIndex.set(c.offset, i));
    let maxEnd = -Infinity;
    this.maxEndUpTo = this.fileOrder.map((c) => (maxEnd = Math.max(maxEnd, nsToMs(c.endNs))));
    this.minStartFrom = new Array<number>(this.fileOrder.length);
    let minStart = Infinity;
    for (let i = this.fileOrder.length - 1; i >= 0; i--) {
      minStart = Math.min(minStart, nsToMs(this.fileOrder[i]!.startNs));
      this.minStartFrom[i] = minStart;
    }
    this.keyframeEntries = layout.metadata
      .filter((m) => m.name === KEYFRAME_NAME)
      .sort((a, b) => a.offset - b.offset);
    this.store = new ChunkStore(this.file, channelTypes, this.options.cacheBytes);
    const range = this.timeRange(layout);
    const topics = await this.topics(layout, channelTypes);
    const metadata = await this.readNamedMetadata(METADATA_NAME);
    const problems = [...layout.problems, ...(await this.gaps())];
    return { range, topics, problems, metadata, complete: layout.complete };
  }

  /** Problems met while reading messages so far (the first 200; `problemTotal` counts all). */
  get problems(): readonly RecordingProblem[] {
    return this.problemList;
  }

  get problemTotal(): number {
    return this.problemCount;
  }

  /** `topics` names channels (`osprey.v1.<type>`); see messagesOfTypes for what is skipped. */
  messageIterator(args: MessageIteratorArgs): AsyncIterable<RecordedMessage> {
    const { topics, ...range } = args;
    const types =
      topics === undefined
        ? MESSAGE_TYPES
        : MESSAGE_TYPES.filter((t) => topics.includes(topicOf(t)));
    return this.messagesOfTypes({ ...range, types });
  }

  async getBackfill(time: number): Promise<Backfill> {
    await this.initialize();
    const found = new Map<string, Found>();
    const byOffset = this.fileOrder;
    // The last keyframe vouching only for messages at or before `time`: every chunk written before
    // it ends by then. The chunks written after it that start by `time` are read; for the rest,
    // its refs say which chunk holds each node's latest inventory and metrics.
    const keyframe = await this.keyframeFor(time);
    let from = 0;
    if (keyframe) from = byOffset.findIndex((c) => c.offset > keyframe.through);
    if (from >= 0) {
      for (let i = from; i < byOffset.length && this.minStartFrom[i]! <= time; i++) {
        const chunk = byOffset[i]!;
        if (nsToMs(chunk.startNs) > time) continue;
        const messages = await this.loadChunk(chunk);
        if (messages) collectLatest(messages, i, time, found);
      }
    }
    if (keyframe) {
      const byChunk = new Map<number, Set<string>>();
      for (const ref of keyframe.refs) {
        const key = nodeKey(ref.cluster, ref.node);
        for (const [type, at] of [
          ['inventory', ref.inventory],
          ['metrics', ref.metrics],
        ] as const) {
          if (at < 0) continue;
          const set = byChunk.get(at) ?? new Set<string>();
          set.add(`${type}\u0001${key}`);
          byChunk.set(at, set);
        }
      }
      for (const [at, wanted] of byChunk) {
        const index = this.fileIndex.get(at);
        if (index === undefined) continue;
        const messages = await this.loadChunk(byOffset[index]!);
        if (messages) collectLatest(messages, index, time, found, wanted);
      }
    }
    const out: RecordedMessage[] = [];
    for (const { chunk, index } of found.values()) {
      const decoded = this.decodeAt(chunk, index);
      if (decoded) out.push(decoded);
    }
    out.sort((a, b) => a.receiveTime - b.receiveTime);
    return { time, messages: out };
  }

  /**
   * The keyframe to start a backfill at `time` from: the last one (in file order) such that every
   * chunk written before it ends at or before `time`. Found from the chunk index alone; only the
   * chosen keyframe is read.
   */
  private async keyframeFor(time: number): Promise<Keyframe | undefined> {
    const frames = this.keyframeEntries;
    let best: { offset: number; length: number } | undefined;
    for (const k of frames) {
      // Chunks before the keyframe: those with a smaller offset (prefix of the file order).
      const before = this.chunksBefore(k.offset);
      if (before === 0) continue;
      if (this.maxEndUpTo[before - 1]! > time) break;
      best = k;
    }
    return best ? this.keyframeAt(best) : undefined;
  }

  /** How many chunks start before file offset `offset`. */
  private chunksBefore(offset: number): number {
    const byOffset = this.fileOrder;
    let lo = 0;
    let hi = byOffset.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (byOffset[mid]!.offset < offset) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /**
   * Messages of some types only (`osprey snapshot info` reads inventories, not metrics; the scrub
   * bar's marks read events). A chunk whose index lists its channels and none of the wanted ones
   * is never read (MCAP's message index offsets, which @mcap/core's writer fills); the others are
   * inflated, and of their messages only the wanted ones are parsed and validated (~20 µs per
   * metrics message, see INVENTORY_MEMO; the chunk's record table is a walk over its bytes).
   */
  async *messagesOfTypes(
    args: Omit<MessageIteratorArgs, 'topics'> & { types: readonly MessageType[] },
  ): AsyncIterable<RecordedMessage> {
    const info = await this.initialize();
    if (args.types.length === 0) return;
    const end = args.end ?? info.range.end;
    const wanted = new Set<number>();
    for (const [id, type] of this.channelTypes) if (args.types.includes(type)) wanted.add(id);
    // Chunks of inventories overlap chunks of metrics in time: merge the open ones by time
    // (ties in file order). Each chunk is in time order within itself.
    const pending = this.chunks.filter(
      (c) =>
        nsToMs(c.endNs) >= args.start &&
        nsToMs(c.startNs) <= end &&
        (c.channels === undefined || c.channels.some((id) => wanted.has(id))),
    );
    const open: { chunk: ChunkMessages; i: number }[] = [];
    let next = 0;
    for (;;) {
      const head = open.length > 0 ? headOf(open) : undefined;
      const headTime = head ? head.chunk.times[head.i]! : Infinity;
      if (next < pending.length && nsToMs(pending[next]!.startNs) <= headTime) {
        const messages = await this.loadChunk(pending[next++]!);
        if (!messages) continue;
        let i = 0;
        while (i < messages.count && messages.times[i]! < args.start) i++;
        if (i < messages.count) open.push({ chunk: messages, i });
        continue;
      }
      if (!head) return;
      if (headTime > end) return;
      const { chunk } = head;
      const i = head.i++;
      if (head.i >= chunk.count) open.splice(open.indexOf(head), 1);
      if (!args.types.includes(chunk.types[i]!)) continue;
      const decoded = this.decodeAt(chunk, i);
      if (decoded) yield decoded;
    }
  }

  /** Nodes named by the last keyframe (every node that sent inventory or metrics before it). */
  async keyframeNodes(): Promise<{ cluster: string; node: string }[]> {
    await this.initialize();
    const k = await this.keyframeBefore(Number.MAX_SAFE_INTEGER);
    return k ? k.refs.map((r) => ({ cluster: r.cluster, node: r.node })) : [];
  }

  /** Prometheus answers kept with the recording (name `prometheus/<id>`; parsePrometheusAnswer reads one). */
  prometheusAnswers(): Promise<StoredAttachment[]> {
    return this.attachments(PROMETHEUS_PREFIX);
  }

  /** Profiles kept with the recording (`osprey.profile`), checked; bad ones are problems. */
  async profiles(): Promise<RecordedProfiles> {
    await this.initialize();
    return readProfiles(this.file, this.layout!, this.options.maxRecordBytes ?? MAX_RECORD_BYTES);
  }

  annotations(): Promise<StoredAttachment[]> {
    return this.attachments(ANNOTATION_PREFIX);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  private async attachments(prefix: string): Promise<StoredAttachment[]> {
    await this.initialize();
    const out: StoredAttachment[] = [];
    for (const entry of this.layout!.attachments) {
      if (!entry.name.startsWith(prefix)) continue;
      const raw = await this.file.read(entry.offset, entry.length);
      const a = parseAttachment(
        new Cursor(raw.subarray(RECORD_HEADER_BYTES), entry.offset, 'attachment'),
      );
      let value: unknown;
      try {
        value = JSON.parse(utf8.decode(a.data));
      } catch {
        value = undefined;
      }
      out.push({ name: a.name, mediaType: a.mediaType, value });
    }
    return out;
  }

  private async gaps(): Promise<RecordingProblem[]> {
    const out: RecordingProblem[] = [];
    const gaps = this.layout!.metadata.filter((m) => m.name === GAP_NAME);
    // A crafted file could hold millions; each costs a read.
    if (gaps.length > MAX_GAPS) {
      out.push({
        key: 'snapshot:gaps',
        message: `${gaps.length} gaps noted; the first ${MAX_GAPS} are shown`,
      });
    }
    for (const m of gaps.slice(0, MAX_GAPS)) {
      const map = await this.metadataAt(m.offset, m.length);
      if (!map) continue;
      const from = Date.parse(map.get('from') ?? '');
      const to = Date.parse(map.get('to') ?? '');
      const span =
        Number.isFinite(from) && Number.isFinite(to) ? ` (${formatSpan(to - from)})` : '';
      out.push({
        key: 'snapshot:gap',
        message: `nothing was received from ${map.get('from') ?? '?'} to ${map.get('to') ?? '?'}${span}: ${map.get('reason') ?? 'no reason given'}`,
      });
    }
    return out;
  }

  private timeRange(layout: SnapshotLayout): { start: number; end: number } {
    const s = layout.statistics;
    if (s && s.messageCount > 0n) return { start: nsToMs(s.startNs), end: nsToMs(s.endNs) };
    if (this.chunks.length === 0) return { start: 0, end: 0 };
    let end = this.chunks[0]!.endNs;
    for (const c of this.chunks) if (c.endNs > end) end = c.endNs;
    return { start: nsToMs(this.chunks[0]!.startNs), end: nsToMs(end) };
  }

  private async topics(
    layout: SnapshotLayout,
    channelTypes: ReadonlyMap<number, MessageType>,
  ): Promise<RecordedTopic[]> {
    const counts: Record<MessageType, number> = { inventory: 0, metrics: 0, events: 0 };
    if (layout.statistics) {
      for (const [id, n] of layout.statistics.channelMessageCounts) {
        const type = channelTypes.get(id);
        if (type) counts[type] += Number(n);
      }
    } else {
      // No summary: counts up to the last keyframe, then the few chunks after it are counted.
      const keyframe = await this.keyframeBefore(Number.MAX_SAFE_INTEGER);
      if (keyframe) for (const t of MESSAGE_TYPES) counts[t] = keyframe.counts[t] ?? 0;
      for (const chunk of layout.chunks) {
        if (keyframe && chunk.offset <= keyframe.through) continue;
        const messages = await this.loadChunk(chunk);
        if (messages) for (const t of messages.types) counts[t] += 1;
      }
    }
    return MESSAGE_TYPES.filter((t) => [...channelTypes.values()].includes(t)).map((t) => ({
      name: topicOf(t),
      messageCount: counts[t],
    }));
  }

  private async readNamedMetadata(name: string): Promise<Record<string, string>> {
    const entry = this.layout!.metadata.find((m) => m.name === name);
    if (!entry) return {};
    const map = await this.metadataAt(entry.offset, entry.length);
    return Object.fromEntries(map ?? []);
  }

  private async metadataAt(
    offset: number,
    length: number,
  ): Promise<Map<string, string> | undefined> {
    if (length > 4 * 1024 * 1024) return undefined;
    const raw = await this.file.read(offset, length);
    return parseMetadata(new Cursor(raw.subarray(RECORD_HEADER_BYTES), offset, 'metadata'))
      .metadata;
  }

  /** The last keyframe written before file offset `offset` (keyframes follow their chunk). */
  private async keyframeBefore(offset: number): Promise<Keyframe | undefined> {
    let best: { offset: number; length: number } | undefined;
    for (const m of this.keyframeEntries) if (m.offset < offset) best = m;
    return best ? this.keyframeAt(best) : undefined;
  }

  private async keyframeAt(entry: {
    offset: number;
    length: number;
  }): Promise<Keyframe | undefined> {
    if (!this.keyframeCache.has(entry.offset)) {
      let k: Keyframe | undefined;
      try {
        const map = await this.metadataAt(entry.offset, entry.length);
        k = map ? decodeKeyframe(map) : undefined;
      } catch {
        k = undefined;
      }
      this.keyframeCache.set(entry.offset, k);
    }
    return this.keyframeCache.get(entry.offset);
  }

  private async loadChunk(chunk: ChunkInfo): Promise<ChunkMessages | undefined> {
    try {
      return await this.store!.load(chunk);
    } catch (error) {
      if (!(error instanceof SnapshotError)) throw error;
      this.problem('snapshot:chunk', `${error.message}; its messages are skipped`);
      return undefined;
    }
  }

  private decodeAt(chunk: ChunkMessages, i: number): RecordedMessage | undefined {
    const bytes = chunk.bytes.subarray(chunk.start[i], chunk.end[i]);
    const receiveTime = chunk.times[i]!;
    const memoKey = chunk.types[i] === 'inventory' ? inventoryKey(utf8.decode(bytes)) : undefined;
    if (memoKey && this.validInventories.has(memoKey.key)) {
      return { receiveTime, message: JSON.parse(memoKey.text) as InventoryMessage };
    }
    const result = decodeMessage(memoKey?.text ?? bytes);
    const where = `${topicOf(chunk.types[i]!)} message at ${new Date(receiveTime).toISOString()} (chunk at byte ${chunk.offset})`;
    if (!result.ok) {
      this.problem(
        `snapshot:message:${result.problem.kind}`,
        `${where}: ${result.problem.message}`,
      );
      return undefined;
    }
    if (result.message.type !== chunk.types[i]) {
      this.problem(
        'snapshot:message:type',
        `${where} is of type ${quoteName(result.message.type)}`,
      );
      return undefined;
    }
    // An inventory with unknown fields (spec.ts evolution rule) is decoded every time, so they are
    // dropped every time: a remembered text is parsed as is.
    if (memoKey && result.droppedFields === undefined) {
      if (this.validInventories.size >= INVENTORY_MEMO) this.validInventories.clear();
      this.validInventories.add(memoKey.key);
    }
    return { receiveTime, message: result.message };
  }

  private problem(key: string, message: string): void {
    this.problemCount += 1;
    if (this.problemList.length >= MAX_PROBLEMS) return;
    const p = { key, message };
    this.problemList.push(p);
    this.options.onProblem?.(p);
  }
}

interface Found {
  chunk: ChunkMessages;
  index: number;
  time: number;
  /** Between equal times the later arrival wins: by sequence, then by place in the file. */
  seq: number;
  order: number;
}

function later(had: Found, seq: number, order: number): boolean {
  return had.seq > seq || (had.seq === seq && had.order > order);
}

/**
 * Per `type\1cluster\0node`, keeps the latest inventory or metrics message at or before `time`
 * seen so far (ties: the later in the file). `wanted` limits it to the keys a keyframe pointed at.
 */
function collectLatest(
  chunk: ChunkMessages,
  order: number,
  time: number,
  found: Map<string, Found>,
  wanted?: ReadonlySet<string>,
): void {
  for (let i = 0; i < chunk.count; i++) {
    const type = chunk.types[i]!;
    const t = chunk.times[i]!;
    if (type === 'events' || t > time) continue;
    let key = chunk.keys[i];
    if (key === undefined) {
      key = nodeKeyOf(chunk.bytes.subarray(chunk.start[i], chunk.end[i])) ?? '';
      chunk.keys[i] = key;
    }
    if (key === '') continue;
    const full = `${type}\u0001${key}`;
    if (wanted && !wanted.has(full)) continue;
    const had = found.get(full);
    const seq = chunk.seqs[i]!;
    if (had && (had.time > t || (had.time === t && later(had, seq, order)))) continue;
    found.set(full, { chunk, index: i, time: t, seq, order });
  }
}

function headOf(open: { chunk: ChunkMessages; i: number }[]): { chunk: ChunkMessages; i: number } {
  let best = open[0]!;
  for (const o of open) {
    const t = o.chunk.times[o.i]!;
    const b = best.chunk.times[best.i]!;
    if (t > b) continue;
    if (t < b) {
      best = o;
      continue;
    }
    const so = o.chunk.seqs[o.i]!;
    const sb = best.chunk.seqs[best.i]!;
    if (so < sb || (so === sb && o.chunk.offset < best.chunk.offset)) best = o;
  }
  return best;
}

function inventoryKey(text: string): { text: string; key: string } {
  return { text, key: text.replace(TS_SEQ, '"$1":#') };
}

/** Channel id → wire type; throws when an Osprey channel's schema is not the one it must be. */
function checkChannels(layout: SnapshotLayout): Map<number, MessageType> {
  const out = new Map<number, MessageType>();
  const others: string[] = [];
  for (const ch of layout.channels.values()) {
    const type = typeOfTopic(ch.topic);
    // Profiles are read apart (profiles()); their chunks hold no wire message.
    if (ch.topic === PROFILE_TOPIC) continue;
    if (!type) {
      others.push(quoteName(ch.topic));
      continue;
    }
    const schema = layout.schemas.get(ch.schemaId);
    if (!schema) {
      throw new SnapshotError(
        `channel ${quoteName(ch.topic)} names schema ${ch.schemaId}, which the file does not hold`,
      );
    }
    if (schema.name !== ch.topic || schema.encoding !== 'jsonschema') {
      throw new SnapshotError(
        `channel ${quoteName(ch.topic)} has schema ${quoteName(schema.name)} (${quoteName(schema.encoding)}); expected ${quoteName(ch.topic)} (jsonschema)`,
      );
    }
    if (ch.messageEncoding !== 'json') {
      throw new SnapshotError(
        `channel ${quoteName(ch.topic)} has message encoding ${quoteName(ch.messageEncoding)}; expected "json"`,
      );
    }
    out.set(ch.id, type);
  }
  if (out.size === 0) {
    const found =
      others.length > 0
        ? `its channels are ${others.slice(0, 5).join(', ')}`
        : 'it has no channels';
    throw new SnapshotError(
      `not an Osprey snapshot: ${found} (expected osprey.v1.inventory, metrics, events)`,
    );
  }
  if (others.length > 0) {
    layout.problems.push({
      key: 'snapshot:channels',
      message: `channels ignored (not Osprey's): ${others.slice(0, 5).join(', ')}`,
    });
  }
  return out;
}
