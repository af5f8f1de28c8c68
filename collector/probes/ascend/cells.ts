/**
 * Reading single npu-smi values. npu-smi prints `NA` (310P power, A2 devkit Bus-Id), `-` (power of
 * the second chip on an A3 card: the card's power is on the first chip's row) and, in some builds,
 * `N/A` where a value is not supported. None of these is 0.
 */
import { absentSample, okSample, type Sample, type SampleStatus } from '../../core/model.js';

export const MIB = 1_048_576;

/** A parsed value: a number, or why there is none with the tool's own words. */
export type Cell = { v: number } | { v: null; s: SampleStatus; raw: string };

/** A `used / total` pair as npu-smi prints memory (`13281/ 65536`, `0    / 0`). */
export interface Pair {
  used: Cell;
  total: Cell;
}

/** Where and what went wrong in a tool's output (line numbers start at 1; 0 = the whole text). */
export interface ParseProblem {
  line: number;
  message: string;
}

const ABSENT_TOKENS = new Set(['na', 'n/a', '-', '--', '[n/a]', 'not supported']);
const NUMBER = /^-?\d+(?:\.\d+)?$/;
/** Sample.raw is bounded by the wire schema (256); a garbage token needs far less to be recognised. */
const RAW_MAX = 64;

export function isAbsentToken(token: string): boolean {
  return ABSENT_TOKENS.has(token.trim().toLowerCase());
}

export function readNumber(token: string | undefined): Cell {
  if (token === undefined) return { v: null, s: 'missing', raw: '' };
  const t = token.trim();
  if (NUMBER.test(t)) return { v: Number(t) };
  if (isAbsentToken(t)) return { v: null, s: 'unsupported', raw: t };
  return { v: null, s: 'error', raw: t.slice(0, RAW_MAX) };
}

/** `used/total` (already whitespace-normalized); a lone absent token stands for both halves. */
export function readPair(token: string | undefined): Pair {
  if (token === undefined || !token.includes('/')) {
    const cell = readNumber(token);
    return { used: cell, total: cell };
  }
  const [used, total] = token.split('/', 2);
  return { used: readNumber(used), total: readNumber(total) };
}

/** Value tokens of a table cell: `0    / 0` and `13281/ 65536` become one token each. */
export function valueTokens(cell: string): string[] {
  const joined = cell.replace(/\s*\/\s*/g, '/').trim();
  return joined === '' ? [] : joined.split(/\s+/);
}

export function cellSample(m: string, cell: Cell, scale = 1, extra?: Partial<Sample>): Sample {
  if (cell.v === null)
    return absentSample(m, cell.s, cell.raw === '' ? undefined : cell.raw, extra);
  return okSample(m, cell.v * scale, extra);
}

export function errorCell(raw = ''): Cell {
  return { v: null, s: 'error', raw };
}
