import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

import type { Sample } from '../../core/model.js';
import { parseInfoTable } from './infoTable.js';

const fixture = (name: string): string =>
  readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

const A2 = fixture('npu-smi-info_910B3_A2_4of8-visible_24.1.rc2_procs_vllm-ascend-issue1155.txt');
const A3 = fixture('npu-smi-info_A3_16chip_24.1.rc3.7_idle_vllm-ascend-issue2667.txt');
const DOC_910 = fixture(
  'mind-cluster-docs_npu_info_before_example_910-8card_23.0.5_info_health_ecc_board_usages.txt',
);
const MIB = 1_048_576;

function sample(samples: readonly Sample[], m: string, d: string): Sample | undefined {
  return samples.find((s) => s.m === m && s.d === d && s.l === undefined);
}

describe('parseInfoTable on the A2 (910B3) capture', () => {
  const t = parseInfoTable(A2);

  it('finds NPUs 4-7, one chip each, with name, bus id, driver and HBM capacity', () => {
    expect(t.problems).toEqual([]);
    expect(t.version).toBe('24.1.rc2');
    expect(t.devices.map((d) => d.id)).toEqual(['ascend:4', 'ascend:5', 'ascend:6', 'ascend:7']);
    expect(t.devices[2]).toEqual({
      id: 'ascend:6',
      vendor: 'ascend',
      index: 6,
      name: '910B3',
      driver: '24.1.rc2',
      pciBusId: '0000:41:00.0',
      memoryTotalBytes: 65536 * MIB,
    });
  });

  it('reads power, temperature, AICore and HBM as printed', () => {
    expect(sample(t.samples, 'device.power', 'ascend:6')?.v).toBe(100.0);
    expect(sample(t.samples, 'device.power', 'ascend:7')?.v).toBe(103.6);
    expect(sample(t.samples, 'device.temperature', 'ascend:5')?.v).toBe(53);
    expect(sample(t.samples, 'device.utilization', 'ascend:4')?.v).toBe(0);
    expect(sample(t.samples, 'device.health', 'ascend:4')?.v).toBe(0);
    // `13281/ 65536`: no space before the slash in this column.
    expect(sample(t.samples, 'device.memory.used', 'ascend:4')?.v).toBe(13281 * MIB);
    expect(sample(t.samples, 'device.memory.total', 'ascend:4')?.v).toBe(65536 * MIB);
    expect(sample(t.samples, 'device.memory.usage', 'ascend:6')?.v).toBeCloseTo(
      (3369 / 65536) * 100,
      9,
    );
  });

  it('reads the process table and skips the "No running processes" rows', () => {
    const procs = t.samples.filter((s) => s.m === 'process.device.memory.used');
    expect(procs).toEqual([
      {
        m: 'process.device.memory.used',
        v: 9963 * MIB,
        d: 'ascend:4',
        l: { pid: '17011', process: 'python' },
      },
      {
        m: 'process.device.memory.used',
        v: 9942 * MIB,
        d: 'ascend:5',
        l: { pid: '17544', process: 'python' },
      },
    ]);
  });
});

describe('parseInfoTable on the A3 capture (two chips per NPU id)', () => {
  const t = parseInfoTable(A3);

  it('makes one device per chip, keyed vendor:npu:chip', () => {
    expect(t.problems).toEqual([]);
    expect(t.devices).toHaveLength(16);
    expect(t.devices[1]).toMatchObject({
      id: 'ascend:0:1',
      index: 0,
      chip: 1,
      name: 'Ascend910',
      pciBusId: '0000:9F:00.0',
    });
    expect(t.chips[15]).toMatchObject({ id: 'ascend:7:1', npuId: 7, chip: 1, health: 'OK' });
  });

  it('takes "-" (the second chip power) as unsupported, never 0', () => {
    expect(sample(t.samples, 'device.power', 'ascend:0:0')?.v).toBe(178.9);
    expect(sample(t.samples, 'device.power', 'ascend:0:1')).toEqual({
      m: 'device.power',
      v: null,
      s: 'unsupported',
      raw: '-',
      d: 'ascend:0:1',
    });
    expect(sample(t.samples, 'device.temperature', 'ascend:7:1')?.v).toBe(37);
    expect(sample(t.samples, 'device.memory.used', 'ascend:7:1')?.v).toBe(3188 * MIB);
  });
});

