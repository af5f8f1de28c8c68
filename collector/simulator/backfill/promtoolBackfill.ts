/**
 * Writes an EngineHistory into a Prometheus TSDB directory with the real
 * `promtool tsdb create-blocks-from openmetrics`, one 2-hour file at a time.
 *
 * Why 2-hour files, aligned to multiples of 2 h since the epoch: promtool 2.42 cuts blocks at
 * those boundaries and parses its whole input once for the time range plus once per block it
 * writes (cmd/promtool/backfill.go), so one aligned window per file means two parses, never
 * more, and no multi-GB temporary file. promtool costs ~3 times the simulation (≈5 µs of CPU per
 * sample: two parses, then a label-hash lookup per appended sample), so two of them digest earlier
 * windows while the next is simulated.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, mkdirSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';

import { EngineHistory, type EngineHistoryOptions } from './EngineHistory.js';

export const BLOCK_MS = 2 * 3600_000;
const PROMTOOLS = 2;

export interface BackfillOptions extends Omit<EngineHistoryOptions, 'startMs'> {
  /** The TSDB directory (`--storage.tsdb.path`); created if missing. */
  dataDir: string;
  /** Where the OpenMetrics files go while promtool reads them; default `<dataDir>.openmetrics`. */
  workDir?: string;
  fromMs: number;
  toMs: number;
  promtool?: string;
}

export interface BackfillReport {
  engines: number;
  samples: number;
  blocks: number;
  /** OpenMetrics text written and read, bytes. */
  bytes: number;
  /** Wall time spent simulating and writing text, ms (promtool runs meanwhile). */
  generateMs: number;
  totalMs: number;
}

/** Buffers many small strings into few writes. */
function fileWriter(path: string): { write(s: string): void; close(): number } {
  const fd = openSync(path, 'w');
  let parts: string[] = [];
  let size = 0;
  const flush = (): void => {
    if (parts.length > 0) writeSync(fd, parts.join(''));
    parts = [];
    size = 0;
  };
  return {
    write(s) {
      parts.push(s);
      size += s.length;
      if (size > 4 << 20) flush();
    },
    close() {
      flush();
      writeSync(fd, '# EOF\n');
      closeSync(fd);
      return statSync(path).size;
    },
  };
}

async function runPromtool(bin: string, file: string, dataDir: string): Promise<void> {
  const child = spawn(bin, ['tsdb', 'create-blocks-from', 'openmetrics', '-q', file, dataDir], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
  const [code] = (await once(child, 'exit')) as [number | null];
  rmSync(file, { force: true });
  if (code !== 0) throw new Error(`promtool on ${file} exited with ${code}: ${err.slice(-2000)}`);
}

export async function backfillEngineHistory(o: BackfillOptions): Promise<BackfillReport> {
  const started = performance.now();
  const workDir = o.workDir ?? `${o.dataDir}.openmetrics`;
  mkdirSync(o.dataDir, { recursive: true });
  mkdirSync(workDir, { recursive: true });
  const history = new EngineHistory({ ...o, startMs: o.fromMs });
  let samples = 0;
  let bytes = 0;
  let blocks = 0;
  let generateMs = 0;
  const pending: Promise<void>[] = [];
  try {
    while (history.nextMs < o.toMs) {
      const windowEnd = Math.min(o.toMs, (Math.floor(history.nextMs / BLOCK_MS) + 1) * BLOCK_MS);
      const file = join(workDir, `${history.nextMs}.om`);
      const t0 = performance.now();
      const out = fileWriter(file);
      samples += history.writeUntil(windowEnd, out.write);
      bytes += out.close();
      generateMs += performance.now() - t0;
      if (pending.length >= PROMTOOLS) await pending.shift();
      const run = runPromtool(o.promtool ?? 'promtool', file, o.dataDir);
      // Handled here so a failure while an earlier one is awaited is not an unhandled rejection;
      // it is thrown where this one is awaited.
      run.catch(() => undefined);
      pending.push(run);
      blocks++;
    }
    while (pending.length > 0) await pending.shift();
  } finally {
    // On failure the other promtools may still be reading; each removes its own file.
    await Promise.allSettled(pending);
    rmSync(workDir, { recursive: true, force: true });
  }
  return {
    engines: history.engines.length,
    samples,
    blocks,
    bytes,
    generateMs: Math.round(generateMs),
    totalMs: Math.round(performance.now() - started),
  };
}
