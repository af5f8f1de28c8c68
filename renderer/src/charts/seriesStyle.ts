/**
 * One colour and one place in the legend per kind of series, for every chart in the console:
 * "decode" is the same purple in every panel and every render, and legends list stages in request
 * order (queue, prefill, decode, then TTFT, inter-token, e2e) whatever order the answers arrived
 * in. Palette indices by arrival order made "decode" purple, then blue, then green (issue 12).
 * Kinds not in the table (a finish reason a new engine invents, an instance name) take a colour
 * from their name's hash, so they too keep it across renders, and sort by name after the table's.
 */
import { SERIES_COLORS } from './theme.js';

export interface SeriesStyle {
  color: string;
  /** Legend position: lower first; kinds outside the table share UNLISTED and sort by name. */
  order: number;
}

const BLUE = '#5794f2';
const PURPLE = '#b877d9';
const GREEN = '#73bf69';
const YELLOW = '#fade2a';
const ORANGE = '#ff9830';
const RED = '#f2495c';
const LIGHT_BLUE = '#8ab8ff';
const PINK = '#ff7383';

/** In legend order. Kinds are lower case; series names are looked up case-insensitively. */
const TABLE: ReadonlyArray<readonly [string, string]> = [
  // Request stages in the order a request passes them, then the user-facing latencies.
  ['queue', YELLOW],
  ['prefill', ORANGE],
  ['decode', PURPLE],
  ['ttft', BLUE],
  ['inter_token', GREEN],
  ['e2e', LIGHT_BLUE],
  // Percentiles: the typical request calm, the tail alarming.
  ['p50', BLUE],
  ['p90', YELLOW],
  ['p99', RED],
  // Token throughput, requests, KV cache, prefix cache, preemptions.
  ['prompt', BLUE],
  ['generation', GREEN],
  ['running', GREEN],
  ['waiting', ORANGE],
  ['mean', BLUE],
  ['max', RED],
  ['hit rate', GREEN],
  ['preemptions', ORANGE],
  // Finish reasons (vLLM finished_reason; SGLang's total is "finished").
  ['stop', GREEN],
  ['length', YELLOW],
  ['abort', RED],
  ['finished', GREEN],
  // Host charts.
  ['cpu', BLUE],
  ['used', PURPLE],
  ['receive', GREEN],
  ['transmit', YELLOW],
  ['read', ORANGE],
  ['write', LIGHT_BLUE],
  // One device quantity in the drawer.
  ['device', BLUE],
];

const BY_KIND = new Map(TABLE.map(([kind, color], order) => [kind, { color, order }]));

/** The legend position of every kind outside the table. */
export const UNLISTED = TABLE.length;

/** Colours for kinds outside the table, distinct from their neighbours in the main palette. */
const EXTRA_COLORS = [...SERIES_COLORS, LIGHT_BLUE, PINK, '#ffb357', '#ca95e5', '#96d98d'];

/** FNV-1a: a stable small hash, the same in every session and build. */
function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export function seriesStyle(kind: string): SeriesStyle {
  const key = kind.toLowerCase();
  const known = BY_KIND.get(key);
  if (known) return known;
  return { color: EXTRA_COLORS[hash(key) % EXTRA_COLORS.length]!, order: UNLISTED };
}

/** The list in legend order: the table's order, then other kinds by name; stable otherwise. */
export function inSeriesOrder<T>(list: readonly T[], kindOf: (item: T) => string): T[] {
  return list
    .map((item, i) => ({ item, i, kind: kindOf(item), order: seriesStyle(kindOf(item)).order }))
    .sort(
      (a, b) =>
        a.order - b.order ||
        (a.order === UNLISTED ? a.kind.localeCompare(b.kind, 'en') : 0) ||
        a.i - b.i,
    )
    .map((x) => x.item);
}
