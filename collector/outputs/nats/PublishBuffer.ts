/**
 * What the agent holds while it cannot publish: bounded by bytes and by messages, never blocking
 * the caller. When full, the oldest metrics go first (a console can live with a gap in a time
 * series); events go only when no metrics are left; the newest inventory is never dropped (a
 * console that cannot learn the node shows nothing at all). An inventory replaces the previous
 * one: only the latest description of the node matters.
 */
import type { MessageType } from '../../core/protocol/spec.js';

export interface BufferedMessage {
  type: MessageType;
  subject: string;
  data: Uint8Array;
}

export interface DropCounts {
  messages: number;
  bytes: number;
  metrics: number;
  events: number;
}

export interface BufferLimits {
  /** default 8 MiB: ~25 min of 1 Hz metrics for an 8-GPU node (≈5 KB a message) */
  maxBytes?: number;
  maxMessages?: number;
}

export const DEFAULT_BUFFER_BYTES = 8 * 1024 * 1024;
export const DEFAULT_BUFFER_MESSAGES = 20_000;

const noDrops = (): DropCounts => ({ messages: 0, bytes: 0, metrics: 0, events: 0 });

/** A FIFO with O(1) shift (an index over an array compacted now and then). */
class Fifo<T> {
  private items: T[] = [];
  private head = 0;
  get length(): number {
    return this.items.length - this.head;
  }
  push(item: T): void {
    this.items.push(item);
  }
  shift(): T | undefined {
    const item = this.items[this.head];
    if (item === undefined) return undefined;
    this.head++;
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }
  take(): T[] {
    const out = this.items.slice(this.head);
    this.items = [];
    this.head = 0;
    return out;
  }
}

interface Entry {
  order: number;
  message: BufferedMessage;
}

export class PublishBuffer {
  readonly maxBytes: number;
  readonly maxMessages: number;
  private inventory: BufferedMessage | undefined;
  private readonly metrics = new Fifo<Entry>();
  private readonly events = new Fifo<Entry>();
  private order = 0;
  private heldBytes = 0;
  private dropped = noDrops();

  constructor(limits: BufferLimits = {}) {
    this.maxBytes = limits.maxBytes ?? DEFAULT_BUFFER_BYTES;
    this.maxMessages = limits.maxMessages ?? DEFAULT_BUFFER_MESSAGES;
  }

  /** Payload bytes held (subjects not counted: they are a few dozen bytes each). */
  get bytes(): number {
    return this.heldBytes + (this.inventory?.data.byteLength ?? 0);
  }

  get length(): number {
    return this.metrics.length + this.events.length + (this.inventory ? 1 : 0);
  }

  push(message: BufferedMessage): void {
    if (message.type === 'inventory') {
      this.inventory = message;
    } else {
      (message.type === 'metrics' ? this.metrics : this.events).push({
        order: this.order++,
        message,
      });
      this.heldBytes += message.data.byteLength;
    }
    while (this.bytes > this.maxBytes || this.length > this.maxMessages) {
      const victim = this.metrics.shift() ?? this.events.shift();
      if (!victim) break;
      this.heldBytes -= victim.message.data.byteLength;
      this.countDrop(victim.message);
    }
  }

  /** Everything held, the inventory first, then arrival order; empties the buffer. */
  drain(): BufferedMessage[] {
    const rest = [...this.metrics.take(), ...this.events.take()].sort((a, b) => a.order - b.order);
    const out = [...(this.inventory ? [this.inventory] : []), ...rest.map((e) => e.message)];
    this.inventory = undefined;
    this.heldBytes = 0;
    return out;
  }

  /** Drops since the last call, then resets them. */
  takeDrops(): DropCounts {
    const d = this.dropped;
    this.dropped = noDrops();
    return d;
  }

  peekDrops(): Readonly<DropCounts> {
    return this.dropped;
  }

  /** Counts a message dropped elsewhere (e.g. larger than the server accepts). */
  countDrop(message: BufferedMessage): void {
    this.dropped.messages += 1;
    this.dropped.bytes += message.data.byteLength;
    if (message.type !== 'inventory') this.dropped[message.type] += 1;
  }
}
