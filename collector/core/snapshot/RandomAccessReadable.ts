/**
 * What a reader needs from a file: its size and reads at any offset. A browser File
 * (`file.slice(o, o + n).arrayBuffer()`) and a Node FileHandle (`handle.read`) both fit.
 */
export interface RandomAccessReadable {
  readonly size: number;
  read(offset: number, length: number): Promise<Uint8Array>;
}

/** Over bytes already in memory (tests, a snapshot just written in the console). */
export function bytesReadable(bytes: Uint8Array): RandomAccessReadable {
  return {
    size: bytes.length,
    read: (offset, length) => Promise.resolve(bytes.subarray(offset, offset + length)),
  };
}
