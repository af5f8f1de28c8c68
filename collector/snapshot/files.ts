/** Snapshot files on disk: a sink that writes chunk by chunk, and random-access reads. */
import { open, type FileHandle } from 'node:fs/promises';

import type { RandomAccessReadable } from '../core/snapshot/RandomAccessReadable.js';
import type { ByteSink } from '../core/snapshot/SnapshotWriter.js';

/**
 * Appends to a file. Each write goes to the kernel at once (no user-space buffer), so a recording
 * killed by SIGKILL keeps every chunk already written; `sync()` asks the disk to keep them too.
 */
export class FileSink implements ByteSink {
  private constructor(private readonly handle: FileHandle) {}

  static async create(path: string): Promise<FileSink> {
    return new FileSink(await open(path, 'w'));
  }

  async write(bytes: Uint8Array): Promise<void> {
    let done = 0;
    while (done < bytes.length) {
      const { bytesWritten } = await this.handle.write(bytes, done, bytes.length - done);
      done += bytesWritten;
    }
  }

  sync(): Promise<void> {
    return this.handle.sync();
  }

  close(): Promise<void> {
    return this.handle.close();
  }
}

export interface FileReadable extends RandomAccessReadable {
  close(): Promise<void>;
}

export async function openReadable(path: string): Promise<FileReadable> {
  const handle = await open(path, 'r');
  const { size } = await handle.stat();
  return {
    size,
    async read(offset, length) {
      const n = Math.max(0, Math.min(length, size - offset));
      const buf = new Uint8Array(n);
      let done = 0;
      while (done < n) {
        const { bytesRead } = await handle.read(buf, done, n - done, offset + done);
        if (bytesRead === 0) break;
        done += bytesRead;
      }
      return done === n ? buf : buf.subarray(0, done);
    },
    close: () => handle.close(),
  };
}
