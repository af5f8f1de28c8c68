/**
 * Recent problems with a tool's output (garbled lines, unreadable cells, failed side queries),
 * summarized into one status message. Old entries age out, so one bad line makes the probe
 * "degraded" for a few intervals rather than forever.
 */
interface Entry {
  t: number;
  text: string;
}

/** Enough to count a burst without holding on to a flood of garbage. */
const KEEP = 100;

export class ProblemLog {
  private entries: Entry[] = [];

  add(text: string, t: number): void {
    this.entries.push({ t, text });
    if (this.entries.length > KEEP) this.entries.splice(0, this.entries.length - KEEP);
  }

  /** One message for the problems of the last `windowMs` before `now`, or undefined if none. */
  summary(now: number, windowMs: number): string | undefined {
    this.entries = this.entries.filter((e) => now - e.t <= windowMs);
    const n = this.entries.length;
    if (n === 0) return undefined;
    const latest = this.entries[n - 1]!.text;
    if (n === 1) return latest;
    const count = n === KEEP ? `${KEEP}+` : `${n}`;
    return `${count} problems in the last ${Math.round(windowMs / 1000)} s; latest: ${latest}`;
  }

  clear(): void {
    this.entries = [];
  }
}
