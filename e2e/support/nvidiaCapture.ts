/**
 * Reads a `nvidia-smi --query-gpu … --format=csv` capture the way a person would check the console
 * against it: cells by header name, numbers without their units.
 */
import { readFileSync } from 'node:fs';

export const H100_CAPTURE = new URL(
  '../fixtures/linux-x86_64__nvidia-h100-80gb-hbm3__590.48.01__load__query-gpu.csv',
  import.meta.url,
);

export type CaptureRow = Map<string, string>;

/** One map per GPU row, keyed by header without the unit: `memory.used [MiB]` → `memory.used`. */
export function readCapture(file: URL): CaptureRow[] {
  const [header, ...rows] = readFileSync(file, 'utf8').trim().split(/\r?\n/);
  const names = header!.split(', ').map((h) => h.replace(/ \[.*\]$/, ''));
  return rows.map((row) => {
    const cells = row.split(', ');
    return new Map(names.map((n, i) => [n, cells[i] ?? '']));
  });
}

/** "631.95 W" → 631.95; "[N/A]" → NaN. */
export function numberIn(cell: string | undefined): number {
  return Number.parseFloat(cell ?? '');
}