describe('parseInfoTable on the 23.0.5 documentation example (910, HBM and DDR)', () => {
  const t = parseInfoTable(DOC_910);

  it('uses HBM (0 of 32768 MB), not DDR (920 of 13553 MB), as device memory', () => {
    expect(sample(t.samples, 'device.memory.used', 'ascend:0')?.v).toBe(0);
    expect(t.devices[0]?.memoryTotalBytes).toBe(32768 * MIB);
    expect(sample(t.samples, 'device.power', 'ascend:7')?.v).toBe(67.0);
  });

  it('reports the rows the doc elided with "..." by line, and keeps the rest', () => {
    expect(t.devices.map((d) => d.id)).toEqual(['ascend:0', 'ascend:7']);
    expect(t.problems).toEqual([
      { line: 11, message: 'unexpected text "..."' },
      { line: 21, message: 'unexpected text "..."' },
    ]);
  });
});

// Hand-built, not a capture: no real 310P output is in the fixture set. The layout (the `Chip
// Device` column, no HBM column, `NA` power) is the documented one of reference/contracts.md §4.1;
// the Duo card repeats its NPU id on each of its two chips.
const P310_HAND_BUILT = `+--------------------------------------------------------------------------------------------------------+
| npu-smi 23.0.0                                   Version: 23.0.0                                       |
+-------------------------------+-----------------+------------------------------------------------------+
| NPU     Name                  | Health          | Power(W)     Temp(C)           Hugepages-Usage(page) |
| Chip    Device                | Bus-Id          | AICore(%)    Memory-Usage(MB)                        |
+===============================+=================+======================================================+
| 6       310P3                 | OK              | NA           50                0     / 0             |
| 0       0                     | 0000:84:00.0    | 0            1839 / 21525                            |
+===============================+=================+======================================================+
| 8       310P3                 | OK              | NA           51                0     / 0             |
| 0       1                     | 0000:01:00.0    | 3            1615 / 44278                            |
+-------------------------------+-----------------+------------------------------------------------------+
| 8       310P3                 | Warning         | NA           52                0     / 0             |
| 1       2                     | 0000:01:00.0    | 0            1322 / 43693                            |
+===============================+=================+======================================================+
+-------------------------------+-----------------+------------------------------------------------------+
| NPU     Chip                  | Process id      | Process name             | Process memory(MB)        |
+===============================+=================+======================================================+
| 8       1                     | 4242            | mindie_llm_back          | 912                       |
+===============================+=================+======================================================+
`;

describe('parseInfoTable on the 310P layout (hand-built from the documented layout)', () => {
  const t = parseInfoTable(P310_HAND_BUILT);

  it('reads DDR Memory-Usage as device memory and NA power as unsupported', () => {
    expect(t.problems).toEqual([]);
    expect(t.devices[0]).toMatchObject({
      id: 'ascend:6',
      name: '310P3',
      memoryTotalBytes: 21525 * MIB,
    });
    expect(sample(t.samples, 'device.memory.used', 'ascend:6')?.v).toBe(1839 * MIB);
    expect(sample(t.samples, 'device.power', 'ascend:6')).toMatchObject({
      v: null,
      s: 'unsupported',
      raw: 'NA',
    });
  });

  it('splits a Duo card into two chips and maps Warning to 1', () => {
    expect(t.devices.map((d) => d.id)).toEqual(['ascend:6', 'ascend:8:0', 'ascend:8:1']);
    expect(sample(t.samples, 'device.utilization', 'ascend:8:0')?.v).toBe(3);
    expect(sample(t.samples, 'device.health', 'ascend:8:1')?.v).toBe(1);
    const proc = t.samples.find((s) => s.m === 'process.device.memory.used');
    expect(proc).toMatchObject({ v: 912 * MIB, d: 'ascend:8:1', l: { pid: '4242' } });
  });
});

