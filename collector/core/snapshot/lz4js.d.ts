/** lz4js ships no types; only the frame compressor is used (compression.ts says why). */
declare module 'lz4js' {
  export function compress(src: Uint8Array, maxSize?: number): Uint8Array;
}
