/**
 * A recorded `nvidia-smi --query-gpu=… --format=csv` capture, and how to answer a different query
 * from it, pure. The capture is a header line then rows; consecutive rows form one sample block, and
 * a block ends where a GPU (by index, else UUID, else bus id) repeats or at a blank line. A row that
 * does not fit the header is kept verbatim, so a replay of a damaged capture shows the probe's
 * handling of damaged output.
 */
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
  const lines = text.split(/\r?\n/).filter((l) => !l.startsWith('#'));
  const start = lines.findIndex((l) => l.trim() !== '');
  if (start < 0) return { columns: [], blocks: [], problem: 'the capture is empty' };
  const columns = splitCsvLine(lines[start]!).map(parseHeaderCell);
  if (!columns.some((c) => isKnown(c.name, kind))) {
    const problem = `the first line is not a --format=csv header of --query-${kind}: it names no known field`;
    return { columns: [], blocks: [], problem };
  }
  const keyAt = ['index', 'uuid', 'pci.bus_id']
    .map((k) => columns.findIndex((c) => canonicalFieldName(c.name, kind) === k))
    .find((i) => i >= 0);
  const blocks: ReplayLine[][] = [];
  let block: ReplayLine[] = [];
  let keys = new Set<string>();
  const close = (): void => {
    if (block.length > 0) blocks.push(block);
    block = [];
    keys = new Set();
  };
  for (const raw of lines.slice(start + 1)) {
    if (raw.trim() === '') {
      close();
      continue;
    }
    const cells = splitCsvLine(raw);
    if (cells.length !== columns.length) {
      block.push({ raw });
      continue;
    }
    const key = keyAt === undefined ? undefined : cells[keyAt]!;
    if (key !== undefined && keys.has(key) && kind === 'gpu') close();
    if (key !== undefined) keys.add(key);
    block.push({ cells });
  }
  close();
  return { columns, blocks };
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
