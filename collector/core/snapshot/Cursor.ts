/**
 * Reads MCAP's little-endian primitives from one record's body, refusing any length that runs past
 * the record: every error names the record and the file byte where it lied.
 */
import { SnapshotError } from './SnapshotError.js';

const utf8 = new TextDecoder('utf-8', { fatal: false });

export class Cursor {
  private readonly view: DataView;
  offset = 0;

  /** `fileOffset` is where `bytes` start in the file; `what` names the record in errors. */
  constructor(
    readonly bytes: Uint8Array,
    private readonly fileOffset: number,
    private readonly what: string,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get remaining(): number {
    return this.bytes.length - this.offset;
  }

  private need(n: number, field: string): void {
    if (n > this.remaining || n < 0) {
      throw new SnapshotError(
        `${this.what} at byte ${this.fileOffset}: ${field} at byte ${this.fileOffset + this.offset} claims ${n} bytes, only ${this.remaining} remain in the record`,
      );
    }
  }

  u8(): number {
    this.need(1, 'a byte');
    return this.bytes[this.offset++]!;
  }

  u16(): number {
    this.need(2, 'a u16');
    const v = this.view.getUint16(this.offset, true);
    this.offset += 2;
    return v;
  }

  u32(): number {
    this.need(4, 'a u32');
    const v = this.view.getUint32(this.offset, true);
    this.offset += 4;
    return v;
  }

  u64(): bigint {
    this.need(8, 'a u64');
    const v = this.view.getBigUint64(this.offset, true);
    this.offset += 8;
    return v;
  }

  /** A u64 length or offset that must fit a JS number. */
  u64n(field: string): number {
    const v = this.u64();
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) {
      throw new SnapshotError(
        `${this.what} at byte ${this.fileOffset}: ${field} ${v} is impossibly large`,
      );
    }
    return Number(v);
  }

  string(field: string): string {
    const n = this.u32();
    this.need(n, field);
    const s = utf8.decode(this.bytes.subarray(this.offset, this.offset + n));
    this.offset += n;
    return s;
  }

  /** `n` bytes, borrowed (no copy). */
  take(n: number, field: string): Uint8Array {
    this.need(n, field);
    const b = this.bytes.subarray(this.offset, this.offset + n);
    this.offset += n;
    return b;
  }

  stringMap(field: string): Map<string, string> {
    const end = this.mapEnd(field);
    const out = new Map<string, string>();
    while (this.offset < end) out.set(this.string(`${field} key`), this.string(`${field} value`));
    return out;
  }

  u16u64Map(field: string): Map<number, bigint> {
    const end = this.mapEnd(field);
    const out = new Map<number, bigint>();
    while (this.offset < end) out.set(this.u16(), this.u64());
    return out;
  }

  private mapEnd(field: string): number {
    const n = this.u32();
    this.need(n, field);
    return this.offset + n;
  }
}
