/**
 * How many new nodes one connection may bring in a second: a token bucket (NEW_NODES_PER_SECOND,
 * bursts of NEW_NODE_BURST, store/budget.ts). Nodes already known always pass. Checked on the
 * subject, before a message is queued or decoded, so a flood of ever-new node names (issue 10:
 * 87–333 a second took a page to 1.9 GB and 5.9 s tasks) costs a string split per message.
 *
 * Known nodes are remembered least recently seen first and forgotten past `maxKnown`, so the memory
 * stays bounded however many names a sender invents; a forgotten node that speaks again needs a
 * token again.
 */
import { MAX_NODES, NEW_NODE_BURST, NEW_NODES_PER_SECOND } from '../store/budget.js';

export interface AdmissionOptions {
  /** Local time (ms). */
  now: () => number;
  perSecond?: number;
  burst?: number;
  /** Known nodes remembered at most. */
  maxKnown?: number;
}

export class NodeAdmission {
  readonly perSecond: number;
  readonly burst: number;
  private readonly maxKnown: number;
  private readonly now: () => number;
  private readonly known = new Map<string, true>();
  private tokens: number;
  private refilledAt: number;
  /** Messages refused because their node was new and the bucket empty. */
  refused = 0;

  constructor(opts: AdmissionOptions) {
    this.now = opts.now;
    this.perSecond = opts.perSecond ?? NEW_NODES_PER_SECOND;
    this.burst = opts.burst ?? NEW_NODE_BURST;
    this.maxKnown = opts.maxKnown ?? 2 * MAX_NODES;
    this.tokens = this.burst;
    this.refilledAt = this.now();
  }

  /** Whether a message from node `key` may pass; a new node takes a token. */
  admit(key: string): boolean {
    if (this.known.has(key)) {
      this.known.delete(key);
      this.known.set(key, true);
      return true;
    }
    const now = this.now();
    if (now > this.refilledAt) {
      this.tokens = Math.min(
        this.burst,
        this.tokens + ((now - this.refilledAt) * this.perSecond) / 1000,
      );
    }
    this.refilledAt = Math.max(this.refilledAt, now);
    if (this.tokens < 1) {
      this.refused += 1;
      return false;
    }
    this.tokens -= 1;
    if (this.known.size >= this.maxKnown) {
      this.known.delete(this.known.keys().next().value!);
    }
    this.known.set(key, true);
    return true;
  }

  /** "1,204 messages from new nodes refused: more than 64 new nodes a second on this connection" */
  get problem(): string {
    const n = this.refused;
    const rate = this.perSecond;
    return `${n.toLocaleString('en')} ${n === 1 ? 'message' : 'messages'} from new nodes refused: more than ${rate.toLocaleString('en')} new ${rate === 1 ? 'node' : 'nodes'} a second on this connection`;
  }
}
