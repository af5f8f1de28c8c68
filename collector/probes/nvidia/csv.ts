/**
 * nvidia-smi's `--format=csv` output, pure. The header (absent with `noheader`) names the fields,
 * with units in brackets (`memory.used [MiB]`); cells are separated by ", " and carry units unless
 * `nounits` was asked (`45 %`, `1234 MiB`, `70.12 W`). A cell nvidia-smi could not fill holds a
 * token such as `[N/A]` instead: that is a status, never 0.
 */
import type { SampleStatus } from '../../core/model.js';

export interface CsvColumn {
  name: string;
  /** The bracketed unit of the header, e.g. `MiB`. */
  unit?: string;
}

export interface CsvRow {
  /** 1-based line number in the text. */
  line: number;
  cells: string[];
}

export interface CsvTable {
  columns: CsvColumn[];
  rows: CsvRow[];
  /** One message per unusable line, naming it. */
  problems: string[];
}

export interface ParseCsvOptions {
  /** The requested field names (for `noheader` output); a header line naming them is skipped. */
  columns?: readonly string[];
  /** How problems name the source, e.g. `nvidia-smi --query-gpu` (default `nvidia-smi`). */
  what?: string;
  /** Number of the text's first line (default 1), for streams fed one line at a time. */
  firstLine?: number;
}

/** Splits a data line into trimmed cells. nvidia-smi does not quote cells. */
export function splitCsvLine(line: string): string[] {
  return line.split(',').map((c) => c.trim());
}

/** `memory.used [MiB]` → name `memory.used`, unit `MiB`. */
export function parseHeaderCell(text: string): CsvColumn {
  const m = /^(.*?)\s*\[([^\]]*)\]$/.exec(text.trim());
  return m ? { name: m[1]!, unit: m[2]! } : { name: text.trim() };
}

/** A quoted preview of a bad line for messages: long lines are cut, control characters shown. */
export function preview(text: string, max = 60): string {
  // eslint-disable-next-line no-control-regex
  const clean = text.replace(/[\u0000-\u001f\u007f]/g, '\uFFFD');
  return JSON.stringify(clean.length > max ? `${clean.slice(0, max)}…` : clean);
}

/** Parses a whole output; bad lines become problems and the other rows are kept. */
export function parseCsv(text: string, opts: ParseCsvOptions = {}): CsvTable {
  const what = opts.what ?? 'nvidia-smi';
  const lines = text.split(/\r?\n/);
  const first = opts.firstLine ?? 1;
  let columns: CsvColumn[] | undefined = opts.columns?.map((name) => ({ name }));
  const rows: CsvRow[] = [];
  const problems: string[] = [];
  lines.forEach((raw, i) => {
    if (raw.trim() === '') return;
    const line = first + i;
    const cells = splitCsvLine(raw);
    if (columns === undefined || (rows.length === 0 && isHeaderOf(cells, columns))) {
      const header = cells.map(parseHeaderCell);
      if (columns === undefined) columns = header;
      else columns = columns.map((c, k) => ({ ...c, ...header[k] }));
      return;
    }
    const problem = checkWidth(cells, columns.length, raw, `${what} line ${line}`);
    if (problem) problems.push(problem);
    else rows.push({ line, cells });
  });
  return { columns: columns ?? [], rows, problems };
}

/** A message when a line does not have one cell per column, else undefined. */
export function checkWidth(
  cells: readonly string[],
  width: number,
  raw: string,
  where: string,
): string | undefined {
  if (cells.length === width) return undefined;
  const what = cells.length < width ? 'truncated or garbled' : 'garbled';
  return `${where}: expected ${width} columns, got ${cells.length} (${what}): ${preview(raw)}`;
}

function isHeaderOf(cells: readonly string[], columns: readonly CsvColumn[]): boolean {
  return (
    cells.length === columns.length &&
    cells.every((c, i) => parseHeaderCell(c).name === columns[i]!.name)
  );
}

/** A cell is either text to interpret or nvidia-smi's word for "no value". */
export type Cell = { ok: true; text: string } | { ok: false; status: SampleStatus; raw: string };

const ABSENCE: ReadonlyMap<string, SampleStatus> = new Map([
  ['[n/a]', 'unsupported'],
  ['n/a', 'unsupported'],
  ['na', 'unsupported'],
  ['[not supported]', 'unsupported'],
  ['not supported', 'unsupported'],
  ['[insufficient permissions]', 'denied'],
  ['[unknown error]', 'error'],
  ['[requested functionality has been deprecated]', 'deprecated'],
  ['', 'missing'],
]);

/**
 * Sorts a cell into text or absence. Any other bracketed token (`[GPU requires reset]`,
 * `[GPU is lost]`, …) is nvidia-smi reporting a failure, so it is an error with its words kept.
 */
export function readCell(text: string): Cell {
  const t = text.trim();
  const status = ABSENCE.get(t.toLowerCase());
  if (status !== undefined) return { ok: false, status, raw: t };
  if (/^\[.*\]$/.test(t)) return { ok: false, status: 'error', raw: t };
  return { ok: true, text: t };
}

export interface NumberWithUnit {
  v: number;
  unit?: string;
}

/** `70.12 W` → 70.12 (unit `W`); `45` → 45. Undefined for anything that is not one number. */
export function parseNumber(text: string): NumberWithUnit | undefined {
  const m = /^([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)(?:\s*([A-Za-z%/]+))?$/.exec(text.trim());
  if (!m) return undefined;
  const v = Number(m[1]);
  if (!Number.isFinite(v)) return undefined;
  return m[2] === undefined ? { v } : { v, unit: m[2] };
}

/** `P0` → 0 … `P15` → 15. */
export function parsePstate(text: string): number | undefined {
  const m = /^P(\d{1,2})$/i.exec(text.trim());
  if (!m) return undefined;
  const p = Number(m[1]);
  return p <= 15 ? p : undefined;
}
