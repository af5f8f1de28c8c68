import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

import { canonicalArgs, createNpuReplayRunner, splitReplay } from './NpuReplayRunner.js';

const fixture = (name: string): string =>
  readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

const A2 = fixture('npu-smi-info_910B3_A2_4of8-visible_24.1.rc2_procs_vllm-ascend-issue1155.txt');
const A3 = fixture('npu-smi-info_A3_16chip_24.1.rc3.7_idle_vllm-ascend-issue2667.txt');
const DOC_910 = fixture(
  'mind-cluster-docs_npu_info_before_example_910-8card_23.0.5_info_health_ecc_board_usages.txt',
);

describe('createNpuReplayRunner', () => {
  it('answers `npu-smi info` with each table in turn, looping', async () => {
    const runner = createNpuReplayRunner(`$ npu-smi info\n${A2}${A3}`);
    const outputs = [];
    for (let i = 0; i < 5; i++) outputs.push((await runner.run('npu-smi', ['info'])).stdout);
    expect(outputs.map((o) => o.includes('910B3'))).toEqual([true, false, true, false, true]);
    expect(outputs[0]).toBe(A2);
    expect(outputs[1]).toBe(A3);
  });

  it('answers recorded -t sections in any flag order, and fails on the others', async () => {
    const usages =
      '# npu-smi info -t usages -i 4\nNPU ID : 4\nAicpu Usage Rate(%) : 3\nChip ID : 0\n';
    const runner = createNpuReplayRunner(`${A2}\n${usages}`);
    const hit = await runner.run('npu-smi', ['info', '-i', '4', '-t', 'usages']);
    expect(hit).toEqual({
      code: 0,
      stdout: 'NPU ID : 4\nAicpu Usage Rate(%) : 3\nChip ID : 0\n',
      stderr: '',
    });
    const miss = await runner.run('npu-smi', ['info', '-t', 'usages', '-i', '5']);
    expect(miss.code).toBe(1);
    expect(miss.stderr).toBe(
      'npu-smi replay: the replay file has no "# npu-smi info -t usages -i 5" section\n',
    );
    // The section did not swallow or split the table: one block, answered every time.
    expect((await runner.run('npu-smi', ['info'])).stdout).toBe(A2);
    expect((await runner.run('npu-smi', ['info'])).stdout).toBe(A2);
  });

  it('keeps the table of a capture bundle whole, commands and all', () => {
    const replay = splitReplay(DOC_910);
    expect(replay.infos).toHaveLength(1);
    expect(replay.infos[0]).toMatch(/^\+-+\+\n\| npu-smi 23\.0\.5 /);
    expect(replay.sections.size).toBe(0);
  });

  it('replays a file without any table as it is, so the probe can say what is wrong', async () => {
    const runner = createNpuReplayRunner('not an npu-smi capture\n');
    expect((await runner.run('npu-smi', ['info'])).stdout).toBe('not an npu-smi capture\n');
    expect(await createNpuReplayRunner('').run('npu-smi', ['info'])).toEqual({
      code: 0,
      stdout: '',
      stderr: '',
    });
  });

  it('answers only npu-smi: anything else is a missing executable', async () => {
    await expect(createNpuReplayRunner(A2).run('nvidia-smi', [])).rejects.toMatchObject({
      code: 'ENOENT',
    });
  });

  it('spells equivalent argument lists one way', () => {
    expect(canonicalArgs(['info', '-i', '0', '-c', '1', '-t', 'health'])).toBe(
      'info -t health -i 0 -c 1',
    );
    expect(canonicalArgs(['info'])).toBe('info');
  });
});
