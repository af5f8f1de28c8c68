/**
 * `npu-smi info -t usages|common|power|temp|health|ecc -i N [-c C]` → canonical samples per chip.
 * The output is `Key : value` lines (tab- or space-indented, keys padded to 30 columns). On a
 * multi-chip card the chips follow one another, each block closed by its `Chip ID : C` line; with
 * `-c` (or on one-chip cards) there may be no `Chip ID` at all and the caller knows the chip.
 * Key names vary by version; aliases.ts maps them. Unknown keys are skipped and counted.
 */
import type { Sample } from '../../core/model.js';
import { keyMeaning } from './aliases.js';
import { healthSample } from './health.js';
import { cellSample, isAbsentToken, readNumber, type Cell, type ParseProblem } from './cells.js';

export interface InfoTChip {
  npuId?: number;
  chipId?: number;
  /** Canonical samples without a device id: the caller knows which device it asked about. */
  samples: Sample[];
  /** The health word as printed (`OK`, `Warning`, …) when the output has one. */
  health?: string;
  /** Fault codes from `Error Code` (hex strings as printed), empty for `NA`. */
  errorCodes: string[];
  errorInfo?: string;
  /** First line of the chip's block. */
  line: number;
}

export interface InfoTResult {
  npuId?: number;
  chips: InfoTChip[];
  /** Keys the alias table does not know, with how often each appeared. */
  unknownKeys: Map<string, number>;
  unknownCount: number;
  problems: ParseProblem[];
}

interface Entry {
  line: number;
  key: string;
  value: string;
}

const KEY_VALUE = /^\s*([^:]*[A-Za-z][^:]*?)\s*:\s*(.*?)\s*$/;

export function parseInfoT(text: string): InfoTResult {
  const out: InfoTResult = { chips: [], unknownKeys: new Map(), unknownCount: 0, problems: [] };
  for (const block of chipBlocks(readBlocks(text, out.problems))) {
    const chip = readChip(block, out);
    if (chip) out.chips.push(chip);
  }
  for (const chip of out.chips)
    if (chip.npuId === undefined && out.npuId !== undefined) chip.npuId = out.npuId;
  return out;
}

/** Entries grouped by blank lines; lines that are not `key : value` become problems. */
function readBlocks(text: string, problems: ParseProblem[]): Entry[][] {
  const blocks: Entry[][] = [[]];
  text.split(/\r?\n/).forEach((raw, i) => {
    if (raw.trim() === '') {
      if (blocks.at(-1)!.length > 0) blocks.push([]);
      return;
    }
    const m = KEY_VALUE.exec(raw);
    if (!m) {
      problems.push({ line: i + 1, message: `not a "key : value" line: "${clip(raw.trim())}"` });
      return;
    }
    blocks.at(-1)!.push({ line: i + 1, key: m[1]!, value: m[2]! });
  });
  return blocks.filter((b) => b.length > 0);
}

/** A block holding several `Chip ID` lines is several chips, each closed by its `Chip ID`. */
function chipBlocks(blocks: Entry[][]): Entry[][] {
  const out: Entry[][] = [];
  for (const block of blocks) {
    const chipLines = block.filter((e) => keyMeaning(e.key)?.kind === 'chipId').length;
    if (chipLines <= 1) {
      out.push(block);
      continue;
    }
    let current: Entry[] = [];
    for (const e of block) {
      current.push(e);
      if (keyMeaning(e.key)?.kind === 'chipId') {
        out.push(current);
        current = [];
      }
    }
    if (current.length > 0) out.push(current);
  }
  return out;
}

function readChip(block: Entry[], out: InfoTResult): InfoTChip | undefined {
  const chip: InfoTChip = { samples: [], errorCodes: [], line: block[0]!.line };
  const best = new Map<string, { rank: number; scale: number; cell: Cell }>();
  let payload = false;
  for (const { key, value, line } of block) {
    const meaning = keyMeaning(key);
    if (meaning === undefined) {
      out.unknownCount += 1;
      out.unknownKeys.set(key, (out.unknownKeys.get(key) ?? 0) + 1);
      continue;
    }
    if (meaning.kind === 'npuId' || meaning.kind === 'chipId') {
      const n = /^\d+$/.test(value) ? Number(value) : undefined;
      if (n === undefined)
        out.problems.push({ line, message: `${key} "${clip(value)}" is not a number` });
      else if (meaning.kind === 'npuId') chip.npuId = out.npuId = n;
      else chip.chipId = n;
      continue;
    }
    if (meaning.kind === 'ignored') continue;
    payload = true;
    if (meaning.kind === 'health') chip.health = value;
    else if (meaning.kind === 'errorCode') chip.errorCodes = errorCodes(value);
    else if (meaning.kind === 'errorInfo') {
      if (!isAbsentToken(value)) chip.errorInfo = value;
    } else {
      const cell = readValue(value);
      const held = best.get(meaning.metric);
      if (held === undefined || better(meaning.rank, cell, held))
        best.set(meaning.metric, { ...meaning, cell });
    }
  }
  if (!payload) return undefined;
  for (const [m, { scale, cell }] of best) chip.samples.push(cellSample(m, cell, scale));
  if (chip.health !== undefined) chip.samples.push(healthSample(chip.health));
  return chip;
}

/** A number beats an absent value; between two of a kind the preferred key (lower rank) wins. */
function better(rank: number, cell: Cell, held: { rank: number; cell: Cell }): boolean {
  const has = cell.v !== null;
  const heldHas = held.cell.v !== null;
  return has !== heldHas ? has : rank < held.rank;
}

/** A number, also when a unit follows it (`65 C`); `NA` is unsupported, anything else an error. */
function readValue(value: string): Cell {
  const cell = readNumber(value);
  if (cell.v !== null || cell.s !== 'error') return cell;
  const m = /^(-?\d+(?:\.\d+)?)\s*[A-Za-z%]+$/.exec(value.trim());
  return m ? { v: Number(m[1]) } : cell;
}

function errorCodes(value: string): string[] {
  return value.split(/[\s,;]+/).filter((c) => c !== '' && !isAbsentToken(c));
}

function clip(s: string): string {
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}
