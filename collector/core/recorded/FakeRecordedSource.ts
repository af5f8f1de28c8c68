/**
 * The fake of the recorded-source contract (RecordedSource.ts): a recording held as an array, for
 * tests of the player and of anything else that consumes a recording. It behaves as a real reader
 * does where tests need it to: an optional wait before each message (a slow disk, a big chunk to
 * inflate), an optional read error at a given message, and it counts open iterators so a test can
 * tell that a cancelled iteration was let go.
 */
import type { WireMessage } from '../protocol/spec.js';
import {
  topicOf,
  type Backfill,
  type MessageIteratorArgs,
  type RecordedMessage,
  type RecordedSource,
  type RecordedTopic,
  type RecordingInfo,
  type RecordingProblem,
} from './RecordedSource.js';

export interface FakeRecordedSourceOptions {
  /** Awaited before each message is yielded (inject a timer of the test's own clock). */
  readDelay?: () => Promise<void>;
  /** Awaited before a backfill is returned. */
  backfillDelay?: () => Promise<void>;
  /** Reading the message at this index (in time order) throws `readError`. */
  failAtIndex?: number;
  readError?: Error;
  /** Problems the "file" reports at initialize (e.g. truncation). */
  problems?: RecordingProblem[];
  metadata?: Record<string, string>;
  complete?: boolean;
}

const nodeKey = (m: WireMessage): string => `${m.cluster}\u0000${m.node}`;

export class FakeRecordedSource implements RecordedSource {
  private readonly messages: readonly RecordedMessage[];
  private readonly nodes: number;
  private initialized = false;
  private closed = false;
  /** Iterators started and not yet finished or returned. */
  openIterators = 0;
  /** Messages yielded over all iterations (shows that reads stay bounded). */
  messagesRead = 0;
  /** Every messageIterator call's arguments, in order (what each pass asked for). */
  readonly iteratorArgs: MessageIteratorArgs[] = [];
  /** Reads waiting on `readDelay` right now. */
  readsInFlight = 0;

  constructor(
    messages: readonly RecordedMessage[],
    private readonly options: FakeRecordedSourceOptions = {},
  ) {
    // A stable sort keeps file order among equal receipt times, as the contract asks.
    this.messages = [...messages].sort((a, b) => a.receiveTime - b.receiveTime);
    this.nodes = new Set(this.messages.map((r) => nodeKey(r.message))).size;
  }

  initialize(): Promise<RecordingInfo> {
    this.assertOpen();
    const first = this.messages[0];
    const last = this.messages[this.messages.length - 1];
    if (!first || !last) return Promise.reject(new Error('the recording holds no messages'));
    this.initialized = true;
    const counts = new Map<string, number>();
    for (const r of this.messages) {
      const name = topicOf(r.message.type);
      counts.set(name, (counts.get(name) ?? 0) + 1);
    }
    const topics: RecordedTopic[] = [...counts].map(([name, messageCount]) => ({
      name,
      messageCount,
    }));
    return Promise.resolve({
      range: { start: first.receiveTime, end: last.receiveTime },
      topics,
      problems: this.options.problems ?? [],
      metadata: this.options.metadata ?? {},
      complete: this.options.complete ?? true,
    });
  }

  messageIterator(args: MessageIteratorArgs): AsyncIterable<RecordedMessage> {
    this.assertReady();
    this.iteratorArgs.push({ ...args });
    const topics = args.topics === undefined ? undefined : new Set(args.topics);
    return this.iterate(this.firstIndexAtOrAfter(args.start), args.end ?? Infinity, topics);
  }

  /**
   * Messages of other topics are passed over before the read delay and the read error, as a real
   * reader skips what it was not asked for without reading it.
   */
  private async *iterate(
    from: number,
    end: number,
    topics: ReadonlySet<string> | undefined,
  ): AsyncGenerator<RecordedMessage> {
    this.openIterators++;
    try {
      for (let i = from; i < this.messages.length; i++) {
        const r = this.messages[i];
        if (!r || r.receiveTime > end) return;
        if (topics && !topics.has(topicOf(r.message.type))) continue;
        if (this.options.readDelay) {
          this.readsInFlight++;
          try {
            await this.options.readDelay();
          } finally {
            this.readsInFlight--;
          }
        }
        if (this.closed) throw new Error('the recording was closed');
        if (i === this.options.failAtIndex) {
          throw this.options.readError ?? new Error(`cannot read message ${i}`);
        }
        this.messagesRead++;
        yield r;
      }
    } finally {
      this.openIterators--;
    }
  }

  async getBackfill(time: number): Promise<Backfill> {
    this.assertReady();
    if (this.options.backfillDelay) await this.options.backfillDelay();
    // From the last message at or before `time` backwards, the first inventory and the first
    // metrics seen per node are its latest; stop once every node has both or the start is reached.
    const inventory = new Map<string, RecordedMessage>();
    const metrics = new Map<string, RecordedMessage>();
    for (let i = this.firstIndexAtOrAfter(time, true) - 1; i >= 0; i--) {
      const r = this.messages[i];
      if (!r) break;
      const key = nodeKey(r.message);
      if (r.message.type === 'inventory' && !inventory.has(key)) inventory.set(key, r);
      if (r.message.type === 'metrics' && !metrics.has(key)) metrics.set(key, r);
      if (inventory.size === this.nodes && metrics.size === this.nodes) break;
    }
    const messages = [...inventory.values(), ...metrics.values()].sort(
      (a, b) => a.receiveTime - b.receiveTime,
    );
    return { time, messages };
  }

  close(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }

  /** Index of the first message at or after `time` (after it when `after`): a binary search. */
  private firstIndexAtOrAfter(time: number, after = false): number {
    let lo = 0;
    let hi = this.messages.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const t = this.messages[mid]?.receiveTime ?? Infinity;
      if (after ? t <= time : t < time) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('the recording was closed');
  }

  private assertReady(): void {
    this.assertOpen();
    if (!this.initialized) throw new Error('the recording is not initialized: call initialize()');
  }
}
