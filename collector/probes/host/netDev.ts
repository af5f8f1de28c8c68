/**
 * /proc/net/dev: two header lines, then per interface `name: <8 receive> <8 transmit counters>`,
 * receive bytes first and transmit bytes ninth. Loopback is left out: it is traffic the host has
 * with itself, and its volume (local scrapes, IPC) would drown the real links in a chart.
 */
import type { CounterReading } from './rates.js';
import { lineProblem, parseCounter, type LineProblem } from './problems.js';

export const NET_METRICS = ['host.network.receive', 'host.network.transmit'] as const;

const COUNTERS = 16;
const TX_BYTES = 8;

export function parseNetDev(
  text: string,
  at: number,
): CounterReading & { problems: LineProblem[] } {
  const counters = new Map<string, readonly [number, number]>();
  const broken: string[] = [];
  const problems: LineProblem[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '' || (i < 2 && line.includes('|'))) continue;
    // Names cannot contain ':' (net/core/dev.c dev_valid_name), and long counters may touch it.
    const colon = line.indexOf(':');
    const name = line.slice(0, Math.max(colon, 0)).trim();
    if (colon < 0 || name === '' || /\s/.test(name)) {
      problems.push(lineProblem(i + 1, 'expected "<interface>: <counters>"', line));
      continue;
    }
    if (name === 'lo') continue;
    const words = line
      .slice(colon + 1)
      .trim()
      .split(/\s+/);
    const rx = parseCounter(words[0]);
    const tx = parseCounter(words[TX_BYTES]);
    if (words.length < COUNTERS || rx === undefined || tx === undefined) {
      problems.push(lineProblem(i + 1, `expected ${COUNTERS} counters after "${name}:"`, line));
      broken.push(name);
      continue;
    }
    counters.set(name, [rx, tx]);
  }
  return { at, counters, broken, problems };
}
