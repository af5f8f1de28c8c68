import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { parseCsv, parseNumber, parsePstate, readCell } from './csv.js';

const fixture = (name: string): string =>
  readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

const H100_LOAD = 'linux-x86_64__nvidia-h100-80gb-hbm3__590.48.01__load__query-gpu.csv';
const MALFORMED = 'malformed__h100-load-derived__query-gpu.csv';

describe('parseCsv', () => {
  it('reads a real --format=csv capture: header names without units, units kept apart', () => {
    const table = parseCsv(fixture(H100_LOAD));
    expect(table.problems).toEqual([]);
    expect(table.columns).toHaveLength(212);
    expect(table.rows).toHaveLength(1);
    const cell = (name: string): string | undefined => {
      const i = table.columns.findIndex((c) => c.name === name);
      return table.rows[0]!.cells[i];
    };
    expect(table.columns.find((c) => c.name === 'memory.used')).toEqual({
      name: 'memory.used',
      unit: 'MiB',
    });
    expect(table.columns.find((c) => c.name === 'temperature.gpu')).toEqual({
      name: 'temperature.gpu',
    });
    expect([cell('utilization.gpu'), cell('memory.used'), cell('power.draw')]).toEqual([
      '100 %',
      '19818 MiB',
      '631.95 W',
    ]);
    expect([cell('fan.speed'), cell('clocks_event_reasons.active')]).toEqual([
      '[N/A]',
      '0x0000000000000000',
    ]);
  });

  it('reads noheader,nounits lines by the requested columns, CRLF included', () => {
    const table = parseCsv('0, GPU-a, 45, 1234\r\n1, GPU-b, [N/A], 10\r\n', {
      columns: ['index', 'uuid', 'utilization.gpu', 'memory.used'],
    });
    expect(table.rows.map((r) => [r.line, r.cells])).toEqual([
      [1, ['0', 'GPU-a', '45', '1234']],
      [2, ['1', 'GPU-b', '[N/A]', '10']],
    ]);
    expect(table.problems).toEqual([]);
  });

  it('skips a header naming the requested columns and takes its units', () => {
    const table = parseCsv('index, memory.used [MiB]\n0, 1234 MiB\n', {
      columns: ['index', 'memory.used'],
    });
    expect(table.columns).toEqual([{ name: 'index' }, { name: 'memory.used', unit: 'MiB' }]);
    expect(table.rows.map((r) => r.cells)).toEqual([['0', '1234 MiB']]);
  });

  it('names truncated and garbage lines by number and keeps the other rows', () => {
    const table = parseCsv(fixture(MALFORMED), { what: 'capture' });
    expect(table.rows.map((r) => r.line)).toEqual([2, 5]);
    expect(table.problems).toHaveLength(2);
    expect(table.problems[0]).toMatch(
      /^capture line 3: expected 212 columns, got \d+ \(truncated or garbled\): "2026\/07\/14/,
    );
    expect(table.problems[1]).toBe(
      'capture line 4: expected 212 columns, got 1 (truncated or garbled): "Segmentation fault (core dumped)"',
    );
  });

  it('numbers lines from firstLine, for a stream read one line at a time', () => {
    const table = parseCsv('garbage', { columns: ['index', 'uuid'], firstLine: 41 });
    expect(table.problems).toEqual([
      'nvidia-smi line 41: expected 2 columns, got 1 (truncated or garbled): "garbage"',
    ]);
  });
});

describe('readCell', () => {
  it.each([
    ['[N/A]', 'unsupported'],
    ['N/A', 'unsupported'],
    ['[Not Supported]', 'unsupported'],
    ['[Insufficient Permissions]', 'denied'],
    ['[Unknown Error]', 'error'],
    ['[Requested functionality has been deprecated]', 'deprecated'],
    ['[GPU requires reset]', 'error'],
    ['[GPU is lost]', 'error'],
    ['', 'missing'],
  ] as const)('%j is no value: %s, with the words kept', (text, status) => {
    expect(readCell(` ${text} `)).toEqual({ ok: false, status, raw: text });
  });

  it('passes anything else on as text', () => {
    expect(readCell(' 45 % ')).toEqual({ ok: true, text: '45 %' });
    expect(readCell('0')).toEqual({ ok: true, text: '0' });
  });
});

describe('parseNumber and parsePstate', () => {
  it('reads numbers with or without their unit, and nothing else', () => {
    expect(parseNumber('45 %')).toEqual({ v: 45, unit: '%' });
    expect(parseNumber('1234 MiB')).toEqual({ v: 1234, unit: 'MiB' });
    expect(parseNumber('70.12 W')).toEqual({ v: 70.12, unit: 'W' });
    expect(parseNumber('1530 MHz')).toEqual({ v: 1530, unit: 'MHz' });
    expect(parseNumber('631.95')).toEqual({ v: 631.95 });
    for (const bad of ['abc', '12 34', '0x04', '', '45 % extra', 'NaN']) {
      expect(parseNumber(bad)).toBeUndefined();
    }
  });

  it('reads performance states P0 to P15', () => {
    expect(['P0', 'P2', 'P8', 'P12', 'P15'].map(parsePstate)).toEqual([0, 2, 8, 12, 15]);
    expect(['P16', 'X', '', '0'].map(parsePstate)).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });
});
