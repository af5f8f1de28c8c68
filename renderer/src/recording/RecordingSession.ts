/**
 * Record from the console: from start to stop, every message of a live source (or of the nodes a
 * filter accepts) goes into a SnapshotWriter over memory. Bounded: past maxBytes of file it stops
 * taking messages and says why (`stoppedReason`); what it holds is still saved on stop(). A
 * snapshot of a source the console shows is what it received, so the file holds the JSON the
 * source decoded, at the batch's receipt time.
 */
import type { ProfileSet } from '../../../collector/core/profile/model.js';
import type { RecordedProfileOrigin } from '../../../collector/core/snapshot/profileChannel.js';
import type { PrometheusAnswer } from '../../../collector/core/snapshot/prometheusAnswer.js';
import { Redactor } from '../../../collector/core/snapshot/Redactor.js';
import { SnapshotWriter } from '../../../collector/core/snapshot/SnapshotWriter.js';
import type { SourceBatch } from '../sources/Source.js';
import { RECORDING_MAX_BYTES } from '../store/budget.js';
import { addAnswers, consoleMetadata, MemorySink, type SnapshotOptions } from './recordSnapshot.js';

export interface RecordingProgress {
  startedAt: number;
  /** Bytes of snapshot written so far (compressed chunks; the open chunk is not counted yet). */
  bytes: number;
  messages: number;
  /** Why it stopped taking messages before stop(), e.g. the size bound. */
  stoppedReason?: string;
}

export class RecordingSession {
  private readonly redactor: Redactor | undefined;
  private messages = 0;
  private full = false;
  private failure: unknown;
  private pending: Promise<void> = Promise.resolve();
  private stopped = false;

  private constructor(
    private readonly writer: SnapshotWriter,
    private readonly sink: MemorySink,
    private readonly options: SnapshotOptions,
    redactor: Redactor | undefined,
    readonly startedAt: number,
    private readonly maxBytes: number,
  ) {
    this.redactor = redactor;
  }

  static async start(
    options: SnapshotOptions,
    maxBytes: number = RECORDING_MAX_BYTES,
  ): Promise<RecordingSession> {
    const startedAt = options.now();
    const redactor = options.redact ? new Redactor() : undefined;
    const sink = new MemorySink();
    const writer = await SnapshotWriter.open({
      sink,
      metadata: consoleMetadata(options.origin, redactor, startedAt),
    });
    return new RecordingSession(writer, sink, options, redactor, startedAt, maxBytes);
  }

  get progress(): RecordingProgress {
    return {
      startedAt: this.startedAt,
      bytes: this.sink.size,
      messages: this.messages,
      ...(this.full
        ? { stoppedReason: `stopped at ${formatMB(this.maxBytes)}: save it and record again` }
        : {}),
    };
  }

  /** A listener for Source.subscribe. */
  readonly ingest = (batch: SourceBatch): void => {
    if (this.stopped || this.full) return;
    const keep = this.options.nodes;
    for (const m of batch.messages) {
      if (keep && !keep(m.node)) continue;
      const message = this.redactor ? this.redactor.redact(m) : m;
      this.messages += 1;
      // The writer chains its own writes; a failure is kept and reported by stop().
      this.pending = this.writer.add(batch.receivedAt, message).catch((e: unknown) => {
        this.failure ??= e;
      });
    }
    if (this.sink.size >= this.maxBytes) this.full = true;
  };

  /**
   * Keeps a profile the console took or opened while recording (the `osprey.profile` channel).
   * Redaction replaces the node and connection names of its origin, as in messages. A profile too
   * big for a snapshot is refused; the refusal is kept for stop() like a write failure.
   */
  addProfile(set: ProfileSet, origin: RecordedProfileOrigin): void {
    if (this.stopped) return;
    const name = (s: string | undefined) =>
      s === undefined || !this.redactor ? s : this.redactor.text(s);
    const kept = { ...origin, node: name(origin.node), connection: name(origin.connection) };
    try {
      this.pending = this.writer.addProfile(origin.timeMs, set, kept).catch((e: unknown) => {
        this.failure ??= e;
      });
    } catch (e) {
      this.failure ??= e;
    }
  }

  /** Resolves once the messages taken so far are handed to the writer's chain. */
  settled(): Promise<void> {
    return this.pending;
  }

  /** Ends the file (last chunk, Prometheus answers, summary) and returns its bytes. */
  async stop(answers: readonly PrometheusAnswer[] = []): Promise<Uint8Array> {
    this.stopped = true;
    await this.pending;
    await addAnswers(this.writer, answers, this.redactor);
    await this.writer.close();
    if (this.failure !== undefined) throw this.failure;
    return this.sink.bytes();
  }
}

export function formatMB(bytes: number): string {
  return `${(bytes / 1e6).toFixed(bytes < 10e6 ? 1 : 0)} MB`;
}