describe('parseInfoTable on bad input', () => {
  const lines = A2.split('\n');

  it('keeps the chips before a cut-off row and names the line', () => {
    // Cut in the middle of NPU 6's chip line (line 14), as a killed npu-smi would leave it.
    const cut = [
      ...lines.slice(0, 13),
      '| 0                         | 0000:41:00.0  | 0           0    / 0',
    ];
    const t = parseInfoTable(cut.join('\n'));
    expect(t.devices.map((d) => d.id)).toEqual(['ascend:4', 'ascend:5', 'ascend:6']);
    expect(t.problems).toEqual([
      { line: 14, message: 'row is cut off (no closing "|")' },
      {
        line: 14,
        message: 'expected 3 values (AICore(%), Memory-Usage(MB), HBM-Usage(MB)), found 2',
      },
      { line: 14, message: 'the table ends without its border line (output cut short?)' },
    ]);
    expect(sample(t.samples, 'device.power', 'ascend:6')?.v).toBe(100.0);
    expect(sample(t.samples, 'device.memory.used', 'ascend:6')).toMatchObject({
      v: null,
      s: 'error',
    });
    expect(sample(t.samples, 'device.memory.used', 'ascend:5')?.v).toBe(13260 * MIB);
  });

  it('names a garbled value and a garbled NPU id, and parses the other rows', () => {
    const bad = [...lines];
    bad[9] = bad[9]!.replace('95.7', '9#.7');
    bad[12] = bad[12]!.replace('| 6 ', '| ? ');
    const t = parseInfoTable(bad.join('\n'));
    expect(t.problems).toEqual([
      { line: 10, message: 'Power(W) value "9#.7" is not a number' },
      { line: 13, message: 'NPU id "?" is not a number' },
    ]);
    expect(t.devices.map((d) => d.id)).toEqual(['ascend:4', 'ascend:5', 'ascend:7']);
    expect(sample(t.samples, 'device.power', 'ascend:5')).toMatchObject({
      v: null,
      s: 'error',
      raw: '9#.7',
    });
    expect(sample(t.samples, 'device.temperature', 'ascend:5')?.v).toBe(53);
  });

  it('says when a chip line is missing', () => {
    const t = parseInfoTable(lines.filter((_, i) => i !== 10).join('\n'));
    expect(t.problems).toEqual([
      { line: 10, message: 'NPU 5 has no chip line (Bus-Id, AICore, memory)' },
    ]);
    expect(sample(t.samples, 'device.power', 'ascend:5')?.v).toBe(95.7);
    expect(sample(t.samples, 'device.utilization', 'ascend:5')).toMatchObject({
      v: null,
      s: 'error',
    });
  });

  it('reports text that is no table at all, and nothing for empty output', () => {
    const t = parseInfoTable('dcmi module initialize failed. ret is -8005\n');
    expect(t.devices).toEqual([]);
    expect(t.problems).toEqual([
      {
        line: 0,
        message:
          'no npu-smi table in the output (it begins "dcmi module initialize failed. ret is -8005")',
      },
    ]);
    expect(parseInfoTable('\n')).toMatchObject({ devices: [], problems: [] });
  });

  it('reads only the first of two concatenated tables', () => {
    const t = parseInfoTable(A2 + A3);
    expect(t.devices).toHaveLength(4);
    expect(t.problems[0]?.message).toBe(
      'a second npu-smi table starts here; only the first is read',
    );
    // A2 ends with a newline, so its last (empty) element is where A3's border goes: line 30; the
    // `| npu-smi` row follows on line 31.
    expect(t.problems[0]?.line).toBe(lines.length + 1);
  });

  it('reads CRLF output like LF output', () => {
    expect(parseInfoTable(A2.replace(/\n/g, '\r\n')).samples).toEqual(parseInfoTable(A2).samples);
  });
});
