import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

import { metricDef } from '../../core/catalog.js';
import type { Sample } from '../../core/model.js';
import { keyMeaning, METRIC_ALIASES } from './aliases.js';
import { parseInfoT } from './infoT.js';

const fixture = (name: string): string =>
  readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

const DOC_910 = fixture(
  'mind-cluster-docs_npu_info_before_example_910-8card_23.0.5_info_health_ecc_board_usages.txt',
);
const ENV_910A = fixture('npu_info_before_910A_npu-smi-m_hccn_tool.txt');
const MIB = 1_048_576;

/** The output recorded under one command line of a capture bundle, up to the next command. */
function section(bundle: string, command: string): string {
  const lines = bundle.split('\n');
  const start = lines.indexOf(command);
  if (start < 0) throw new Error(`no "${command}" in the fixture`);
  const rest = lines.slice(start + 1);
  const end = rest.findIndex((l) => l.startsWith('/usr/local/') || l.startsWith('lspci'));
  return rest.slice(0, end < 0 ? undefined : end).join('\n');
}

const value = (samples: readonly Sample[], m: string): Sample | undefined =>
  samples.find((s) => s.m === m);

describe('parseInfoT on real -t outputs', () => {
  it('reads 910A `-t usages`: HBM capacity and rates, tab-indented keys', () => {
    const r = parseInfoT(section(ENV_910A, '/usr/local/bin/npu-smi info -i 0 -t usages'));
    expect(r.problems).toEqual([]);
    expect(r.unknownCount).toBe(0);
    expect(r.chips).toHaveLength(1);
    const [chip] = r.chips;
    expect(chip).toMatchObject({ npuId: 0, chipId: 0 });
    expect(value(chip!.samples, 'device.memory.total')?.v).toBe(31129 * MIB);
    expect(value(chip!.samples, 'device.aicpu.utilization')?.v).toBe(0);
    expect(value(chip!.samples, 'device.memory.bandwidth.utilization')?.v).toBe(0);
  });

  it('prefers the HBM rate (0 %) to the DDR rate (6 %) on a chip with both', () => {
    const r = parseInfoT(section(DOC_910, '/usr/local/bin/npu-smi info -i 0 -t usages'));
    const samples = r.chips[0]!.samples;
    expect(value(samples, 'device.memory.usage')?.v).toBe(0);
    expect(value(samples, 'device.memory.total')?.v).toBe(32768 * MIB);
  });

  it('reads `-t health` with NA error code as OK and no codes', () => {
    const r = parseInfoT(section(DOC_910, '/usr/local/bin/npu-smi info -i 0 -c 0 -t health'));
    expect(r.chips).toEqual([
      {
        health: 'OK',
        errorCodes: [],
        line: 1,
        samples: [{ m: 'device.health', v: 0 }],
      },
    ]);
  });

  it('maps `-t ecc` HBM double-bit errors and knows the other ECC keys', () => {
    const r = parseInfoT(section(DOC_910, '/usr/local/bin/npu-smi info -i 0 -t ecc'));
    expect(r.unknownCount).toBe(0);
    expect(r.chips[0]?.samples).toEqual([{ m: 'device.ecc.uncorrected', v: 0 }]);
  });

  it('skips and counts the keys it does not know (`-t board`)', () => {
    const r = parseInfoT(section(DOC_910, '/usr/local/bin/npu-smi info -i 0 -t board'));
    expect(r.chips).toEqual([]);
    expect(r.unknownKeys.get('Software Version')).toBe(1);
    expect(r.unknownKeys.get('PCIe Bus Info')).toBe(1);
    expect(r.unknownCount).toBe(13);
    expect(r.npuId).toBe(0);
  });

  it('names lines that are not key : value', () => {
    const r = parseInfoT(
      `NPU ID : 0\n...\n${section(DOC_910, '/usr/local/bin/npu-smi info -i 0 -t usages')}`,
    );
    expect(r.problems).toEqual([{ line: 2, message: 'not a "key : value" line: "..."' }]);
    expect(r.chips).toHaveLength(1);
  });
});

