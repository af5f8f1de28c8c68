/**
 * A recorded `nvidia-smi --query-gpu=… --format=csv` capture, and how to answer a different query
 * from it, pure. The capture is a header line then rows; consecutive rows form one sample block, and
 * a block ends where a GPU (by index, else UUID, else bus id) repeats or at a blank line. A row that
 * does not fit the header is kept verbatim, so a replay of a damaged capture shows the probe's
 * handling of damaged output.
 */
import { MAX_DEVICES } from '../../core/protocol/limits.js';
import { OVERLONG_LINE, textLines, type LineSource } from '../replayLines.js';
import { parseHeaderCell, splitCsvLine, type CsvColumn } from './csv.js';
import { canonicalFieldName, fieldOfName, type QueryKind } from './fields.js';

export type ReplayLine = { cells: string[] } | { raw: string };

export interface ReplayCapture {
  columns: CsvColumn[];
  blocks: ReplayLine[][];
  /** Why the text is not a capture (then columns and blocks are empty). */
  problem?: string;
}

const KNOWN_APPS_FIELDS = [
  'timestamp',
  'gpu_name',
  'gpu_bus_id',
  'gpu_serial',
  'gpu_uuid',
  'pid',
  'process_name',
  'used_gpu_memory',
];

export function readReplayCapture(text: string, kind: QueryKind = 'gpu'): ReplayCapture {
  const reader = new ReplayBlocks(textLines(text), kind);
  if (reader.problem !== undefined) return { columns: [], blocks: [], problem: reader.problem };
  return { columns: reader.columns, blocks: reader.onePass() };
}

/**
 * The capture's header, then its sample blocks one after another as they are asked for, read
 * from the source as it goes and started over after the last: only the current block is held,
 * whatever the size of the file (issue 10). A block holds at most MAX_DEVICES rows, the protocol's
 * bound, so a capture that never repeats a GPU is not one block as big as the file.
 */
export class ReplayBlocks {
  readonly columns: CsvColumn[] = [];
  /** Why the text is not a capture (then there are no blocks). */
  readonly problem?: string;
  private readonly keyAt: number | undefined;
  private walk: Iterator<string> | undefined;
  /** The row that ended the last block by repeating a GPU: it opens the next one. */
  private pending: { line: ReplayLine; key?: string } | undefined;
  private index = -1;
  private current: ReplayLine[] = [];
  private any = false;

  constructor(
    private readonly source: LineSource,
    private readonly kind: QueryKind = 'gpu',
  ) {
    const header = this.open();
    if (header === undefined) {
      this.problem = 'the capture is empty';
      return;
    }
    const columns = splitCsvLine(header).map(parseHeaderCell);
    if (!columns.some((c) => isKnown(c.name, kind))) {
      this.problem = `the first line is not a --format=csv header of --query-${kind}: it names no known field`;
      this.close();
      return;
    }
    this.columns = columns;
    this.keyAt = ['index', 'uuid', 'pci.bus_id']
      .map((k) => columns.findIndex((c) => canonicalFieldName(c.name, kind) === k))
      .find((i) => i >= 0);
  }

  /**
   * The n-th block of the endless sequence (block 0, 1, … the last, then 0 again …), or undefined
   * when the capture holds none. Asking for the current or the next block costs one block's read.
   */
  block(n: number): ReplayLine[] | undefined {
    if (this.problem !== undefined) return undefined;
    if (n < this.index) {
      this.index = -1;
      this.open();
    }
    while (this.index < n) {
      let next = this.nextBlock();
      if (next === undefined) {
        if (!this.any) return undefined;
        this.open();
        next = this.nextBlock();
        if (next === undefined) return undefined;
      }
      this.any = true;
      this.current = next;
      this.index++;
    }
    return this.current;
  }

  /** Every block of one pass, from a fresh walk (for small captures and counting). */
  onePass(): ReplayLine[][] {
    const fresh = new ReplayBlocks(this.source, this.kind);
    const blocks: ReplayLine[][] = [];
    for (let b = fresh.nextBlock(); b !== undefined; b = fresh.nextBlock()) blocks.push(b);
    return blocks;
  }

  /** How many blocks one pass holds (walks the whole source). */
  count(): number {
    const fresh = new ReplayBlocks(this.source, this.kind);
    let n = 0;
    while (fresh.nextBlock() !== undefined) n++;
    return n;
  }

