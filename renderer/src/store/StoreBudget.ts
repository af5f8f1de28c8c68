/**
 * The store's global budget (budget.ts): series, nodes and bytes held by one LiveStore, which
 * nodes were seen least recently, which are on screen, and what was refused or evicted to stay
 * within it. LiveStore and NodeSeries ask it before they grow; it never allocates per sample.
 *
 * When a limit is reached the least recently seen node that has been silent for
 * `evictableAfterMs` and is not retained (on screen) is evicted to make room; when none is, the
 * new series, node or inventory is refused and counted. Senders that keep talking therefore never
 * evict each other, and what the user looks at never disappears.
 */
import {
  CREATION_MS,
  EVICTABLE_AFTER_MS,
  LARGE_NODE_SERIES,
  MAX_HISTORY_BYTES,
  MAX_INVENTORY_BYTES,
  MAX_NEW_SERIES_PER_BATCH,
  MAX_NODES,
  MAX_SERIES,
  RESERVED_SERIES,
} from './budget.js';

export interface BudgetLimits {
  maxSeries: number;
  maxNodes: number;
  maxHistoryBytes: number;
  maxInventoryBytes: number;
  evictableAfterMs: number;
  newSeriesPerBatch: number;
  largeNodeSeries: number;
  reservedSeries: number;
  creationMs: number;
}

export const DEFAULT_LIMITS: BudgetLimits = {
  maxSeries: MAX_SERIES,
  maxNodes: MAX_NODES,
  maxHistoryBytes: MAX_HISTORY_BYTES,
  maxInventoryBytes: MAX_INVENTORY_BYTES,
  evictableAfterMs: EVICTABLE_AFTER_MS,
  newSeriesPerBatch: MAX_NEW_SERIES_PER_BATCH,
  largeNodeSeries: LARGE_NODE_SERIES,
  reservedSeries: RESERVED_SERIES,
  creationMs: CREATION_MS,
};

/** What the budget holds and what it turned away, for the views and the problems list. */
export interface BudgetReport {
  readonly limits: BudgetLimits;
  readonly series: number;
  readonly nodes: number;
  readonly historyBytes: number;
  readonly inventoryBytes: number;
  /** Samples whose series could not be created because the store was full. */
  readonly refusedSamples: number;
  /**
   * Which limit refused them last: the series count, the share of large nodes, or the bytes of
   * history.
   */
  readonly refusedBy: 'series' | 'large' | 'bytes';
  /** Messages that had samples refused. */
  readonly refusedSampleMessages: number;
  /** Distinct nodes that had samples refused, and the most series one of them sent at once. */
  readonly refusedNodes: number;
  readonly largestSender: number;
  /** Messages from new nodes refused because the store held maxNodes. */
  readonly refusedNodeMessages: number;
  /** Inventories refused because the store held maxInventoryBytes of them. */
  readonly refusedInventories: number;
  readonly evictedNodes: number;
  readonly evictedSeries: number;
  /** Samples skipped because their series waited for a later batch to be created. */
  readonly deferredSamples: number;
  /** Local time (ms) each kind last happened, for "last 3 s ago". */
  readonly lastRefusedAt: number | undefined;
  readonly lastEvictedAt: number | undefined;
}

/** The part of the budget a node's series ask before they grow. */
export interface SeriesBudget {
  /**
   * A node's message asks for `asking` series: a large node (LARGE_NODE_SERIES or more) is
   * granted what is left of the large nodes' share, at once, and keeps it until evicted.
   */
  claim(node: string, asking: number): void;
  /**
   * Room for one more series of `bytes` from `node`, which holds `count` and asks for `asking`,
   * evicting silent nodes if needed: 'ok', 'full' (refused), or 'later' (this batch created its
   * share of series already).
   */
  takeSeries(node: string, bytes: number, count: number, asking: number): 'ok' | 'full' | 'later';
  /** Series this batch may still create for a node asking for `asking`. */
  creationsLeft(asking: number): number;
  /** Whether one more series could be had now (room, or a node to evict); evicts nothing. */
  hasRoom(node: string, count: number, asking: number): boolean;
  /** Bytes a node holds whatever happens (its tick times): counted, never refused. */
  charge(bytes: number): void;
  /** Bumped whenever something is released, so refused grids know to look again. */
  readonly releases: number;
  /** Local time of the batch being ingested. */
  readonly now: number;
}

export type Evict = (node: string) => void;

