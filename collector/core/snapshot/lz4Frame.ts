/**
 * A bounded LZ4 frame decoder (https://github.com/lz4/lz4/blob/dev/doc/lz4_Frame_format.md and
 * lz4_Block_format.md). lz4js's own decoder trusts its input: a crafted block length makes it loop
 * ~compSize/3 times past the input's end and a run of 0xff length bytes makes one match copy 255×
 * its input, i.e. seconds of CPU for a 64 MiB chunk. This one checks every length against the
 * input and the declared output size, so a lying chunk fails at once with where it lied.
 */
const MAGIC = 0x184d2204;
const MIN_MATCH = 4;

export class Lz4Error extends Error {}

function u32(src: Uint8Array, at: number): number {
  if (at + 4 > src.length)
    throw new Lz4Error(`lz4 frame ends at byte ${src.length}, inside a block header`);
  return (src[at]! | (src[at + 1]! << 8) | (src[at + 2]! << 16) | (src[at + 3]! << 24)) >>> 0;
}

/** Decodes one LZ4 frame into exactly `size` bytes; throws Lz4Error on anything else. */
export function decodeLz4Frame(src: Uint8Array, size: number): Uint8Array {
  if (u32(src, 0) !== MAGIC) throw new Lz4Error('not an lz4 frame (wrong magic)');
  const flags = src[4] ?? 0;
  if ((flags & 0xc0) !== 0x40) throw new Lz4Error('lz4 frame version is not 01');
  const blockChecksum = (flags & 0x10) !== 0;
  const contentSize = (flags & 0x08) !== 0;
  const contentChecksum = (flags & 0x04) !== 0;
  const dictId = (flags & 0x01) !== 0;
  let s = 6 + (contentSize ? 8 : 0) + (dictId ? 4 : 0) + 1;
  const dst = new Uint8Array(size);
  let d = 0;
  for (;;) {
    const word = u32(src, s);
    s += 4;
    if (word === 0) break;
    const length = word & 0x7fffffff;
    if (s + length > src.length) {
      throw new Lz4Error(
        `lz4 block at byte ${s - 4} claims ${length} bytes; ${src.length - s} remain`,
      );
    }
    if ((word & 0x80000000) !== 0) {
      if (d + length > size) throw new Lz4Error(`lz4 output exceeds the declared ${size} bytes`);
      dst.set(src.subarray(s, s + length), d);
      d += length;
    } else {
      d = decodeBlock(src, s, s + length, dst, d);
    }
    s += length + (blockChecksum ? 4 : 0);
  }
  if (contentChecksum) s += 4;
  if (d !== size) throw new Lz4Error(`lz4 frame holds ${d} bytes, the chunk declares ${size}`);
  return dst;
}

function decodeBlock(src: Uint8Array, s: number, end: number, dst: Uint8Array, d: number): number {
  const size = dst.length;
  while (s < end) {
    const token = src[s++]!;
    let literals = token >> 4;
    if (literals === 15) {
      let b: number;
      do {
        if (s >= end) throw new Lz4Error('lz4 literal length runs past its block');
        b = src[s++]!;
        literals += b;
      } while (b === 255);
    }
    if (s + literals > end || d + literals > size) {
      throw new Lz4Error(`lz4 literals at byte ${s} run past the block or the declared size`);
    }
    dst.set(src.subarray(s, s + literals), d);
    s += literals;
    d += literals;
    if (s >= end) break; // the last sequence has literals only
    if (s + 2 > end) throw new Lz4Error('lz4 match offset cut by the block end');
    const offset = src[s]! | (src[s + 1]! << 8);
    s += 2;
    if (offset === 0 || offset > d)
      throw new Lz4Error(`lz4 match offset ${offset} at output ${d} points before the start`);
    let match = token & 15;
    if (match === 15) {
      let b: number;
      do {
        if (s >= end) throw new Lz4Error('lz4 match length runs past its block');
        b = src[s++]!;
        match += b;
      } while (b === 255);
    }
    match += MIN_MATCH;
    if (d + match > size) throw new Lz4Error(`lz4 output exceeds the declared ${size} bytes`);
    // Overlapping copies (offset < length) repeat the last bytes, so copy byte by byte then.
    if (offset >= match) {
      dst.copyWithin(d, d - offset, d - offset + match);
      d += match;
    } else {
      for (let i = 0; i < match; i++, d++) dst[d] = dst[d - offset]!;
    }
  }
  return d;
}
