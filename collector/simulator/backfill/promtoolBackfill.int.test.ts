import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { BLOCK_MS, backfillEngineHistory } from './promtoolBackfill.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** `promtool tsdb list` rows: block min/max time (ms), samples, series. */
function listBlocks(
  dataDir: string,
): { min: number; max: number; samples: number; series: number }[] {
  const text = execFileSync('promtool', ['tsdb', 'list', dataDir], { encoding: 'utf8' });
  return text
    .trim()
    .split('\n')
    .slice(1)
    .map((row) => row.trim().split(/\s+/))
    .map((c) => ({ min: +c[1]!, max: +c[2]!, samples: +c[4]!, series: +c[6]! }));
}

describe('backfillEngineHistory', () => {
  it('writes the simulated history into 2-hour TSDB blocks with the real promtool', async () => {
    const root = mkdtempSync(join(tmpdir(), 'osprey-backfill-'));
    dirs.push(root);
    const dataDir = join(root, 'data');
    // 4 h from 1 h past a block boundary: three block windows (1 h, 2 h, 1 h).
    const fromMs = 20_000 * BLOCK_MS + 3_600_000;
    const toMs = fromMs + 4 * 3_600_000;
    const report = await backfillEngineHistory({
      engines: 2,
      framework: 'vllm',
      names: 'old',
      stepMs: 60_000,
      seed: 3,
      dataDir,
      fromMs,
      toMs,
    });
    expect(report.engines).toBe(2);
    expect(report.blocks).toBe(3);
    const blocks = listBlocks(dataDir).sort((a, b) => a.min - b.min);
    expect(blocks).toHaveLength(3);
    expect(blocks[0]!.min).toBe(fromMs);
    expect(blocks.at(-1)!.max).toBe(toMs - 60_000 + 1);
    for (const b of blocks)
      expect(Math.floor(b.min / BLOCK_MS)).toBe(Math.floor((b.max - 1) / BLOCK_MS));
    expect(blocks.reduce((a, b) => a + b.samples, 0)).toBe(report.samples);
    // 240 one-minute scrapes of every series, 120 of them in the middle block.
    expect(blocks[1]!.series * 240).toBe(report.samples);
    expect(blocks[1]!.samples * 2).toBe(report.samples);
    // The OpenMetrics files are gone once promtool has read them.
    expect(readdirSync(root)).toEqual(['data']);
  });

  it('names the file and promtool’s complaint when promtool fails', async () => {
    const root = mkdtempSync(join(tmpdir(), 'osprey-backfill-'));
    dirs.push(root);
    await expect(
      backfillEngineHistory({
        engines: 1,
        framework: 'vllm',
        names: 'new',
        stepMs: 60_000,
        seed: 3,
        dataDir: join(root, 'data'),
        fromMs: 20_000 * BLOCK_MS,
        toMs: 20_000 * BLOCK_MS + 600_000,
        promtool: 'false',
      }),
    ).rejects.toThrow(/promtool on .*\.om exited with 1/);
  });
});
