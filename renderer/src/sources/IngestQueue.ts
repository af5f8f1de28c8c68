/**
 * Raw messages waiting to be decoded and stored, worked off in slices so that no main-thread task
 * runs long whatever arrives: a slice stops after SLICE_MS, SLICE_MESSAGES or SLICE_BYTES
 * (store/budget.ts), hands over what it decoded, and the rest continues in the next task. Before,
 * a flood was decoded inside the socket's own task and stored in one batch a frame, and 48 nodes
 * of 65,536-series grids held the page in 2.9 s tasks (issue 10).
 *
 * The queue is bounded (MAX_QUEUED_MESSAGES, MAX_QUEUED_BYTES). Past that the oldest droppable
 * message (metrics: the next one from the same node replaces it) is dropped first; inventories and
 * events only when no metrics wait. What waits is reported with every slice (Backlog), so the page
 * can say how far behind it is.
 *
 * The first slice after a quiet spell runs on the next animation frame, as FrameBatcher's batches
 * did (so the design load costs one store update a frame); a timer stands in where hidden tabs
 * stop frames. Slices left over continue on a zero-delay timer: a task of their own, with the
 * browser free to paint and handle input between them.
 */
import {
  MAX_QUEUED_BYTES,
  MAX_QUEUED_MESSAGES,
  SLICE_BYTES,
  SLICE_MESSAGES,
  SLICE_MS,
} from '../store/budget.js';
import { HIDDEN_FLUSH_MS, type FrameScheduler } from './FrameBatcher.js';
import type { Backlog } from './Source.js';

export interface QueueLimits {
  maxMessages: number;
  maxBytes: number;
}

export interface SliceBudget {
  ms: number;
  messages: number;
  bytes: number;
}

export interface IngestQueueOptions<T> {
  scheduler: FrameScheduler;
  /** Local time (ms): when a message arrived, for the backlog's age. */
  now: () => number;
  /** Monotonic time (ms) to measure slices by; performance.now by default. */
  clock?: () => number;
  /** Decodes and keeps one message; runs inside a slice. */
  process: (item: T, bytes: number) => void;
  /** Ends a slice: hand over what process() kept, with what still waits. */
  endSlice: (backlog: Backlog) => void;
  /** One message dropped unread because the queue was full. */
  dropped: (item: T, droppable: boolean) => void;
  limits?: Partial<QueueLimits>;
  slice?: Partial<SliceBudget>;
}

interface Entry<T> {
  item: T;
  bytes: number;
  at: number;
  seq: number;
}

/** First in, first out, with a moving head instead of Array.shift's O(n). */
class Fifo<T> {
  private items: (Entry<T> | undefined)[] = [];
  private head = 0;

  get length(): number {
    return this.items.length - this.head;
  }

  peek(): Entry<T> | undefined {
    return this.items[this.head];
  }

  push(entry: Entry<T>): void {
    this.items.push(entry);
  }

  shift(): Entry<T> | undefined {
    const entry = this.items[this.head];
    if (entry === undefined) return undefined;
    this.items[this.head] = undefined;
    this.head += 1;
    if (this.head >= 1024 && this.head * 2 >= this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return entry;
  }

  clear(): void {
    this.items = [];
    this.head = 0;
  }
}

const defaultClock = (): number => performance.now();

export class IngestQueue<T> {
  private readonly droppable = new Fifo<T>();
  private readonly kept = new Fifo<T>();
  readonly limits: QueueLimits;
  private readonly slice: SliceBudget;
  private readonly clock: () => number;
  private bytes = 0;
  private seq = 0;
  private cancels: Array<() => void> = [];
  /** Slices run so far. */
  slices = 0;

  constructor(private readonly opts: IngestQueueOptions<T>) {
    this.clock = opts.clock ?? defaultClock;
    this.limits = {
      maxMessages: opts.limits?.maxMessages ?? MAX_QUEUED_MESSAGES,
      maxBytes: opts.limits?.maxBytes ?? MAX_QUEUED_BYTES,
    };
    this.slice = {
      ms: opts.slice?.ms ?? SLICE_MS,
      messages: opts.slice?.messages ?? SLICE_MESSAGES,
      bytes: opts.slice?.bytes ?? SLICE_BYTES,
    };
  }

  get backlog(): Backlog {
    const a = this.droppable.peek();
    const b = this.kept.peek();
    const oldest = a === undefined ? b : b === undefined || a.seq < b.seq ? a : b;
    return { messages: this.length, bytes: this.bytes, oldestAt: oldest?.at };
  }

  private get length(): number {
    return this.droppable.length + this.kept.length;
  }

  /**
   * Queues one message of `bytes` bytes. `droppable`: a newer message of its kind replaces it
   * (metrics), so it goes first when the queue is full.
   */
  push(item: T, bytes: number, droppable: boolean): void {
    const { maxMessages, maxBytes } = this.limits;
    while (this.length + 1 > maxMessages || this.bytes + bytes > maxBytes) {
      const victim = this.droppable.length > 0 ? this.droppable : droppable ? undefined : this.kept;
      const entry = victim?.shift();
      if (entry === undefined) {
        this.opts.dropped(item, droppable);
        return;
      }
      this.bytes -= entry.bytes;
      this.opts.dropped(entry.item, victim === this.droppable);
    }
    const entry = { item, bytes, at: this.opts.now(), seq: this.seq++ };
    (droppable ? this.droppable : this.kept).push(entry);
    this.bytes += bytes;
    if (this.cancels.length > 0) return;
    this.cancels = [
      this.opts.scheduler.requestFrame(() => this.runSlice()),
      this.opts.scheduler.setTimer(() => this.runSlice(), HIDDEN_FLUSH_MS),
    ];
  }

  /** Drops everything waiting and any scheduled slice (the source stopped). */
  clear(): void {
    this.cancel();
    this.droppable.clear();
    this.kept.clear();
    this.bytes = 0;
  }

  /** One slice: messages in arrival order until the budget is spent, then hand over. */
  runSlice(): void {
    this.cancel();
    if (this.length === 0) return;
    this.slices += 1;
    const start = this.clock();
    const { ms, messages, bytes } = this.slice;
    let n = 0;
    let taken = 0;
    while (this.length > 0) {
      const a = this.droppable.peek();
      const b = this.kept.peek();
      const from =
        a === undefined ? this.kept : b === undefined || a.seq < b.seq ? this.droppable : this.kept;
      const entry = from.shift()!;
      this.bytes -= entry.bytes;
      n += 1;
      taken += entry.bytes;
      this.opts.process(entry.item, entry.bytes);
      if (n >= messages || taken >= bytes || this.clock() - start >= ms) break;
    }
    if (this.length > 0) this.cancels = [this.opts.scheduler.setTimer(() => this.runSlice(), 0)];
    this.opts.endSlice(this.backlog);
  }

  private cancel(): void {
    for (const cancel of this.cancels) cancel();
    this.cancels = [];
  }
}
