/**
 * Seeded property-based fuzzing of the /proc parsers (issue 10, deliverable 7): arbitrary text,
 * the real captures mutated line by line, and the captures with garbage or whitespace appended.
 * Each parser must not throw, must keep its output and its problem list bounded by its input,
 * and must still read the capture's own lines when junk follows them.
 */
import { readFileSync } from 'node:fs';

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { parseCpuModel } from './cpuModel.js';
import { parseDiskstats } from './diskstats.js';
import { parseOsRelease } from './hostInfo.js';
import { parseLoadavg } from './loadavg.js';
import { parseMeminfo } from './meminfo.js';
import { parseNetDev } from './netDev.js';
import type { LineProblem } from './problems.js';
import { parseProcStat } from './procStat.js';

const RUNS = { seed: 0x05b7e7, numRuns: 2000 };
/** A problem is one line a person reads; a 1 MB interface name must not make it 1 MB. */
const MAX_REASON = 300;

const fixture = (name: string): string =>
  readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

/** Words these files are made of, and what a broken or hostile kernel/tool might put there. */
const word = fc.oneof(
  fc.constantFrom(
    'cpu',
    'cpu0',
    'cpu1',
    'MemTotal:',
    'MemAvailable:',
    'kB',
    'eth0:',
    'lo:',
    'sda',
    'nvme0n1',
    '8',
    '0',
    '|',
    ':',
    '-1',
    '1.5',
    '18446744073709551615',
    '99999999999999999999999999',
    'NaN',
    'Infinity',
    '1e308',
    '0x1f',
    '__proto__',
    'constructor',
    'prototype',
    'model name',
    'CPU implementer',
    'CPU part',
    'PRETTY_NAME="x"',
    '\u202E',
    '\u0000',
    '\r',
  ),
  fc.string({ maxLength: 6 }),
  fc.nat().map(String),
);
const line = fc
  .array(word, { maxLength: 20 })
  .chain((words) => fc.constantFrom(' ', '\t', ': ').map((sep) => words.join(sep)));
const text = fc.array(line, { maxLength: 30 }).map((lines) => lines.join('\n'));

/** Delete, insert, replace or cut lines of a capture. */
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

/** Lines that no /proc parser takes for its own: a key none of them reads. */
const junk = fc.array(
  line.map((l) => `zz-junk ${l}`),
  { minLength: 1, maxLength: 5 },
);

function bounded(problems: readonly LineProblem[], input: string): void {
  const lines = input.split('\n').length;
  // At most one per line, plus the "no MemTotal line"-style ones about the whole file.
  expect(problems.length).toBeLessThanOrEqual(lines + 2);
  for (const p of problems) expect(p.reason.length).toBeLessThanOrEqual(MAX_REASON);
}

const anyInput = (capture: string) => fc.oneof(text, mutated(capture));

