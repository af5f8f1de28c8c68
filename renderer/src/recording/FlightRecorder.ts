/**
 * The last minutes of one live source, kept so that "save the last N minutes" can write an incident
 * that already happened (issue 11, item 5). Fed from the same batches the store ingests; holds
 * each message as its JSON text with its receipt time, in arrival order, in a ring bounded by age
 * (FLIGHT_RECORDER_MS) AND bytes (FLIGHT_RECORDER_BYTES, store/budget.ts). The oldest go first, and
 * what went is counted: by age (the normal end of a message's stay) apart from by bytes (the
 * recorder was too small for the fleet, so "the last 10 minutes" holds less than 10 minutes).
 *
 * Nodes send their inventory only when it changes (and on a new subscriber), so the latest one of
 * each node is kept apart, whatever its age (at most MAX_NODES, least recently sent dropped
 * first): a save of the last minute still knows every node's devices (`inventoriesBefore`).
 *
 * Text rather than the decoded objects: a decoded message costs 2–4 × its JSON in the heap
 * (estimateBytes.ts), and the snapshot writer wants the JSON anyway.
 */
import type { MessageType, WireMessage } from '../../../collector/core/protocol/spec.js';
import type { SourceBatch } from '../sources/Source.js';
import { FLIGHT_RECORDER_BYTES, FLIGHT_RECORDER_MS, MAX_NODES } from '../store/budget.js';

/** One kept message: what the snapshot writer indexes it by, and its text. */
export interface FlightEntry {
  /** Receipt time (ms, local clock): the batch's receivedAt. */
  receivedAt: number;
  type: MessageType;
  cluster: string;
  node: string;
  ts: number;
  json: string;
  bytes: number;
}

export interface FlightRecorderOptions {
  maxAgeMs?: number;
  maxBytes?: number;
}

export interface FlightDrops {
  /** Older than maxAgeMs. */
  byAge: number;
  /** Pushed out to stay within maxBytes while younger than maxAgeMs. */
  byBytes: number;
}

/** What an entry costs besides its text: the object, its fields and its slot in the ring. */
export const ENTRY_OVERHEAD_BYTES = 64;

export class FlightRecorder {
  readonly maxAgeMs: number;
  readonly maxBytes: number;
  private ring: (FlightEntry | undefined)[] = [];
  private head = 0;
  private held = 0;
  private readonly drops: FlightDrops = { byAge: 0, byBytes: 0 };
  private readonly inventories = new Map<string, FlightEntry>();

  constructor(options: FlightRecorderOptions = {}) {
    this.maxAgeMs = options.maxAgeMs ?? FLIGHT_RECORDER_MS;
    this.maxBytes = options.maxBytes ?? FLIGHT_RECORDER_BYTES;
  }

  /** Keeps a batch's messages at its receipt time; a listener for Source.subscribe. */
  readonly ingest = (batch: SourceBatch): void => {
    for (const m of batch.messages) this.add(batch.receivedAt, m);
    this.trim(batch.receivedAt);
  };

  add(receivedAt: number, message: WireMessage): void {
    const json = JSON.stringify(message);
    const bytes = ENTRY_OVERHEAD_BYTES + 2 * json.length;
    const { type, cluster, node, ts } = message;
    const entry: FlightEntry = { receivedAt, type, cluster, node, ts, json, bytes };
    this.ring.push(entry);
    if (type === 'inventory') this.keepInventory(entry);
    this.held += bytes;
    while (this.held > this.maxBytes && this.length > 0) this.dropOldest('byBytes');
  }

  /** Drops what is older than maxAgeMs at `now`: on every batch, and before a save. */
  trim(now: number): void {
    const oldest = now - this.maxAgeMs;
    for (let e = this.ring[this.head]; e && e.receivedAt < oldest; e = this.ring[this.head]) {
      this.dropOldest('byAge');
    }
  }

  get length(): number {
    return this.ring.length - this.head;
  }

  /** Bytes held, as counted against maxBytes. */
  get bytes(): number {
    return this.held;
  }

  get dropped(): Readonly<FlightDrops> {
    return this.drops;
  }

  /** Receipt time of the oldest message held, undefined when empty. */
  get oldestAt(): number | undefined {
    return this.ring[this.head]?.receivedAt;
  }

  /** The messages received at or after `since`, oldest first (a copy: the ring keeps moving). */
  since(since: number): FlightEntry[] {
    const out: FlightEntry[] = [];
    for (let i = this.head; i < this.ring.length; i++) {
      const e = this.ring[i]!;
      if (e.receivedAt >= since) out.push(e);
    }
    return out;
  }

  /**
   * Each node's latest inventory received before `time`, for a save starting there: the ring
   * may no longer hold it, or never did within the window.
   */
  inventoriesBefore(time: number): FlightEntry[] {
    return [...this.inventories.values()].filter((e) => e.receivedAt < time);
  }

  private keepInventory(entry: FlightEntry): void {
    const key = `${entry.cluster}\u0000${entry.node}`;
    // Delete first so the Map's order is by last sent, and the first key the least recent.
    this.inventories.delete(key);
    this.inventories.set(key, entry);
    if (this.inventories.size > MAX_NODES) {
      const first = this.inventories.keys().next();
      if (!first.done) this.inventories.delete(first.value);
    }
  }

  private dropOldest(reason: keyof FlightDrops): void {
    const e = this.ring[this.head];
    if (!e) return;
    this.ring[this.head] = undefined;
    this.head += 1;
    this.held -= e.bytes;
    this.drops[reason] += 1;
    // Compact once the dead head is half the array, so dropping stays O(1) amortized.
    if (this.head > 1024 && this.head * 2 > this.ring.length) {
      this.ring = this.ring.slice(this.head);
      this.head = 0;
    }
  }
}
