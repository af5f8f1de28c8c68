/**
 * Reads chunks: one read of the whole record, decompression to its declared size (both bounded at
 * the layout step), and a table of its messages (type, receipt time, where the JSON is). Keeps the
 * most recently used chunks up to a byte budget so playback and nearby seeks read each chunk once.
 */
import type { MessageType } from '../protocol/spec.js';
import { decompressChunk } from './compression.js';
import { Cursor } from './Cursor.js';
import { nsToMs } from './format.js';
import type { RandomAccessReadable } from './RandomAccessReadable.js';
import { OP, parseChunkHeader, RECORD_HEADER_BYTES, type ChunkInfo } from './records.js';
import { SnapshotError } from './SnapshotError.js';

export interface ChunkMessages {
  offset: number;
  /** Decompressed records; each message's JSON is `bytes.subarray(start[i], end[i])`. */
  bytes: Uint8Array;
  types: MessageType[];
  /** Receipt time (ms). */
  times: Float64Array;
  /** MCAP sequence: arrival order in our files (ties of equal times), 0 in many others. */
  seqs: Uint32Array;
  start: Int32Array;
  end: Int32Array;
  /** `cluster\0node` per message, filled lazily by the backfill. */
  keys: (string | undefined)[];
  count: number;
}

export class ChunkStore {
  private readonly cache = new Map<number, ChunkMessages>();
  private cachedBytes = 0;

  constructor(
    private readonly file: RandomAccessReadable,
    private readonly channelTypes: ReadonlyMap<number, MessageType>,
    private readonly budgetBytes = 64 * 1024 * 1024,
  ) {}

  async load(chunk: ChunkInfo): Promise<ChunkMessages> {
    const hit = this.cache.get(chunk.offset);
    if (hit) {
      this.cache.delete(chunk.offset);
      this.cache.set(chunk.offset, hit);
      return hit;
    }
    const raw = await this.file.read(chunk.offset, chunk.length);
    const parsed = this.parse(chunk, raw);
    this.cache.set(chunk.offset, parsed);
    this.cachedBytes += parsed.bytes.length;
    for (const [key, value] of this.cache) {
      if (this.cachedBytes <= this.budgetBytes || this.cache.size <= 1) break;
      this.cache.delete(key);
      this.cachedBytes -= value.bytes.length;
    }
    return parsed;
  }

  private parse(chunk: ChunkInfo, raw: Uint8Array): ChunkMessages {
    const at = chunk.offset;
    if (raw.length < RECORD_HEADER_BYTES || raw[0] !== OP.chunk) {
      throw new SnapshotError(
        `byte ${at} should hold a chunk but holds opcode ${raw[0] ?? 'nothing'}`,
      );
    }
    const c = new Cursor(raw.subarray(RECORD_HEADER_BYTES), at + RECORD_HEADER_BYTES, 'chunk');
    const h = parseChunkHeader(c);
    const compressed = c.take(h.recordsLength, 'chunk records');
    let bytes: Uint8Array;
    try {
      bytes = decompressChunk(compressed, h.compression, h.uncompressedSize);
    } catch (error) {
      throw new SnapshotError(`chunk at byte ${at}: ${(error as Error).message}`);
    }
    const types: MessageType[] = [];
    const times: number[] = [];
    const seqs: number[] = [];
    const starts: number[] = [];
    const ends: number[] = [];
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    let p = 0;
    while (p < bytes.length) {
      if (bytes.length - p < RECORD_HEADER_BYTES) {
        throw new SnapshotError(`chunk at byte ${at}: a record at chunk byte ${p} is cut short`);
      }
      const op = bytes[p]!;
      const len = view.getBigUint64(p + 1, true);
      if (len > BigInt(bytes.length - p - RECORD_HEADER_BYTES)) {
        throw new SnapshotError(
          `chunk at byte ${at}: record at chunk byte ${p} claims ${len} bytes, only ${bytes.length - p - RECORD_HEADER_BYTES} remain`,
        );
      }
      const body = p + RECORD_HEADER_BYTES;
      const next = body + Number(len);
      if (op === OP.message) {
        if (len < 22n)
          throw new SnapshotError(`chunk at byte ${at}: message at chunk byte ${p} is too short`);
        const type = this.channelTypes.get(view.getUint16(body, true));
        if (type) {
          types.push(type);
          seqs.push(view.getUint32(body + 2, true));
          times.push(nsToMs(view.getBigUint64(body + 6, true)));
          starts.push(body + 22);
          ends.push(next);
        }
      }
      p = next;
    }
    return {
      offset: at,
      bytes,
      types,
      times: Float64Array.from(times),
      seqs: Uint32Array.from(seqs),
      start: Int32Array.from(starts),
      end: Int32Array.from(ends),
      keys: new Array<string | undefined>(types.length),
      count: types.length,
    };
  }
}
