/**
 * Seeded property-based fuzzing of the nvidia-smi parsers (issue 10, deliverable 7): the CSV
 * reader, one --query-gpu row, --query-compute-apps and the first run (detect). Inputs are
 * arbitrary text, the real captures with cells replaced by what a broken driver or a hostile fake
 * tool prints, and captures with junk appended. Properties: no throw; every device and sample
 * produced is one the wire accepts (a longer name or a NaN would make the console refuse the whole
 * message); problems stay one short line each; the capture's own rows survive junk after them.
 */
import { readFileSync } from 'node:fs';

import fc from 'fast-check';
import Value from 'typebox/value';
import { describe, expect, it } from 'vitest';

import { DeviceInfo, Sample } from '../../core/protocol/spec.js';
import type { CommandRunner } from '../types.js';
import { parseComputeApps } from './computeApps.js';
import { parseCsv, parseNumber, readCell } from './csv.js';
import { detect } from './detect.js';
import { readGpuRow } from './gpuRow.js';
import { createNvidiaReplayRunner } from './NvidiaReplayRunner.js';

const RUNS = { seed: 0x05b7e7, numRuns: 2000 };
const MAX_PROBLEM = 400;

const fixture = (name: string): string =>
  readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
const H100_LOAD = 'linux-x86_64__nvidia-h100-80gb-hbm3__590.48.01__load__query-gpu.csv';

/** What a broken driver or a hostile fake nvidia-smi puts in a cell. */
const hostileCell = fc.oneof(
  fc.constantFrom(
    '',
    '[N/A]',
    '[GPU is lost]',
    '[Unknown Error]',
    'NaN',
    'Infinity',
    '-Infinity',
    '1e999',
    '-1',
    '-0',
    '1e308',
    '99999999999999999999999',
    '0x',
    '0xFFFFFFFFFFFFFFFFFFFF',
    'P99',
    '45 %',
    '12 MiB',
    '__proto__',
    'constructor',
    '\u202Eexe.doc',
    '<script>x</script>',
    '"quoted"',
    'x'.repeat(300),
    'x'.repeat(10_000),
  ),
  fc.string({ maxLength: 12 }),
  fc.double().map(String),
);

function assertProblem(problem: string): void {
  expect(problem.length).toBeGreaterThan(0);
  expect(problem.length).toBeLessThanOrEqual(MAX_PROBLEM);
}

function assertWireSamples(samples: readonly unknown[]): void {
  for (const s of samples)
    expect(Value.Check(Sample, s), JSON.stringify(s).slice(0, 300)).toBe(true);
}

/** A fake nvidia-smi that answers every run with the same output. */
function tool(stdout: string, stderr = '', code: number | null = 0): CommandRunner {
  return {
    run: async () => ({ code, stdout, stderr }),
    spawnLines: () => {
      throw new Error('not used by detect');
    },
  };
}

describe('nvidia-smi parsers under fuzzing (seeded)', () => {
  it('parseCsv: never throws, rows have the header width, problems are short', () => {
    const capture = fixture(H100_LOAD);
    const text = fc.oneof(
      fc.string({ maxLength: 300 }),
      fc
        .array(
          fc.array(hostileCell, { maxLength: 8 }).map((c) => c.join(', ')),
          { maxLength: 10 },
        )
        .map((lines) => lines.join('\n')),
      fc
        .tuple(fc.nat(), fc.string({ maxLength: 40 }))
        .map(
          ([at, junk]) =>
            capture.slice(0, at % capture.length) + junk + capture.slice(at % capture.length),
        ),
    );
    fc.assert(
      fc.property(text, (input) => {
        const table = parseCsv(input);
        for (const row of table.rows) expect(row.cells).toHaveLength(table.columns.length);
        table.problems.forEach(assertProblem);
        expect(table.rows.length + table.problems.length).toBeLessThanOrEqual(
          input.split('\n').length,
        );
      }),
      RUNS,
    );
  });

  it('parseCsv: the capture rows survive junk lines and whitespace after them', () => {
    const capture = fixture(H100_LOAD);
    const clean = parseCsv(capture);
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 30 }), { maxLength: 5 }), (junk) => {
        const table = parseCsv(`${capture}\n${junk.join('\n')}\n \r\n`);
        expect(table.rows.slice(0, clean.rows.length)).toEqual(clean.rows);
      }),
      RUNS,
    );
  });

  it('readCell and parseNumber: never throw, numbers are finite', () => {
    fc.assert(
      fc.property(hostileCell, (cell) => {
        const read = readCell(cell);
        expect(read.ok ? read.text : read.raw).toBe(cell.trim());
        const n = parseNumber(cell);
        if (n !== undefined) expect(Number.isFinite(n.v)).toBe(true);
      }),
      RUNS,
    );
  });

  it('readGpuRow: any cells of a real row give a wire-valid device and samples, or a problem', async () => {
    const found = await detect(createNvidiaReplayRunner(fixture(H100_LOAD)), 1000);
    if (found.state !== 'ok') throw new Error(found.message);
    const row = found.table.rows[0]!.cells;
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(), hostileCell), { minLength: 1, maxLength: 12 }),
        (edits) => {
          const cells = [...row];
          for (const [at, value] of edits) cells[at % cells.length] = value;
          const result = readGpuRow(cells, found.tableLayout, 'fuzz line 1');
          if (!result.ok) {
            assertProblem(result.problem);
            return;
          }
          expect(Value.Check(DeviceInfo, result.row.device)).toBe(true);
          assertWireSamples(result.row.samples);
          result.row.problems.forEach(assertProblem);
        },
      ),
      RUNS,
    );
  });

  it('parseComputeApps: never throws, every sample is wire-valid, problems are short', () => {
    const line = fc
      .tuple(hostileCell, hostileCell, hostileCell, hostileCell)
      .map(([uuid, pid, name, mib]) => `${uuid}, ${pid}, ${name}, ${mib}`);
    const valid = fc
      .tuple(fc.nat(), fc.nat(), fc.string({ maxLength: 20 }))
      .map(([pid, mib, name]) => `GPU-1, ${pid}, ${name.replaceAll('\n', ' ')}, ${mib}`);
    fc.assert(
      fc.property(
        fc.array(fc.oneof(line, valid, fc.string({ maxLength: 60 })), { maxLength: 12 }),
        (lines) => {
          const apps = parseComputeApps(lines.join('\n'));
          assertWireSamples(apps.samples);
          apps.problems.forEach(assertProblem);
          expect(apps.samples.length).toBeLessThanOrEqual(lines.length);
        },
      ),
      RUNS,
    );
  });

  it('detect: any output, error text or exit code gives a detection, never a rejection', async () => {
    const capture = fixture(H100_LOAD);
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string({ maxLength: 200 }),
          fc.constant(capture),
          fc.constant(`${capture}\n%%%`),
        ),
        fc.oneof(
          fc.string({ maxLength: 100 }),
          fc.constant('Field "bogus" is not a valid field to query.'),
        ),
        fc.option(fc.integer({ min: -1, max: 255 }), { nil: null }),
        async (stdout, stderr, code) => {
          const found = await detect(tool(stdout, stderr, code), 1000);
          if (found.state === 'ok') {
            found.table.problems.forEach(assertProblem);
          } else {
            expect(found.message.length).toBeGreaterThan(0);
          }
        },
      ),
      { ...RUNS, numRuns: 500 },
    );
  });
});
