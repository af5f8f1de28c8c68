/**
 * The probe's first nvidia-smi run: is there a driver and a GPU, and which field names does this
 * driver take? It asks for every name of every field at once; each rejected name ("Field … is not a
 * valid field to query") is dropped and the run repeated, at most once per name. Then each field
 * keeps its first name that holds a value on some GPU (else its first accepted name), and the
 * long-lived stream asks for those only.
 */
import { isNotFound, type CommandRunner } from '../types.js';
import { parseCsv, readCell, type CsvTable } from './csv.js';
import { allQueryNames, QUERY_FIELDS } from './fields.js';
import { type Layout } from './gpuRow.js';
import { classifyFailure, rejectedField } from './smiErrors.js';

export const NVIDIA_SMI = 'nvidia-smi';

export function queryArgs(names: readonly string[]): string[] {
  return [`--query-gpu=${names.join(',')}`, '--format=csv,noheader,nounits'];
}

export type Detection =
  | { state: 'absent' | 'error'; message: string }
  | {
      state: 'ok';
      /** The layout of `table` (every accepted name), to read its rows. */
      tableLayout: Layout;
      table: CsvTable;
      /** Names the driver rejected, in the order it did. */
      rejected: string[];
      /** Field key → chosen name, for the stream. */
      chosen: Map<string, string | undefined>;
    };

export async function detect(runner: CommandRunner, timeoutMs: number): Promise<Detection> {
  let names = allQueryNames();
  const rejected: string[] = [];
  for (;;) {
    let res;
    try {
      res = await runner.run(NVIDIA_SMI, queryArgs(names), { timeoutMs });
    } catch (error) {
      if (isNotFound(error)) return { state: 'absent', message: 'nvidia-smi not found' };
      return { state: 'error', message: `nvidia-smi could not run: ${(error as Error).message}` };
    }
    if (res.code === 0) {
      const table = parseCsv(res.stdout, { columns: names, what: 'nvidia-smi --query-gpu' });
      if (table.rows.length === 0 && table.problems.length === 0) {
        return { state: 'absent', message: 'nvidia-smi lists no GPUs' };
      }
      const chosen = chooseNames(names, table);
      return { state: 'ok', tableLayout: { columns: names, chosen }, table, rejected, chosen };
    }
    const field = rejectedField(`${res.stdout}\n${res.stderr}`);
    if (field === undefined || !names.includes(field)) return classifyFailure(res, timeoutMs);
    rejected.push(field);
    names = names.filter((n) => n !== field);
  }
}

/** Field key → the first accepted name with a value on some GPU, else the first accepted name. */
export function chooseNames(
  accepted: readonly string[],
  table: CsvTable,
): Map<string, string | undefined> {
  const hasValue = (name: string): boolean => {
    const i = accepted.indexOf(name);
    return table.rows.some((r) => readCell(r.cells[i] ?? '').ok);
  };
  const chosen = new Map<string, string | undefined>();
  for (const field of QUERY_FIELDS) {
    const names = field.names.filter((n) => accepted.includes(n));
    chosen.set(field.key, names.find(hasValue) ?? names[0]);
  }
  return chosen;
}
