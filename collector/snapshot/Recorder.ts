/**
 * Records received wire messages to a snapshot file, whatever they arrive by (NATS for `osprey
 * record`, the local collector for `osprey serve --record`): each is decoded by the one decoder
 * (a bad one is counted, not recorded), filtered by node, optionally redacted, and written with its
 * receipt time. A timer closes the open chunk every 2 s so a killed recording loses at most that.
 */
import { decodeMessage } from '../core/protocol/decode.js';
import type { WireMessage } from '../core/protocol/spec.js';
import type { SnapshotMetadata } from '../core/snapshot/format.js';
import type { Redactor } from '../core/snapshot/Redactor.js';
import { SnapshotWriter } from '../core/snapshot/SnapshotWriter.js';
import { FileSink } from './files.js';

export interface MessageFilter {
  nodes?: (node: string) => boolean;
  redactor?: Redactor;
}

/** Whether a received message is kept, decoded; undefined (and counted) when it is not. */
export function admit(
  data: Uint8Array,
  filter: MessageFilter,
  onBad: (problem: string) => void,
): WireMessage | undefined {
  const decoded = decodeMessage(data);
  if (!decoded.ok) {
    onBad(decoded.problem.message);
    return undefined;
  }
  if (filter.nodes && !filter.nodes(decoded.message.node)) return undefined;
  return decoded.message;
}

export class FileRecorder {
  private timer?: ReturnType<typeof setInterval>;
  private failure?: Error;

  private constructor(
    private readonly sink: FileSink,
    readonly writer: SnapshotWriter,
    private readonly filter: MessageFilter,
  ) {}

  static async create(
    path: string,
    metadata: SnapshotMetadata,
    filter: MessageFilter = {},
  ): Promise<FileRecorder> {
    const sink = await FileSink.create(path);
    const writer = await SnapshotWriter.open({ sink, metadata });
    const r = new FileRecorder(sink, writer, filter);
    r.timer = setInterval(() => r.guard(r.writer.flush()), 2000);
    r.timer.unref();
    return r;
  }

  /** Adds an already-decoded message (the local collector's own). */
  add(receiveTime: number, message: WireMessage, data?: Uint8Array): void {
    if (this.filter.nodes && !this.filter.nodes(message.node)) return;
    const m = this.filter.redactor ? this.filter.redactor.redact(message) : message;
    this.guard(this.writer.add(receiveTime, m, this.filter.redactor ? undefined : data));
  }

  gap(from: number, to: number, reason: string): void {
    this.guard(this.writer.addGap(from, to, reason));
  }

  /** Writes the summary; rejects with the first write error if any write failed. */
  async close(): Promise<void> {
    clearInterval(this.timer);
    try {
      if (!this.failure) await this.writer.close();
    } finally {
      await this.sink.close();
    }
    if (this.failure) throw this.failure;
  }

  private guard(p: Promise<void>): void {
    p.catch((error: unknown) => {
      this.failure ??= error as Error;
    });
  }
}
