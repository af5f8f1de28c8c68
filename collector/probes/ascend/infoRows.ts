/**
 * The row reader behind parseInfoTable: walks `npu-smi info` line by line and returns its chip and
 * process rows. Rows are split on `|` and then on whitespace, never cut at fixed offsets, because
 * column widths differ by product and version (A2 `Chip`, A3 `Chip  Phy-ID`, 310P `Chip    Device`;
 * 310P has no HBM column). Each chip is two lines between `+` borders; what a line holds is read from
 * the header lines' column names, so a missing or extra column is noticed rather than shifted.
 */
import { errorCell, readNumber, readPair, valueTokens, type Cell, type Pair } from './cells.js';
import type { ParseProblem } from './cells.js';
import { BUS_ID, dataRowKind, splitRow } from './rowShape.js';

export interface ChipRow {
  npuId: number;
  /** Chip number within the card; undefined when the chip's second line is missing. */
  chip?: number;
  /** A3 `Phy-ID`, 310/310P `Device` (logic id): the second number before the Bus-Id. */
  secondId?: number;
  name: string;
  health: string;
  busId?: string;
  power: Cell;
  temp: Cell;
  aicore: Cell;
  /** `Memory-Usage(MB)` (DDR); undefined when the layout has no such column. */
  ddr?: Pair;
  /** `HBM-Usage(MB)`; undefined when the layout has no such column (310, 310P). */
  hbm?: Pair;
  /** Line number of the chip's first line. */
  line: number;
}

export interface ProcessRow {
  npuId: number;
  chip: number;
  pid: string;
  name: string;
  memory: Cell;
  line: number;
}

export interface InfoRows {
  /** The driver version from the `| npu-smi X   Version: Y |` line. */
  version?: string;
  chips: ChipRow[];
  processes: ProcessRow[];
  problems: ParseProblem[];
}

/** The 910B/A2 layout, assumed when the header lines are missing (truncated output). */
const TOP = ['Power(W)', 'Temp(C)', 'Hugepages-Usage(page)'];
const BOTTOM = ['AICore(%)', 'Memory-Usage(MB)', 'HBM-Usage(MB)'];

interface Columns {
  num(col: string): Cell;
  pair(col: string): Pair | undefined;
}

type Section = 'preamble' | 'chips' | 'processes' | 'stopped';

class RowReader {
  readonly out: InfoRows = { chips: [], processes: [], problems: [] };
  private section: Section = 'preamble';
  private top = TOP;
  private bottom = BOTTOM;
  private headerSeen = false;
  private tableSeen = false;
  /** The chip whose first line was read and whose second line is due; 'skip' after a bad first line. */
  private open: { row: ChipRow; second: boolean } | 'skip' | undefined;
  /** The last `|` or `+` line: npu-smi always ends its table with a border. */
  private lastTableLine = { line: 0, border: true };
  /** Non-table lines seen inside the table; problems only if table rows follow them. */
  private stray: ParseProblem[] = [];

  line(n: number, text: string): void {
    const s = text.trim();
    if (s === '' || this.section === 'stopped') return;
    if (!s.startsWith('|') && !s.startsWith('+')) {
      if (this.tableSeen) this.stray.push({ line: n, message: `unexpected text "${clip(s)}"` });
      return;
    }
    this.tableSeen = true;
    this.out.problems.push(...this.stray);
    this.stray = [];
    this.lastTableLine = { line: n, border: s.startsWith('+') };
    if (s.startsWith('+')) {
      if (this.section === 'chips') this.close();
      return;
    }
    const { cells, closed } = splitRow(s);
    if (!closed) this.problem(n, 'row is cut off (no closing "|")');
    this.row(n, cells);
  }

  finish(text: string): InfoRows {
    this.close();
    if (!this.lastTableLine.border && this.section !== 'stopped') {
      this.problem(
        this.lastTableLine.line,
        'the table ends without its border line (output cut short?)',
      );
    }
    if (!this.tableSeen && text.trim() !== '') {
      const first = text.trim().split(/\r?\n/, 1)[0] ?? '';
      this.problem(0, `no npu-smi table in the output (it begins "${clip(first)}")`);
    }
    return this.out;
  }

  private row(n: number, cells: string[]): void {
    const c0 = cells[0] ?? '';
    if (/^npu-smi\s/i.test(c0)) return this.versionRow(n, cells.join(' '));
    if (/^NPU\b/i.test(c0) && cells.some((c) => /process id/i.test(c))) {
      this.close();
      this.section = 'processes';
      return;
    }
    if (/^NPU\b/i.test(c0) && /\bName\b/i.test(c0)) {
      this.top = headerNames(cells[2]);
      this.section = 'chips';
      this.headerSeen = true;
      return;
    }
    if (/^Chip\b/i.test(c0) && this.section === 'chips' && this.out.chips.length === 0) {
      this.bottom = headerNames(cells[2]);
      return;
    }
    if (/^No running processes found/i.test(c0)) return;
    if (this.section === 'processes') return this.processRow(n, cells);
    if (this.section === 'preamble') {
      if (!/^\d/.test(c0)) return this.problem(n, `row before the column header: "${clip(c0)}"`);
      this.problem(n, 'no column header before the first NPU row; assuming the 910B layout');
      this.section = 'chips';
    }
    this.chipRow(n, cells);
  }