describe('the alias table across versions', () => {
  // Transcribed from the official `npu-smi info -t common -i 0` example quoted in
  // reference/contracts.md §4.2 (hiascend npu-smi documentation); not a capture of ours.
  const COMMON_DOC_EXAMPLE = [
    'NPU ID                         : 0',
    'Memory Usage Rate(%)           : 0',
    'HBM Usage Rate(%)              : 3',
    'Aicore Usage Rate(%)           : 0',
    'Aicore Freq(MHZ)               : 1650',
    'Aicore curFreq(MHZ)            : 100',
    'Aicore Count                   : 32',
    'Temperature(C)                 : 65',
    'NPU Real-time Power(W)         : 298.6',
  ].join('\n');

  it('maps the documented -t common keys', () => {
    const r = parseInfoT(COMMON_DOC_EXAMPLE);
    expect(r.unknownCount).toBe(0);
    expect(r.chips[0]?.samples).toEqual([
      { m: 'device.memory.usage', v: 3 },
      { m: 'device.utilization', v: 0 },
      { m: 'device.clock.sm', v: 100 },
      { m: 'device.temperature', v: 65 },
      { m: 'device.power', v: 298.6 },
    ]);
  });

  it('knows each spelling, whatever the case and spacing', () => {
    const cases: [string, string][] = [
      ['Aicore Usage Rate(%)', 'device.utilization'],
      ['AI Core Usage Rate(%)', 'device.utilization'],
      ['AICore Usage Rate(%)', 'device.utilization'],
      ['NPU Utilization(%)', 'device.utilization'],
      ['Aivector Usage Rate(%)', 'device.aivector.utilization'],
      ['Vector Core Usage Rate(%)', 'device.aivector.utilization'],
      ['Aicpu Usage Rate(%)', 'device.aicpu.utilization'],
      ['HBM Usage Rate (%)', 'device.memory.usage'],
      ['Memory Usage Rate(%)', 'device.memory.usage'],
      ['Power Dissipation(W)', 'device.power'],
      ['NPU Real-time Power(W)', 'device.power'],
      ['Temperature(C)', 'device.temperature'],
      ['HBM Bandwidth Usage Rate(%)', 'device.memory.bandwidth.utilization'],
    ];
    for (const [key, metric] of cases) expect(keyMeaning(key), key).toMatchObject({ metric });
    expect(keyMeaning('Health Status')).toEqual({ kind: 'health' });
    expect(keyMeaning('Error Code')).toEqual({ kind: 'errorCode' });
    expect(keyMeaning('Brand New Counter(%)')).toBeUndefined();
  });

  it('maps every alias onto a metric of the catalog', () => {
    for (const a of METRIC_ALIASES) expect(metricDef(a.metric), a.metric).toBeDefined();
  });

  // Hand-built in the 23.0.5 `-t usages` format: another version's spellings, an A2-style
  // NPU Utilization line, and a value npu-smi could not read.
  it('prefers NPU Utilization to AICore, and keeps NA absent', () => {
    const r = parseInfoT(
      [
        'AI Core Usage Rate(%)          : 10',
        'NPU Utilization(%)             : 25',
        'Vector Core Usage Rate(%)      : 12',
        'Temperature(C)                 : NA',
        'Power Dissipation(W)           : 71.5',
      ].join('\n'),
    );
    expect(r.chips[0]?.samples).toEqual([
      { m: 'device.utilization', v: 25 },
      { m: 'device.aivector.utilization', v: 12 },
      { m: 'device.temperature', v: null, s: 'unsupported', raw: 'NA' },
      { m: 'device.power', v: 71.5 },
    ]);
  });

  it('takes a number over an absent value whatever the preference', () => {
    const r = parseInfoT('HBM Usage Rate(%) : NA\nDDR Usage Rate(%) : 7\n');
    expect(r.chips[0]?.samples).toEqual([{ m: 'device.memory.usage', v: 7 }]);
  });
});

describe('parseInfoT on multi-chip and fault outputs (hand-built in the 23.0.5 format)', () => {
  it('splits chips at their Chip ID lines, blank-separated or not', () => {
    const chip = (id: number, aicore: number): string =>
      `Aicore Usage Rate(%) : ${aicore}\nAivector Usage Rate(%) : ${aicore + 1}\nChip ID : ${id}`;
    const text = `NPU ID : 3\nChip Count : 2\n\n${chip(0, 40)}\n${chip(1, 60)}\n`;
    const r = parseInfoT(text);
    expect(
      r.chips.map((c) => [c.npuId, c.chipId, value(c.samples, 'device.utilization')?.v]),
    ).toEqual([
      [3, 0, 40],
      [3, 1, 60],
    ]);
    const spaced = parseInfoT(`NPU ID : 3\n\n${chip(0, 40)}\n\n${chip(1, 60)}\n`);
    expect(spaced.chips.map((c) => c.chipId)).toEqual([0, 1]);
  });

  it('reads fault codes from Error Code', () => {
    const r = parseInfoT(
      'Health Status : Alarm\nError Code : 80E21007 80C98008\nError Information : HBM ECC error\n',
    );
    expect(r.chips[0]).toMatchObject({
      health: 'Alarm',
      errorCodes: ['80E21007', '80C98008'],
      errorInfo: 'HBM ECC error',
      samples: [{ m: 'device.health', v: 2 }],
    });
  });
});