  /** Starts a new walk and returns the header line, the first that is not blank or a comment. */
  private open(): string | undefined {
    this.close();
    this.walk = this.source()[Symbol.iterator]();
    this.pending = undefined;
    for (let r = this.walk.next(); !r.done; r = this.walk.next()) {
      if (!r.value.startsWith('#') && r.value.trim() !== '') return r.value;
    }
    this.close();
    return undefined;
  }

  private close(): void {
    this.walk?.return?.();
    this.walk = undefined;
  }

  private nextBlock(): ReplayLine[] | undefined {
    const walk = this.walk;
    if (walk === undefined) return undefined;
    const block: ReplayLine[] = [];
    const keys = new Set<string>();
    const add = (line: ReplayLine, key: string | undefined): void => {
      block.push(line);
      if (key !== undefined) keys.add(key);
    };
    if (this.pending) add(this.pending.line, this.pending.key);
    this.pending = undefined;
    for (let r = walk.next(); !r.done; r = walk.next()) {
      const raw = r.value;
      if (raw.startsWith('#')) continue;
      if (raw.trim() === '') {
        if (block.length > 0) return block;
        continue;
      }
      const cells = raw === OVERLONG_LINE ? [] : splitCsvLine(raw);
      if (cells.length !== this.columns.length) {
        block.push({ raw });
        continue;
      }
      const key = this.keyAt === undefined ? undefined : cells[this.keyAt]!;
      const repeats = key !== undefined && keys.has(key) && this.kind === 'gpu';
      if (repeats || block.length >= MAX_DEVICES) {
        this.pending = key === undefined ? { line: { cells } } : { line: { cells }, key };
        return block;
      }
      add({ cells }, key);
    }
    this.close();
    return block.length > 0 ? block : undefined;
  }
}

function isKnown(name: string, kind: QueryKind): boolean {
  if (kind === 'compute-apps') return KNOWN_APPS_FIELDS.includes(canonicalFieldName(name, kind));
  return fieldOfName(name) !== undefined || name === 'timestamp';
}

export interface Projection {
  header: string;
  render(line: ReplayLine): string;
}

type Source = { column: number; unit?: string } | 'n/a';

/**
 * Reorders the capture's columns into the requested ones, matched by name through aliases. A name
 * the capture lacks answers as nvidia-smi would on that driver: rejected when the capture holds
 * one of the field's other names (so the probe falls back to it), `[N/A]` when it holds none of
 * them, and rejected when the probe never asks for it. Returns the first rejected name instead.
 */
export function project(
  columns: readonly CsvColumn[],
  fields: readonly string[],
  kind: QueryKind,
  nounits: boolean,
): Projection | { invalid: string } {
  const find = (name: string): number =>
    columns.findIndex((c) => canonicalFieldName(c.name, kind) === canonicalFieldName(name, kind));
  const sources: Source[] = [];
  for (const name of fields) {
    const column = find(name);
    if (column >= 0) {
      const unit = columns[column]!.unit;
      sources.push(unit === undefined ? { column } : { column, unit });
      continue;
    }
    const field = kind === 'gpu' ? fieldOfName(name) : undefined;
    const known = field !== undefined || (kind === 'compute-apps' && isKnown(name, kind));
    const fallbackPresent = field?.names.some((n) => n !== name && find(n) >= 0) ?? false;
    if (!known || fallbackPresent) return { invalid: name };
    sources.push('n/a');
  }
  const header = fields
    .map((name, i) => {
      const s = sources[i]!;
      return s !== 'n/a' && s.unit !== undefined ? `${name} [${s.unit}]` : name;
    })
    .join(', ');
  const render = (line: ReplayLine): string => {
    if ('raw' in line) return line.raw;
    return sources
      .map((s) => {
        if (s === 'n/a') return '[N/A]';
        const cell = line.cells[s.column] ?? '';
        const suffix = ` ${s.unit}`;
        return nounits && s.unit !== undefined && cell.endsWith(suffix)
          ? cell.slice(0, -suffix.length)
          : cell;
      })
      .join(', ');
  };
  return { header, render };
}

/** What nvidia-smi prints (on stdout, exit code 2) for a field it does not know. */
export function invalidFieldMessage(name: string): string {
  return `Field "${name}" is not a valid field to query.\n\n`;
}
