/**
 * Chunk compression. MCAP names "", "lz4" (LZ4 frame) and "zstd". The console's CSP forbids WASM
 * and the collector takes no native addons, so only pure JavaScript qualifies, in Node AND the
 * browser: of those, only LZ4 has both a compressor and a decompressor (lz4js, ISC, ~1 M downloads a
 * month, frame format; its last release is old but LZ4's format is frozen). Zstandard has a
 * well-kept pure-JS decompressor (fzstd, by fflate's author) and no pure-JS compressor, and Node 20's
 * zlib has no zstd, so we WRITE lz4 and READ lz4, zstd (files re-compressed by the `mcap` CLI, whose
 * default is zstd) and uncompressed chunks. Measured on a 1 MiB chunk of simulator metrics: ratio
 * 6.4, lz4js compress ~220 MB/s, decompress ~540 MB/s (one core, this machine).
 */
// lz4js has no types; the reference carries our declaration into every project that compiles this
// file (core, the Node tests, the renderer), which an import of a .d.ts cannot do.
// eslint-disable-next-line @typescript-eslint/triple-slash-reference
/// <reference path="./lz4js.d.ts" />
import { decompress as zstdDecompress } from 'fzstd';
import { compress as lz4Compress } from 'lz4js';

import { decodeLz4Frame, Lz4Error } from './lz4Frame.js';

export type Compression = '' | 'lz4';

export function compressChunk(data: Uint8Array, compression: Compression): Uint8Array {
  return compression === 'lz4' ? lz4Compress(data) : data;
}

/** Decompresses a chunk's records to exactly `size` bytes or throws an Error saying why. */
export function decompressChunk(data: Uint8Array, compression: string, size: number): Uint8Array {
  if (compression === '') {
    if (data.length !== size) {
      throw new Error(`uncompressed chunk holds ${data.length} bytes but declares ${size}`);
    }
    return data;
  }
  if (compression === 'lz4') {
    try {
      return decodeLz4Frame(data, size);
    } catch (error) {
      if (error instanceof Lz4Error) throw new Error(error.message);
      throw error;
    }
  }
  if (compression === 'zstd') {
    let out: Uint8Array;
    try {
      out = zstdDecompress(data, new Uint8Array(size));
    } catch (error) {
      throw new Error(`zstd chunk does not decompress: ${(error as Error).message}`);
    }
    if (out.length !== size)
      throw new Error(`zstd chunk holds ${out.length} bytes, declares ${size}`);
    return out;
  }
  throw new Error(`unknown chunk compression ${JSON.stringify(compression.slice(0, 40))}`);
}
