/**
 * What a /proc parser could not use, located by line so the message points at the culprit:
 * "/proc/net/dev line 5: expected 16 counters after "eth0:", got 3".
 */
export interface LineProblem {
  /** 1-based line number in the file as read. */
  line: number;
  reason: string;
}

/** Longest excerpt of a bad line quoted back in a message. */
const EXCERPT = 60;

/** Longest reason kept: reasons quote names from the file (found by parsers.fuzz.test.ts). */
const REASON = 160;

export function lineProblem(line: number, reason: string, text?: string): LineProblem {
  const why = reason.length > REASON ? `${reason.slice(0, REASON)}…` : reason;
  if (text === undefined) return { line, reason: why };
  const shown = text.length > EXCERPT ? `${text.slice(0, EXCERPT)}…` : text;
  return { line, reason: `${why} in "${shown}"` };
}

export function describeProblem(file: string, p: LineProblem): string {
  return p.line > 0 ? `${file} line ${p.line}: ${p.reason}` : `${file}: ${p.reason}`;
}

/**
 * Parses a decimal counter as /proc prints it. Net byte counters are 64-bit; past 2^53 (9 PB) a
 * double keeps them to within 2 KB, noise at bytes/s over a second, so plain numbers will do.
 */
export function parseCounter(word: string | undefined): number | undefined {
  if (word === undefined || !/^\d+$/.test(word)) return undefined;
  return Number(word);
}