  private versionRow(n: number, text: string): void {
    if (this.headerSeen || this.out.chips.length > 0) {
      this.problem(n, 'a second npu-smi table starts here; only the first is read');
      this.close();
      this.section = 'stopped';
      return;
    }
    const m = /Version:\s*(\S+)/i.exec(text) ?? /^npu-smi\s+(\S+)/i.exec(text);
    if (m?.[1]) this.out.version = m[1];
  }

  private chipRow(n: number, cells: string[]): void {
    const kind = dataRowKind(cells);
    if (this.open === undefined) {
      if (kind === 'second') return this.problem(n, 'chip line without its NPU line above');
      return this.firstLine(n, cells);
    }
    if (this.open === 'skip') return;
    if (this.open.second || kind === 'first') {
      const before = this.open.row;
      this.problem(n, `NPU ${before.npuId} (line ${before.line}) is not closed by a border line`);
      this.close();
      return this.firstLine(n, cells);
    }
    this.secondLine(n, cells, this.open.row);
    this.open.second = true;
  }

  private firstLine(n: number, cells: string[]): void {
    const [id = '', ...name] = (cells[0] ?? '').split(/\s+/);
    if (!/^\d+$/.test(id)) {
      this.open = 'skip';
      return this.problem(n, `NPU id "${clip(id)}" is not a number`);
    }
    if (cells.length < 3)
      this.problem(n, `expected 3 cells (NPU Name, Health, values), found ${cells.length}`);
    const v = this.columns(n, cells[2], this.top);
    const row: ChipRow = {
      npuId: Number(id),
      name: name.join(' '),
      health: cells[1] ?? '',
      power: v.num('power(w)'),
      temp: v.num('temp(c)'),
      aicore: errorCell(),
      line: n,
    };
    this.out.chips.push(row);
    this.open = { row, second: false };
  }

  private secondLine(n: number, cells: string[], row: ChipRow): void {
    const [chip = '', second] = (cells[0] ?? '').split(/\s+/);
    if (!/^\d+$/.test(chip)) this.problem(n, `chip number "${clip(chip)}" is not a number`);
    else row.chip = Number(chip);
    if (second !== undefined && /^\d+$/.test(second)) row.secondId = Number(second);
    const bus = cells[1] ?? '';
    if (BUS_ID.test(bus)) row.busId = bus;
    const v = this.columns(n, cells[2], this.bottom);
    row.aicore = v.num('aicore(%)');
    row.ddr = v.pair('memory-usage(mb)');
    row.hbm = v.pair('hbm-usage(mb)');
  }

  private processRow(n: number, cells: string[]): void {
    const [npu = '', chip = ''] = (cells[0] ?? '').split(/\s+/);
    if (!/^\d+$/.test(npu) || !/^\d+$/.test(chip)) {
      return this.problem(n, `process row without NPU and chip numbers: "${clip(cells[0] ?? '')}"`);
    }
    if (cells.length < 4)
      this.problem(n, `expected 4 cells in a process row, found ${cells.length}`);
    const memory = cells[3] === undefined ? errorCell() : readNumber(cells[3]);
    const pid = cells[1] ?? '';
    this.out.processes.push({
      npuId: +npu,
      chip: +chip,
      pid,
      name: cells[2] ?? '',
      memory,
      line: n,
    });
  }

  /**
   * The cell's values by column name. A column the layout lacks is unsupported; a value lost to a
   * short row, or that is not a number, is an error and a problem naming the line.
   */
  private columns(n: number, cell: string | undefined, names: string[]): Columns {
    const tokens = valueTokens(cell ?? '');
    if (tokens.length !== names.length) {
      this.problem(
        n,
        `expected ${names.length} values (${names.join(', ')}), found ${tokens.length}`,
      );
    }
    const check = (col: string, c: Cell): Cell => {
      if (c.v === null && c.s === 'error' && c.raw !== '') {
        this.problem(n, `${col} value "${c.raw}" is not a number`);
      }
      return c;
    };
    const at = (col: string): number => names.findIndex((h) => h.toLowerCase() === col);
    return {
      num: (col) => {
        const i = at(col);
        if (i < 0) return { v: null, s: 'unsupported', raw: '' };
        return i < tokens.length ? check(names[i]!, readNumber(tokens[i])) : errorCell();
      },
      pair: (col) => {
        const i = at(col);
        if (i < 0) return undefined;
        if (i >= tokens.length) return { used: errorCell(), total: errorCell() };
        const p = readPair(tokens[i]);
        return { used: check(names[i]!, p.used), total: check(names[i]!, p.total) };
      },
    };
  }

  private close(): void {
    if (this.open !== undefined && this.open !== 'skip' && !this.open.second) {
      const { row } = this.open;
      this.problem(row.line, `NPU ${row.npuId} has no chip line (Bus-Id, AICore, memory)`);
    }
    this.open = undefined;
  }

  private problem(line: number, message: string): void {
    this.out.problems.push({ line, message });
  }
}

function headerNames(cell: string | undefined): string[] {
  return (cell ?? '').split(/\s+/).filter((t) => t !== '');
}

function clip(s: string): string {
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

export function readInfoRows(text: string): InfoRows {
  const reader = new RowReader();
  text.split(/\r?\n/).forEach((line, i) => reader.line(i + 1, line));
  return reader.finish(text);
}