export class StoreBudget implements SeriesBudget {
  readonly limits: BudgetLimits;
  private seriesHeld = 0;
  private bytesHeld = 0;
  private inventoryHeld = 0;
  /** Nodes by when they were last seen, least recent first (re-inserted on every message). */
  private readonly seen = new Map<string, number>();
  /** What each large node was granted of the large nodes' share, and their sum. */
  private readonly quotas = new Map<string, number>();
  private quotaTotal = 0;
  private retained: ReadonlySet<string> = new Set();
  private retainVersion = 0;
  /** A scan that found no node to evict, remembered until time or the retained set moves. */
  private noVictim: { now: number; retainVersion: number; releases: number } | undefined;
  private time = 0;
  /** Series created in this batch for small and for large nodes. */
  private readonly creations = [0, 0];
  private deferredSamples = 0;
  private released = 0;
  private refusedSamples = 0;
  private refusedBy: 'series' | 'large' | 'bytes' = 'series';
  private refusedSampleMessages = 0;
  private readonly refusedNodes = new Set<string>();
  private largestSender = 0;
  private refusedNodeMessages = 0;
  private refusedInventories = 0;
  private evictedNodes = 0;
  private evictedSeries = 0;
  private lastRefusedAt: number | undefined;
  private lastEvictedAt: number | undefined;

  /** When this batch created its first series (workClock), undefined before. */
  private workStart: number | undefined;

  /**
   * `workClock`: monotonic ms that times series creation in a batch (performance.now in the
   * page's fleet stores); without it only the count limits a batch, as tests want.
   */
  constructor(
    private readonly evict: Evict,
    limits: Partial<BudgetLimits> = {},
    private readonly workClock?: () => number,
  ) {
    this.limits = { ...DEFAULT_LIMITS, ...limits };
  }

  get now(): number {
    return this.time;
  }

  get releases(): number {
    return this.released;
  }

  get nodes(): number {
    return this.seen.size;
  }

  /**
   * A batch begins: its local time (what "silent for" is measured against), and its share of new
   * series.
   */
  beginBatch(now: number): void {
    this.time = now;
    this.creations[0] = 0;
    this.creations[1] = 0;
    this.workStart = undefined;
  }

  creationsLeft(asking: number): number {
    const large = asking >= this.limits.largeNodeSeries ? 1 : 0;
    return Math.max(0, this.limits.newSeriesPerBatch / 2 - this.creations[large]!);
  }

  /** Samples a node skipped this batch while its series wait to be created. */
  noteDeferred(samples: number): void {
    this.deferredSamples += samples;
  }

  /** Nodes on screen, never evicted; replaces the previous set. */
  retain(nodes: Iterable<string>): void {
    this.retained = new Set(nodes);
    this.retainVersion += 1;
  }

  isRetained(node: string): boolean {
    return this.retained.has(node);
  }

  /**
   * A message from `node`: true when it is held or room was made for it, false when the store
   * holds maxNodes and none can be evicted (the message is refused and counted).
   */
  admitNode(node: string): boolean {
    if (this.seen.has(node)) {
      this.seen.delete(node);
      this.seen.set(node, this.time);
      return true;
    }
    while (this.seen.size >= this.limits.maxNodes) {
      if (!this.evictOne(node)) {
        this.refusedNodeMessages += 1;
        this.lastRefusedAt = this.time;
        return false;
      }
    }
    this.seen.set(node, this.time);
    return true;
  }

  claim(node: string, asking: number): void {
    const { maxSeries, reservedSeries, largeNodeSeries } = this.limits;
    if (asking < largeNodeSeries) return;
    const have = this.quotas.get(node) ?? 0;
    if (asking <= have) return;
    const share = maxSeries - reservedSeries;
    while (this.quotaTotal + asking - have > share) {
      if (!this.evictOne(node)) break;
    }
    const grant = Math.min(asking - have, share - this.quotaTotal);
    if (grant <= 0) return;
    this.quotas.set(node, have + grant);
    this.quotaTotal += grant;
  }

  takeSeries(node: string, bytes: number, count: number, asking: number): 'ok' | 'full' | 'later' {
    const { maxSeries, largeNodeSeries, maxHistoryBytes } = this.limits;
    const large = asking >= largeNodeSeries ? 1 : 0;
    if (large === 1 && count >= (this.quotas.get(node) ?? 0)) {
      this.refusedBy = 'large';
      return 'full';
    }
    for (;;) {
      const overCount = this.seriesHeld >= maxSeries;
      const overBytes = this.bytesHeld + bytes > maxHistoryBytes;
      if (!overCount && !overBytes) break;
      if (!this.evictOne(node)) {
        this.refusedBy = overCount ? 'series' : 'bytes';
        return 'full';
      }
    }
    const share = this.limits.newSeriesPerBatch / 2;
    if (this.creations[large]! >= share) return 'later';
    if (this.workClock !== undefined) this.workStart ??= this.workClock();
    if (this.workClock !== undefined && this.creations[large]! % 64 === 63) {
      if (this.workClock() - this.workStart! >= this.limits.creationMs) {
        this.creations[large] = share;
        return 'later';
      }
    }
    this.creations[large] = this.creations[large]! + 1;
    this.seriesHeld += 1;
    this.bytesHeld += bytes;
    return 'ok';
  }

  charge(bytes: number): void {
    this.bytesHeld += bytes;
  }