describe('/proc parsers under fuzzing (seeded)', () => {
  it('parseProcStat: never throws, bounded, keeps the capture with junk after it', () => {
    const capture = fixture('proc-stat.0.txt');
    fc.assert(
      fc.property(anyInput(capture), (input) => {
        const s = parseProcStat(input);
        bounded(s.problems, input);
        expect(s.cores.size).toBeLessThanOrEqual(input.split('\n').length);
      }),
      RUNS,
    );
    const clean = parseProcStat(capture);
    fc.assert(
      fc.property(junk, (lines) => {
        const s = parseProcStat(`${capture}\n${lines.join('\n')}\n  \n`);
        expect(s.all).toEqual(clean.all);
        expect(s.cores).toEqual(clean.cores);
      }),
      RUNS,
    );
  });

  it('parseMeminfo: never throws, bounded, keeps the capture with junk after it', () => {
    const capture = fixture('proc-meminfo.0.txt');
    fc.assert(
      fc.property(anyInput(capture), (input) => {
        const m = parseMeminfo(input);
        bounded(m.problems, input);
        for (const v of [m.totalBytes, m.availableBytes]) {
          if (v !== undefined) expect(Number.isFinite(v) && v >= 0).toBe(true);
        }
      }),
      RUNS,
    );
    const clean = parseMeminfo(capture);
    fc.assert(
      fc.property(junk, (lines) => {
        expect(parseMeminfo(`${capture}\n${lines.join('\n')}\n`)).toEqual(clean);
      }),
      RUNS,
    );
  });

  it('parseLoadavg: never throws, three finite loads or a problem, whitespace after is fine', () => {
    const capture = fixture('proc-loadavg.0.txt');
    fc.assert(
      fc.property(anyInput(capture), (input) => {
        const l = parseLoadavg(input);
        bounded(l.problems, input);
        if (l.load) expect(l.load.every((v) => Number.isFinite(v) && v >= 0)).toBe(true);
        else expect(l.problems).toHaveLength(1);
      }),
      RUNS,
    );
    const clean = parseLoadavg(capture);
    fc.assert(
      fc.property(junk, fc.constantFrom(' ', '\t', '  \n'), (lines, space) => {
        const trimmed = capture.trimEnd();
        expect(parseLoadavg(`${trimmed}${space}\n${lines.join('\n')}`)).toEqual(clean);
      }),
      RUNS,
    );
  });

  it('parseNetDev: never throws, bounded, keeps the capture with junk after it', () => {
    const capture = fixture('proc-net-dev.0.txt');
    fc.assert(
      fc.property(anyInput(capture), (input) => {
        const r = parseNetDev(input, 0);
        bounded(r.problems, input);
        expect(r.counters.size + r.broken.length).toBeLessThanOrEqual(input.split('\n').length);
      }),
      RUNS,
    );
    const clean = parseNetDev(capture, 0);
    fc.assert(
      fc.property(junk, (lines) => {
        const r = parseNetDev(`${capture}\n${lines.join('\n')}\n\n`, 0);
        expect(r.counters).toEqual(clean.counters);
      }),
      RUNS,
    );
  });

  it('parseDiskstats: never throws, bounded, keeps the capture with junk after it', () => {
    const capture = fixture('proc-diskstats.0.txt');
    fc.assert(
      fc.property(anyInput(capture), (input) => {
        const r = parseDiskstats(input, 0);
        bounded(r.problems, input);
        expect(r.counters.size + r.broken.length).toBeLessThanOrEqual(input.split('\n').length);
      }),
      RUNS,
    );
    const clean = parseDiskstats(capture, 0);
    fc.assert(
      fc.property(junk, (lines) => {
        const r = parseDiskstats(`${capture}\n${lines.join('\n')}\n`, 0);
        expect(r.counters).toEqual(clean.counters);
      }),
      RUNS,
    );
  });

  it('keeps problems short when a line holds a 100,000-character name', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 100_000 }),
        fc.constantFrom(': 1 2', ' 1 2'),
        (n, tail) => {
          const name = 'x'.repeat(n);
          const inputs = [`${name}${tail}`, `8 0 ${name}${tail}`, `cpu${name} 1 2`];
          for (const input of inputs) {
            bounded(parseNetDev(input, 0).problems, input);
            bounded(parseDiskstats(input, 0).problems, input);
            bounded(parseProcStat(input).problems, input);
            bounded(parseMeminfo(`MemTotal: ${name} kB`).problems, input);
          }
        },
      ),
      { ...RUNS, numRuns: 50 },
    );
  });

  it('parseCpuModel and parseOsRelease: never throw, even on prototype keys', () => {
    const capture = fixture('proc-cpuinfo.txt');
    fc.assert(
      fc.property(anyInput(capture), (input) => {
        const model = parseCpuModel(input);
        if (model !== undefined) expect(typeof model).toBe('string');
        const os = parseOsRelease(input);
        if (os !== undefined) expect(os.length).toBeLessThanOrEqual(256);
      }),
      RUNS,
    );
    expect(parseCpuModel(`${capture}\n\n`)).toBe(parseCpuModel(capture));
    const key = fc.oneof(
      fc.constantFrom('0x41', '0x48', '__proto__', 'constructor', 'toString', 'hasOwnProperty'),
      fc.string({ maxLength: 8 }),
    );
    fc.assert(
      fc.property(key, key, (implementer, part) => {
        const model = parseCpuModel(`CPU implementer\t: ${implementer}\nCPU part\t: ${part}\n`);
        expect(model === undefined || typeof model === 'string').toBe(true);
      }),
      RUNS,
    );
  });
});
