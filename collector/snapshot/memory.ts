/** An in-memory byte sink (tests, the console's "save the last N minutes" before download). */
import type { ByteSink } from '../core/snapshot/SnapshotWriter.js';

export class MemorySink implements ByteSink {
  private readonly parts: Uint8Array[] = [];
  private length = 0;

  write(bytes: Uint8Array): Promise<void> {
    this.parts.push(bytes);
    this.length += bytes.length;
    return Promise.resolve();
  }

  bytes(): Uint8Array {
    const out = new Uint8Array(this.length);
    let at = 0;
    for (const p of this.parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  }
}
