import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { DiagnoseError } from './diagnoseInput.js';
import { commandLine, readNpuSmi, readNvidiaSmi, smiTimestamp } from './diagnoseTools.js';

const NVIDIA = join(import.meta.dirname, '../probes/nvidia/fixtures');
const ASCEND = join(import.meta.dirname, '../probes/ascend/fixtures');
const H100 = 'linux-x86_64__nvidia-h100-80gb-hbm3__590.48.01__load__query-gpu.csv';
const H100_FAULTS = 'derived__h100-load__faults__query-gpu.csv';
const NOW = Date.UTC(2026, 11, 3);

function lines(dir: string, file: string): string[] {
  return readFileSync(join(dir, file), 'utf8').split(/\r?\n/);
}

function failure(work: () => unknown): string {
  try {
    work();
  } catch (error) {
    expect(error).toBeInstanceOf(DiagnoseError);
    return (error as Error).message;
  }
  throw new Error('no error');
}

describe('diagnose: nvidia-smi capture', () => {
  it('names the GPU as the capture does: UUID, index, model, driver, VBIOS, bus id', () => {
    const read = readNvidiaSmi('h100.csv', lines(NVIDIA, H100), NOW);
    // The capture's own cells (uuid, index, name, driver_version, vbios_version, pci.bus_id).
    expect(read.devices).toEqual([
      {
        id: 'GPU-00000000-0000-0000-0000-000000000000',
        vendor: 'nvidia',
        index: 0,
        model: 'NVIDIA H100 80GB HBM3',
        driver: '590.48.01',
        firmware: '96.00.A5.00.01',
        pciBusId: '00000000:00:09.0',
      },
    ]);
    // Healthy under load: width 16 of 16, gen 5 of 5, no ECC, no remap, cap 700 W = default,
    // 631.95 W of 700 W, 59 °C, clock-event mask 0: the value rules' signals are all-clears.
    expect(read.signals.length).toBeGreaterThan(0);
    expect(read.signals.filter((s) => s.ok !== true)).toEqual([]);
    expect(read.notes).toEqual([]);
  });

  it('gives the health poller’s signals for the cells that report a fault, at the capture’s time', () => {
    const read = readNvidiaSmi('faults.csv', lines(NVIDIA, H100_FAULTS), NOW);
    const faults = read.signals.filter((s) => s.ok !== true);
    const facts = faults.map(
      (s) => `${s.kind}/${s.code}=${s.value}${s.limit === undefined ? '' : `/${s.limit}`}`,
    );
    // The seven cells SOURCES.md says were edited: width 8 of 16, 2 uncorrected ECC (volatile and
    // aggregate), 1 uncorrectable remapped row, a remap pending, the power limit 500 of 700 W.
    // (the uncorrected ECC count comes from both the health query and the fast stream's value)
    expect([...new Set(facts)].sort()).toEqual(
      [
        'ecc/uncorrected.aggregate=2',
        'ecc/uncorrected.volatile=2',
        'pcie-link/width=8/16',
        'power/cap-below-default=500/700',
        // the row's draw, 631.95 W, left as it was, is now above the edited 500 W limit
        'power/at-limit=631.95/500',
        'remap/pending=1',
        'remap/uncorrectable=1',
      ].sort(),
    );
    // The row's timestamp cell is 2026/07/14 08:12:53.353 (local time, as nvidia-smi prints it).
    expect(new Set(faults.map((s) => s.ts))).toEqual(
      new Set([new Date(2026, 6, 14, 8, 12, 53, 353).getTime()]),
    );
    expect(new Set(faults.map((s) => s.device))).toEqual(
      new Set(['GPU-00000000-0000-0000-0000-000000000000']),
    );
  });

  it('reads nvidia-smi’s timestamp cell', () => {
    expect(smiTimestamp('2026/07/14 08:12:53.353')).toBe(
      new Date(2026, 6, 14, 8, 12, 53, 353).getTime(),
    );
    expect(smiTimestamp('[N/A]')).toBeUndefined();
  });

  it('reads an nvidia-smi -q -x log: the GPU and its replay counter and pending remap', () => {
    const read = readNvidiaSmi(
      'a10g.xml',
      lines(NVIDIA, 'derived__a10g__replay-12_remap-pending.xml'),
      NOW,
    );
    // <gpu id>, <product_name>, <uuid>, <driver_version> of the log.
    expect(read.devices).toEqual([
      {
        id: 'GPU-9a9a6c50-2a47-2f51-a902-b82c3b127e94',
        vendor: 'nvidia',
        index: 0,
        model: 'NVIDIA A10G',
        driver: '515.105.01',
        pciBusId: '00000000:00:1E.0',
      },
    ]);
    // The two values SOURCES.md says were edited: <replay_counter> 12, <remapped_row_pending> Yes.
    expect(read.signals.map((s) => [s.kind, s.code, s.value, s.pci]).sort()).toEqual([
      ['pcie-link', 'replay', 12, '0000:00:1e'],
      ['remap', 'pending', 1, '0000:00:1e'],
    ]);
  });

  it('refuses nvidia-smi -q text and other text, naming the file and what to give', () => {
    const q = ['', '==============NVSMI LOG==============', '', 'Timestamp : Thu Dec  3'];
    expect(failure(() => readNvidiaSmi('q.txt', q, NOW))).toMatch(
      /^q\.txt: this is `nvidia-smi -q` output; give `nvidia-smi -q -x`, or the CSV of `nvidia-smi --query-gpu=index,uuid,name,pci\.bus_id/,
    );
    expect(failure(() => readNvidiaSmi('q.xml', ['<?xml version="1.0" ?>'], NOW))).toMatch(
      /^q\.xml: not an `nvidia-smi -q -x` log \(no <nvidia_smi_log> element\)/,
    );
    expect(failure(() => readNvidiaSmi('x.csv', ['', 'hello, world'], NOW))).toMatch(
      /^x\.csv line 2: not an nvidia-smi CSV header with an `index` column \("hello, world"\)/,
    );
    expect(failure(() => readNvidiaSmi('-', [''], NOW))).toMatch(/^standard input: empty/);
  });

  it('says when kernel lines cannot be matched for want of a pci.bus_id column', () => {
    const read = readNvidiaSmi('few.csv', ['index, uuid, name', '0, GPU-1, NVIDIA A100'], NOW);
    expect(read.devices.map((d) => d.id)).toEqual(['GPU-1']);
    expect(read.notes).toEqual([
      'few.csv: no pci.bus_id column, so kernel lines (which name GPUs by PCI address) cannot be ' +
        'matched to these GPUs; add pci.bus_id to --query-gpu',
    ]);
  });
});

describe('diagnose: npu-smi output', () => {
  it('names the chips of an `npu-smi info` table with their bus ids and driver', () => {
    const file = 'npu-smi-info_910B3_A2_4of8-visible_24.1.rc2_procs_vllm-ascend-issue1155.txt';
    const read = readNpuSmi('npu.txt', lines(ASCEND, file), NOW);
    // NPUs 4–7, 910B3, buses 01, 02, 41, 42, npu-smi 24.1.rc2 (the table's own cells).
    expect(read.devices.map((d) => [d.index, d.model, d.pciBusId, d.driver])).toEqual([
      [4, '910B3', '0000:01:00.0', '24.1.rc2'],
      [5, '910B3', '0000:02:00.0', '24.1.rc2'],
      [6, '910B3', '0000:41:00.0', '24.1.rc2'],
      [7, '910B3', '0000:42:00.0', '24.1.rc2'],
    ]);
    // Health OK and 52–54 °C on every chip: the value rules' signals are all-clears.
    expect(read.signals.length).toBeGreaterThan(0);
    expect(read.signals.filter((s) => s.ok !== true)).toEqual([]);
    expect(read.signals.filter((s) => s.kind === 'npu-health').map((s) => s.device)).toEqual([
      'ascend:4',
      'ascend:5',
      'ascend:6',
      'ascend:7',
    ]);
  });

  it('reads `-t health` outputs after their pasted command lines (mind-cluster’s example)', () => {
    const file =
      'mind-cluster-docs_npu_info_before_example_910-8card_23.0.5_info_health_ecc_board_usages.txt';
    const read = readNpuSmi('before.txt', lines(ASCEND, file), NOW);
    expect(read.devices.map((d) => [d.id, d.pciBusId])).toEqual([
      ['ascend:0', '0000:61:00.0'],
      ['ascend:7', '0000:3D:00.0'],
    ]);
    // `npu-smi info -i 0 -c 0 -t health`: Health Status OK, Error Code NA; ECC counts 0.
    expect(read.signals.filter((s) => s.ok !== true)).toEqual([]);
  });

  it('a chip in Alarm with an error code: npu-health and npu-fault signals on that NPU', () => {
    const file = 'derived__910-23.0.5__health-alarm-80E24E00.txt';
    const bare = readNpuSmi('alarm.txt', lines(ASCEND, file), NOW);
    // Health Status Alarm (level 2 of npu-smi's OK/Warning/Alarm/Critical), Error Code 80E24E00.
    expect(bare.signals.map((s) => [s.kind, s.code, s.device, s.value])).toEqual([
      ['npu-health', 'health', 'ascend:0', 2],
      ['npu-fault', '0x80E24E00', 'ascend:0', undefined],
    ]);
    expect(bare.notes).toEqual([
      'alarm.txt: no NPU ID in the health output; called NPU 0 (paste its command line too: ' +
        '`npu-smi info -t health -i N`)',
    ]);
    const pasted = ['$ npu-smi info -t health -i 3', ...lines(ASCEND, file)];
    const read = readNpuSmi('alarm.txt', pasted, NOW);
    expect(read.signals.map((s) => s.device)).toEqual(['ascend:3', 'ascend:3']);
    expect(read.notes).toEqual([]);
  });

  it('turns a pasted command line into the replay format’s section line', () => {
    expect(commandLine('/usr/local/bin/npu-smi info -i 0 -c 0 -t health')).toBe(
      '# npu-smi info -i 0 -c 0 -t health',
    );
    expect(commandLine('[root@node ~]# npu-smi info -t health -i 3')).toBe(
      '# npu-smi info -t health -i 3',
    );
    expect(commandLine('| npu-smi 24.1.rc2   Version: 24.1.rc2 |')).toBe(
      '| npu-smi 24.1.rc2   Version: 24.1.rc2 |',
    );
  });

  it('refuses text that is neither, naming the file', () => {
    expect(failure(() => readNpuSmi('x.txt', ['hello'], NOW))).toMatch(
      /^x\.txt: neither an `npu-smi info` table nor `npu-smi info -t health -i N` output/,
    );
  });
});
