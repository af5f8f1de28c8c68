import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { createNpuReplayRunner } from './ascend/NpuReplayRunner.js';
import { createNvidiaReplayRunner } from './nvidia/NvidiaReplayRunner.js';
import { fileLines, OVERLONG_LINE } from './replayLines.js';
import type { CommandRunner } from './types.js';

const dir = mkdtempSync(join(tmpdir(), 'osprey-replay-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const fixture = (path: string): string =>
  readFileSync(new URL(`./${path}`, import.meta.url), 'utf8');

let files = 0;
function file(text: string): string {
  const path = join(dir, `capture-${files++}`);
  writeFileSync(path, text);
  return path;
}

const H100 = fixture(
  'nvidia/fixtures/linux-x86_64__nvidia-h100-80gb-hbm3__590.48.01__load__query-gpu.csv',
);
const MALFORMED = fixture('nvidia/fixtures/malformed__h100-load-derived__query-gpu.csv');
const TINY = [
  'index, uuid, utilization.gpu [%], power.draw [W]',
  '0, GPU-a, 10, 100.5',
  '1, GPU-b, 20, 200.5',
  '# a comment',
  '0, GPU-a, 11, 101.5',
  '',
  '1, GPU-b, 21, 201.5',
  '0, GPU-a, 12, 102.5',
].join('\r\n');
const QUERY = ['--query-gpu=index,uuid,power.draw', '--format=csv,noheader,nounits'];

/** What a -lms stream prints for its first `blocks` blocks, lines and skipped lines in order. */
function streamed(runner: CommandRunner, blocks: number): Promise<string[]> {
  const seen: string[] = [];
  return new Promise((resolve) => {
    const stream = runner.spawnLines('nvidia-smi', [...QUERY, '-lms', '1'], {
      onLine: (l) => seen.push(l),
      onTooLong: (max) => seen.push(`(skipped: longer than ${max} bytes)`),
      onExit: (code, stderr) => {
        seen.push(`exit ${code} ${stderr}`);
        resolve(seen);
      },
    });
    let ticks = 0;
    const check = setInterval(() => {
      if (++ticks < blocks) return;
      clearInterval(check);
      stream.stop();
      resolve(seen);
    }, 1);
  });
}

describe('nvidia-smi replay from a file', () => {
  it.each([
    ['TINY', TINY],
    ['the H100 capture', H100],
    ['the malformed capture', MALFORMED],
    ['no header', 'hello world\n'],
    ['an empty file', ''],
  ])('answers %s block by block as it does from the text', async (_name, text) => {
    const fromText = createNvidiaReplayRunner(text);
    const fromFile = createNvidiaReplayRunner(fileLines(file(text)));
    expect(fromFile.blockCount).toBe(fromText.blockCount);
    expect(await fromFile.run('nvidia-smi', QUERY)).toEqual(
      await fromText.run('nvidia-smi', QUERY),
    );
    const a = await streamed(fromText, 7);
    const b = await streamed(fromFile, 7);
    // Both streams ran on their own timers: compare the common prefix, which covers a loop.
    const n = Math.min(a.length, b.length);
    expect(n).toBeGreaterThan(0);
    expect(b.slice(0, n)).toEqual(a.slice(0, n));
  });

  it('splits a capture that never repeats a GPU into blocks of at most 1,024 rows', () => {
    const rows = Array.from({ length: 3000 }, (_, i) => `${i}, GPU-${i}, 1, 2`);
    const runner = createNvidiaReplayRunner(
      fileLines(file([TINY.split('\r\n')[0], ...rows].join('\n'))),
    );
    expect(runner.blockCount).toBe(3);
  });

  it('skips a line longer than 64 KiB and says so, as the system runner does', async () => {
    const header = 'index, uuid, power.draw [W]';
    const text = [header, '0, GPU-a, 1', 'x'.repeat(100_000), '0, GPU-a, 2'].join('\n');
    const lines = [...fileLines(file(text))()];
    expect(lines).toEqual([header, '0, GPU-a, 1', OVERLONG_LINE, '0, GPU-a, 2']);
    const seen = await streamed(createNvidiaReplayRunner(fileLines(file(text))), 3);
    expect(seen.slice(0, 3)).toEqual([
      '0, GPU-a, 1',
      '(skipped: longer than 65536 bytes)',
      '0, GPU-a, 2',
    ]);
  });
});

describe('npu-smi replay from a file', () => {
  const A2 = fixture(
    'ascend/fixtures/npu-smi-info_910B3_A2_4of8-visible_24.1.rc2_procs_vllm-ascend-issue1155.txt',
  );
  const A3 = fixture(
    'ascend/fixtures/npu-smi-info_A3_16chip_24.1.rc3.7_idle_vllm-ascend-issue2667.txt',
  );
  const DOC = fixture(
    'ascend/fixtures/mind-cluster-docs_npu_info_before_example_910-8card_23.0.5_info_health_ecc_board_usages.txt',
  );
  const usages = '# npu-smi info -t usages -i 4\nNPU ID : 4\nAicpu Usage Rate(%) : 3\n\n\n';
  const calls = [
    ['info'],
    ['info', '-t', 'usages', '-i', '4'],
    ['info', '-t', 'health', '-i', '0', '-c', '0'],
    ['info', '-t', 'board', '-i', '0'],
    ['info', '-t', 'usages', '-i', '0'],
  ];

  it.each([
    ['two tables after a prompt', `$ npu-smi info\n${A2}${A3}`],
    ['a table and a section', `${A2}\n${usages}`],
    ['CRLF line ends', `${A3}${usages}`.replace(/\n/g, '\r\n')],
    ['the documentation example', DOC],
    ['no table', 'not an npu-smi capture\n'],
    ['an empty file', ''],
  ])('answers %s as it does from the text', async (_name, text) => {
    const fromText = createNpuReplayRunner(text);
    const fromFile = createNpuReplayRunner({ file: file(text) });
    for (let round = 0; round < 3; round++) {
      for (const args of calls) {
        expect(await fromFile.run('npu-smi', args)).toEqual(await fromText.run('npu-smi', args));
      }
    }
  });

  it('answers an output larger than 8 MB as a tool stopped for it', async () => {
    const big = `${A3}${'| padding |\n'.repeat(800_000)}`;
    const res = await createNpuReplayRunner({ file: file(big) }).run('npu-smi', ['info']);
    expect(res).toEqual({ code: null, stdout: '', stderr: '', exceededBytes: 8 * 1024 * 1024 });
  });
});
