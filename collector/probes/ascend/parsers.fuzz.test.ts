/**
 * Seeded property-based fuzzing of the npu-smi parsers (issue 10, deliverable 7): the `npu-smi
 * info` table, `-t …` key/value blocks, health words and the detail cache. Inputs are arbitrary
 * text, the real captures mutated line by line, and captures with junk after them. Properties: no
 * throw; every device and sample is one the wire accepts; problems and unknown keys stay bounded
 * by the input; the capture's chips survive junk appended after it.
 */
import { readFileSync } from 'node:fs';

import fc from 'fast-check';
import Value from 'typebox/value';
import { describe, expect, it } from 'vitest';

import { DeviceInfo, Sample } from '../../core/protocol/spec.js';
import { DetailCache } from './detail.js';
import { healthLevel, healthSample, healthSeverity } from './health.js';
import { parseInfoT } from './infoT.js';
import { parseInfoTable } from './infoTable.js';

const RUNS = { seed: 0x05b7e7, numRuns: 1500 };
const MAX_PROBLEM = 400;

const fixture = (name: string): string =>
  readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
const TABLE_910B = fixture(
  'npu-smi-info_910B3_A2_4of8-visible_24.1.rc2_procs_vllm-ascend-issue1155.txt',
);
const TABLE_A3 = fixture('npu-smi-info_A3_16chip_24.1.rc3.7_idle_vllm-ascend-issue2667.txt');
const BUNDLE_910A = fixture('npu_info_before_910A_npu-smi-m_hccn_tool.txt');

/** The `-t usages` block of the 910A capture bundle (as infoT.test.ts cuts it). */
function usages(): string {
  const lines = BUNDLE_910A.split('\n');
  const start = lines.indexOf('/usr/local/bin/npu-smi info -i 0 -t usages');
  const rest = lines.slice(start + 1);
  const end = rest.findIndex((l) => l.startsWith('/usr/local/') || l.startsWith('lspci'));
  return rest.slice(0, end).join('\n');
}

const token = fc.oneof(
  fc.constantFrom(
    '|',
    '+',
    '=',
    '/',
    ':',
    'NA',
    'OK',
    'Warning',
    'Critical',
    'UNKNOWN',
    '910B3',
    'Chip ID',
    'NPU ID',
    'HBM Capacity(MB)',
    'Aicore Usage Rate(%)',
    'Health Status',
    'Error Code',
    '0000:01:00.0',
    '-1',
    '1e308',
    '99999999999999999999',
    'NaN',
    'Infinity',
    '0x80E18400',
    '__proto__',
    'constructor',
    '\u202E',
    'x'.repeat(300),
  ),
  fc.string({ maxLength: 6 }),
  fc.nat(99999).map(String),
);
const line = fc
  .array(token, { maxLength: 12 })
  .chain((words) => fc.constantFrom(' ', ' | ', '   ', ' : ').map((sep) => words.join(sep)));
const text = fc.array(line, { maxLength: 30 }).map((lines) => lines.join('\n'));

function mutated(capture: string): fc.Arbitrary<string> {
  return fc
    .array(fc.tuple(fc.nat(), fc.nat({ max: 3 }), line, fc.nat()), { maxLength: 6 })
    .map((ops) => {
      const lines = capture.split('\n');
      for (const [at, op, garbage, cut] of ops) {
        const i = at % (lines.length + 1);
        if (op === 0) lines.splice(i, 1);
        else if (op === 1) lines.splice(i, 0, garbage);
        else if (op === 2) lines[i] = garbage;
        else lines[i] = (lines[i] ?? '').slice(0, cut % ((lines[i]?.length ?? 0) + 1));
      }
      return lines.join('\n');
    });
}

function assertBounded(problems: readonly { message: string }[], input: string): void {
  // A table row has a handful of cells, each of which may be wrong: a few problems per line.
  expect(problems.length).toBeLessThanOrEqual(8 * input.split('\n').length + 4);
  for (const p of problems) expect(p.message.length).toBeLessThanOrEqual(MAX_PROBLEM);
}

function assertWire(samples: readonly unknown[], devices: readonly unknown[] = []): void {
  for (const s of samples)
    expect(Value.Check(Sample, s), JSON.stringify(s).slice(0, 200)).toBe(true);
  for (const d of devices) {
    expect(Value.Check(DeviceInfo, d), JSON.stringify(d).slice(0, 200)).toBe(true);
  }
}

describe('npu-smi parsers under fuzzing (seeded)', () => {
  it('parseInfoTable: never throws, wire-valid devices and samples, bounded problems', () => {
    fc.assert(
      fc.property(fc.oneof(text, mutated(TABLE_910B), mutated(TABLE_A3)), (input) => {
        const table = parseInfoTable(input);
        assertWire(table.samples, table.devices);
        assertBounded(table.problems, input);
        expect(table.chips.length).toBeLessThanOrEqual(input.split('\n').length);
      }),
      // A 16-chip capture checked sample by sample against the schema: ~4 ms a run.
      { ...RUNS, numRuns: 500 },
    );
  });

  it('parseInfoTable: the capture chips survive junk lines after it', () => {
    const clean = parseInfoTable(TABLE_910B);
    fc.assert(
      fc.property(fc.array(line, { maxLength: 4 }), (junk) => {
        const table = parseInfoTable(`${TABLE_910B}\n${junk.join('\n')}\n\n`);
        expect(table.devices.slice(0, clean.devices.length)).toEqual(clean.devices);
      }),
      RUNS,
    );
  });

  it('parseInfoT: never throws, wire-valid samples, unknown keys bounded by the lines', () => {
    const capture = usages();
    fc.assert(
      fc.property(fc.oneof(text, mutated(capture)), (input) => {
        const result = parseInfoT(input);
        const lines = input.split('\n').length;
        assertBounded(result.problems, input);
        expect(result.unknownKeys.size).toBeLessThanOrEqual(lines);
        for (const chip of result.chips)
          assertWire(chip.samples.map((s) => ({ ...s, d: 'npu:0' })));
        // The same capture through the detail cache: placed under the table's chips or a problem.
        const cache = new DetailCache();
        const table = parseInfoTable(TABLE_910B);
        assertBounded(cache.store(table.chips.slice(0, 1), result, 1), input);
      }),
      RUNS,
    );
  });

  it('health words: never throw, a level 0–3 or an absent sample, a known severity', () => {
    fc.assert(
      fc.property(fc.oneof(token, fc.string({ maxLength: 300 })), (word) => {
        const level = healthLevel(word);
        if (level !== undefined) expect([0, 1, 2, 3]).toContain(level);
        assertWire([healthSample(word, 'npu:0')]);
        expect(['info', 'warning', 'error', 'critical']).toContain(healthSeverity(word));
      }),
      RUNS,
    );
  });
});