  /** Samples of `node` refused in one message that asked for `asked` series. */
  noteRefused(node: string, samples: number, asked: number): void {
    this.refusedSamples += samples;
    this.refusedSampleMessages += 1;
    if (this.refusedNodes.size < this.limits.maxNodes) this.refusedNodes.add(node);
    this.largestSender = Math.max(this.largestSender, asked);
    this.lastRefusedAt = this.time;
  }

  /** Room for a node's inventory growing from `before` to `after` bytes (estimated). */
  takeInventory(node: string, before: number, after: number): boolean {
    while (this.inventoryHeld - before + after > this.limits.maxInventoryBytes) {
      if (!this.evictOne(node)) {
        this.refusedInventories += 1;
        this.lastRefusedAt = this.time;
        return false;
      }
    }
    this.inventoryHeld += after - before;
    return true;
  }

  /** A node's inventory settled at its real size after it was applied (within what was taken). */
  adjustInventory(delta: number): void {
    this.inventoryHeld += delta;
  }

  /**
   * Nodes not heard since `before` (local time) and not retained, least recently heard first:
   * the store removes them as silent (LiveStore.tick).
   */
  silentSince(before: number): Array<[node: string, heardAt: number]> {
    const out: Array<[string, number]> = [];
    for (const [node, at] of this.seen) {
      if (at >= before) break;
      if (!this.retained.has(node)) out.push([node, at]);
    }
    return out;
  }

  /**
   * Forgets a node the store removed for its own reasons (silent, a seek): like an eviction, but
   * not counted as one made to make room. The store released its series first (`release`).
   */
  forget(node: string): void {
    if (!this.seen.delete(node)) return;
    this.quotaTotal -= this.quotas.get(node) ?? 0;
    this.quotas.delete(node);
  }

  /** What an evicted node gave back. */
  release(series: number, bytes: number, inventoryBytes: number): void {
    this.seriesHeld -= series;
    this.bytesHeld -= bytes;
    this.inventoryHeld -= inventoryBytes;
    this.released += 1;
  }

  get report(): BudgetReport {
    return {
      limits: this.limits,
      series: this.seriesHeld,
      nodes: this.seen.size,
      historyBytes: this.bytesHeld,
      inventoryBytes: this.inventoryHeld,
      refusedSamples: this.refusedSamples,
      refusedBy: this.refusedBy,
      refusedSampleMessages: this.refusedSampleMessages,
      refusedNodes: this.refusedNodes.size,
      largestSender: this.largestSender,
      refusedNodeMessages: this.refusedNodeMessages,
      refusedInventories: this.refusedInventories,
      evictedNodes: this.evictedNodes,
      evictedSeries: this.evictedSeries,
      deferredSamples: this.deferredSamples,
      lastRefusedAt: this.lastRefusedAt,
      lastEvictedAt: this.lastEvictedAt,
    };
  }

  /**
   * Whether a node holding `count` series and asking for `asking` could get one more now, by room
   * or by an eviction; evicts nothing. Lets a refused node skip resolving a grid it could not hold.
   */
  hasRoom(node: string, count: number, asking: number): boolean {
    const { maxSeries, largeNodeSeries, maxHistoryBytes } = this.limits;
    if (asking >= largeNodeSeries && count >= (this.quotas.get(node) ?? 0)) {
      this.refusedBy = 'large';
      return false;
    }
    if (this.seriesHeld < maxSeries && this.bytesHeld < maxHistoryBytes) return true;
    if (this.findVictim(node) !== undefined) return true;
    // The caller refuses on this answer: say which limit did it.
    this.refusedBy = this.seriesHeld >= maxSeries ? 'series' : 'bytes';
    return false;
  }

  /** The node to evict for `asking`, or undefined (remembered until time or retained move). */
  private findVictim(asking: string): string | undefined {
    const memo = this.noVictim;
    if (
      memo !== undefined &&
      memo.now === this.time &&
      memo.retainVersion === this.retainVersion &&
      memo.releases === this.released
    ) {
      return undefined;
    }
    const silentBefore = this.time - this.limits.evictableAfterMs;
    let skippedAsking = false;
    for (const [node, at] of this.seen) {
      if (at > silentBefore) break;
      if (node === asking) skippedAsking = true;
      else if (!this.retained.has(node)) return node;
    }
    // Only a scan that passed over no one is true for every asker.
    if (!skippedAsking) {
      this.noVictim = {
        now: this.time,
        retainVersion: this.retainVersion,
        releases: this.released,
      };
    }
    return undefined;
  }

  /**
   * Evicts the least recently seen node that is silent long enough, not retained and not `asking`.
   * `seen` is in order of last message, so the scan stops at the first node heard too recently.
   */
  private evictOne(asking: string): boolean {
    const victim = this.findVictim(asking);
    if (victim === undefined) return false;
    const seriesBefore = this.seriesHeld;
    this.evict(victim);
    this.seen.delete(victim);
    this.quotaTotal -= this.quotas.get(victim) ?? 0;
    this.quotas.delete(victim);
    this.evictedNodes += 1;
    this.evictedSeries += seriesBefore - this.seriesHeld;
    this.lastEvictedAt = this.time;
    return true;
  }
}
