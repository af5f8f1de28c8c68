import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** A real `--query-gpu --format=csv` capture of one H100 under load (see nvidia/fixtures/SOURCES.md). */
export const REPLAY_H100 = fileURLToPath(
  new URL(
    '../probes/nvidia/fixtures/linux-x86_64__nvidia-h100-80gb-hbm3__590.48.01__load__query-gpu.csv',
    import.meta.url,
  ),
);

/** The capture's cells by header name (units kept, as nvidia-smi printed them). */
export function captureCells(file: string): Map<string, string> {
  const [header, row] = readFileSync(file, 'utf8').trim().split('\n');
  const names = header!.split(', ');
  const values = row!.split(', ');
  return new Map(names.map((n, i) => [n, values[i] ?? '']));
}
