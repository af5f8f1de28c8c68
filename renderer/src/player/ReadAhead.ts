/**
 * The player's bounded read-ahead: messages read from a recording's iterator and not yet delivered.
 * It reads in the background until it holds `maxBuffered` messages or has read past `readUntil()`
 * (the player's time plus a few seconds of playback), never the whole file.
 *
 * Every reset (a seek, an error, close) starts a new generation and lets the old iterator go;
 * whatever a read of an older generation returns is dropped, so a slow read in flight at a seek can
 * never deliver a stale message after it.
 */
import type { RecordedMessage } from '../../../collector/core/recorded/RecordedSource.js';

export interface ReadAheadOptions {
  maxBuffered: number;
  /** Read on while the last message read is before this time (recording ms). */
  readUntil: () => number;
  /** A message was read (after it was buffered). */
  onRead: (message: RecordedMessage) => void;
  /** A round of reading stopped: the buffer is full, far enough ahead, or the recording ended. */
  onIdle: () => void;
  /** A message came out of order, or a read failed (then reading stops until the next reset). */
  onOutOfOrder: (message: RecordedMessage, after: number) => void;
  onError: (error: unknown, after: number) => void;
}

export class ReadAhead {
  private generation = 0;
  private iterator: AsyncIterator<RecordedMessage> | undefined;
  /** In time order; `head` is the first not yet taken. */
  private buffer: RecordedMessage[] = [];
  private head = 0;
  private done = false;
  /** Receipt time of the last message read: every message before it has been read. */
  private readThrough = -Infinity;
  /** Inventory and metrics at exactly this time came with a seek's backfill: not read twice. */
  private backfilledAt: number | undefined;
  private fillingGeneration = -1;

  constructor(private readonly options: ReadAheadOptions) {}

  /** Lets the iteration in flight go and empties the buffer; nothing is read until `start`. */
  reset(time: number): void {
    this.generation++;
    release(this.iterator);
    this.iterator = undefined;
    this.buffer = [];
    this.head = 0;
    this.done = false;
    this.readThrough = time;
    this.backfilledAt = undefined;
  }

  /** Reads from `iterator` (the recording from `time` on, `time` already backfilled). */
  start(iterator: AsyncIterator<RecordedMessage>, backfilledAt: number): void {
    this.iterator = iterator;
    this.backfilledAt = backfilledAt;
    this.fill();
  }

  get buffered(): number {
    return this.buffer.length - this.head;
  }

  /** Read to the end of the recording and delivered everything. */
  get exhausted(): boolean {
    return this.done && this.buffered === 0;
  }

  /** How far the clock may go without passing a message not yet read. */
  get frontier(): number {
    return this.done ? Infinity : this.readThrough;
  }

  /** Receipt time of the last message read (for messages saying where a read failed). */
  get position(): number {
    return this.readThrough;
  }

  /** Takes every buffered message at or before `time`, in order. */
  takeDue(time: number): RecordedMessage[] {
    const due: RecordedMessage[] = [];
    while (this.head < this.buffer.length) {
      const r = this.buffer[this.head];
      if (!r || r.receiveTime > time) break;
      due.push(r);
      this.head++;
    }
    // Drop the taken front once it is most of the array, so taking stays O(1) on average.
    if (this.head > 1024 && this.head * 2 > this.buffer.length) {
      this.buffer = this.buffer.slice(this.head);
      this.head = 0;
    }
    return due;
  }

  /** Starts a round of reading in the background if there is room and none is running. */
  fill(): void {
    const it = this.iterator;
    if (!it || this.done || this.fillingGeneration === this.generation || !this.needMore()) return;
    this.fillingGeneration = this.generation;
    void this.readRound(it, this.generation);
  }

  /** Stops reading for good (until a reset and start). */
  stop(): void {
    this.reset(this.readThrough);
  }

  private needMore(): boolean {
    if (this.buffered >= this.options.maxBuffered) return false;
    const last = this.buffer[this.buffer.length - 1];
    if (this.buffered === 0 || !last) return true;
    return last.receiveTime < this.options.readUntil();
  }

  private async readRound(it: AsyncIterator<RecordedMessage>, gen: number): Promise<void> {
    try {
      while (gen === this.generation && this.needMore()) {
        const r = await it.next();
        if (gen !== this.generation) return;
        if (r.done) {
          this.done = true;
          break;
        }
        this.accept(r.value);
      }
      if (gen === this.generation) this.options.onIdle();
    } catch (e) {
      if (gen !== this.generation) return;
      const after = this.readThrough;
      this.stop();
      this.options.onError(e, after);
    } finally {
      if (this.fillingGeneration === gen) this.fillingGeneration = -1;
    }
  }

  private accept(r: RecordedMessage): void {
    if (!(r.receiveTime >= this.readThrough)) {
      this.options.onOutOfOrder(r, this.readThrough);
      return;
    }
    this.readThrough = r.receiveTime;
    if (r.receiveTime === this.backfilledAt && r.message.type !== 'events') return;
    this.buffer.push(r);
    this.options.onRead(r);
  }
}

/** Lets an iterator go without waiting: an async generator answers return() only after its read
 * in flight, which may be the slow one a seek is getting away from. */
export function release(it: AsyncIterator<unknown> | undefined): void {
  if (!it?.return) return;
  it.return().catch(() => undefined);
}
