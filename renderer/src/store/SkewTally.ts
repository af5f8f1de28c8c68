/**
 * Messages and events stamped implausibly far from this console's clock (NodeClock), as one
 * problem of the connection: how many, which node last, and by how much, in words a person reads
 * ("1 h ahead"), never the raw stamp (1e300 would print as "1e+300").
 */
import type { SourceProblem } from '../sources/Source.js';

export const SKEW_PROBLEM_KEY = 'clock:skew';

export class SkewTally {
  private count = 0;
  private lastAt = 0;
  private text = '';

  constructor(private readonly maxSkewMs: number) {}

  /** Counts one stamp `ts` of `node`'s `what` that arrived at local time `receivedAt`. */
  note(node: string, what: 'message' | 'event', ts: number, receivedAt: number): void {
    this.count += 1;
    this.lastAt = receivedAt;
    const thing = what === 'event' ? 'an event' : 'a message';
    const allowed = spanText(this.maxSkewMs);
    this.text =
      `Clock skew: ${node} stamped ${thing} ${describeSkew(ts - receivedAt)} ` +
      `(allowed: ${allowed}); it was stored at its arrival time`;
  }

  problems(): SourceProblem[] {
    if (this.count === 0) return [];
    return [{ key: SKEW_PROBLEM_KEY, message: this.text, count: this.count, lastAt: this.lastAt }];
  }
}

/** "1 h ahead of this console's clock", "26 min behind …", "with no valid time". */
export function describeSkew(deltaMs: number): string {
  if (!Number.isFinite(deltaMs)) return 'with no valid time';
  const span = spanText(Math.abs(deltaMs));
  return `${span} ${deltaMs > 0 ? 'ahead of' : 'behind'} this console's clock`;
}

/** "45 s", "5 min", "3 h", "12 days", "more than a year". */
export function spanText(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 120) return `${s} s`;
  const min = Math.round(s / 60);
  if (min < 120) return `${min} min`;
  const h = Math.round(min / 60);
  if (h < 48) return `${h} h`;
  const days = Math.round(h / 24);
  return days < 366 ? `${days} days` : 'more than a year';
}
