/**
 * The flight recorder's memory: the last N minutes of received messages, as lz4-compressed
 * segments of ~5 s (6.4× smaller than the JSON: 30 min of 512 nodes × 8 devices is ~3.3 GB of
 * JSON, ~0.5 GB here). Bounded by age AND bytes: past `maxBytes` the oldest segments go first,
 * and `coveredFrom` says how far back what is held really reaches.
 */
import { compressChunk, decompressChunk } from '../core/snapshot/compression.js';

export interface RingEntry {
  receiveTime: number;
  data: Uint8Array;
}

interface Segment {
  start: number;
  end: number;
  count: number;
  size: number;
  bytes: Uint8Array;
}

const SEGMENT_MS = 5000;
const SEGMENT_BYTES = 1024 * 1024;

export class RingBuffer {
  private readonly sealed: Segment[] = [];
  private open: RingEntry[] = [];
  private openBytes = 0;
  private sealedBytes = 0;
  /** True once the byte bound, not the age, dropped a segment. */
  cutBySize = false;

  constructor(
    private readonly spanMs: number,
    private readonly maxBytes: number,
  ) {}

  push(entry: RingEntry): void {
    this.open.push(entry);
    this.openBytes += entry.data.length + 12;
    const first = this.open[0]!.receiveTime;
    if (this.openBytes >= SEGMENT_BYTES || entry.receiveTime - first >= SEGMENT_MS) this.seal();
    this.trim(entry.receiveTime);
  }

  /** Bytes held (compressed segments and the open one). */
  get bytes(): number {
    return this.sealedBytes + this.openBytes;
  }

  /** Receipt time of the oldest message held. */
  get coveredFrom(): number | undefined {
    return this.sealed[0]?.start ?? this.open[0]?.receiveTime;
  }

  /** Every message held, oldest first. */
  *entries(): Generator<RingEntry> {
    for (const s of this.sealed) yield* unpack(decompressChunk(s.bytes, 'lz4', s.size), s.count);
    yield* this.open;
  }

  private seal(): void {
    if (this.open.length === 0) return;
    const size = this.open.reduce((n, e) => n + 12 + e.data.length, 0);
    const raw = new Uint8Array(size);
    const view = new DataView(raw.buffer);
    let at = 0;
    for (const e of this.open) {
      view.setFloat64(at, e.receiveTime, true);
      view.setUint32(at + 8, e.data.length, true);
      raw.set(e.data, at + 12);
      at += 12 + e.data.length;
    }
    const bytes = compressChunk(raw, 'lz4');
    this.sealed.push({
      start: this.open[0]!.receiveTime,
      end: this.open.at(-1)!.receiveTime,
      count: this.open.length,
      size,
      bytes,
    });
    this.sealedBytes += bytes.length;
    this.open = [];
    this.openBytes = 0;
  }

  private trim(now: number): void {
    while (this.sealed.length > 0 && this.sealed[0]!.end < now - this.spanMs) this.drop();
    while (this.sealed.length > 0 && this.bytes > this.maxBytes) {
      this.cutBySize = true;
      this.drop();
    }
  }

  private drop(): void {
    this.sealedBytes -= this.sealed.shift()!.bytes.length;
  }
}

function* unpack(raw: Uint8Array, count: number): Generator<RingEntry> {
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  let at = 0;
  for (let i = 0; i < count; i++) {
    const receiveTime = view.getFloat64(at, true);
    const n = view.getUint32(at + 8, true);
    yield { receiveTime, data: raw.subarray(at + 12, at + 12 + n) };
    at += 12 + n;
  }
}
