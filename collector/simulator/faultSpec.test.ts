import { describe, expect, it } from 'vitest';

import { parseDuration, parseFaultCommand, parseFaultSchedule } from './faultSpec.js';

describe('parseFaultSchedule', () => {
  it('reads the inline form, sorted by time', () => {
    const s = parseFaultSchedule(
      'at=60s node=node-010 kind=thermal duration=30s; at=30s node=node-003 device=2 kind=xid79',
    );
    expect(s).toEqual([
      { atMs: 30_000, node: 'node-003', device: 2, kind: 'xid79' },
      { atMs: 60_000, node: 'node-010', kind: 'thermal', durationMs: 30_000 },
    ]);
  });

  it('reads one entry per line, with comments and aliases', () => {
    const s = parseFaultSchedule(
      '# a file\nat=1m node=node-001 kind=power-cap\nat=90s node=node-002 kind=npu code=80e24e00\n',
    );
    expect(s.map((f) => [f.kind, f.atMs, f.code])).toEqual([
      ['power', 60_000, undefined],
      ['npu-fault', 90_000, '0x80E24E00'],
    ]);
  });

  it('reads JSON, with numbers as seconds', () => {
    const s = parseFaultSchedule(
      '[{"at": 5, "node": "node-000", "device": 1, "kind": "xid48", "duration": "2m"}]',
    );
    expect(s).toEqual([
      { atMs: 5000, node: 'node-000', device: 1, kind: 'xid48', durationMs: 120_000 },
    ]);
    expect(parseFaultSchedule('{"at":"1s","node":"n","kind":"reset"}')).toHaveLength(1);
  });

  it('names the entry and the field that is wrong', () => {
    expect(() => parseFaultSchedule('at=1s node=n kind=xid80')).toThrow(
      /fault 1 \("at=1s node=n kind=xid80"\): kind "xid80" is not one of xid79, xid48/,
    );
    expect(() => parseFaultSchedule('at=1s kind=thermal; node=n kind=thermal')).toThrow(
      /fault 1 .*missing node=/,
    );
    expect(() => parseFaultSchedule('at=1s node=n kind=thermal; node=n kind=thermal')).toThrow(
      /fault 2 .*missing at=/,
    );
    expect(() => parseFaultSchedule('at=soon node=n kind=thermal')).toThrow(
      /at "soon" is not a duration/,
    );
    expect(() => parseFaultSchedule('at=1s node=n kind=thermal device=-1')).toThrow(
      /device "-1" is not a device index/,
    );
    expect(() => parseFaultSchedule('at=1s node=n kind=xid79 duration=5s')).toThrow(
      /xid79 lasts until kind=reset/,
    );
    expect(() => parseFaultSchedule('at=1s node=n kind=thermal code=0x1')).toThrow(
      /code= is only for npu-fault/,
    );
    expect(() => parseFaultSchedule('at=1s node=n kind=npu code=zz')).toThrow(
      /code "zz" is not a hex fault code/,
    );
    expect(() => parseFaultSchedule('at=1s node=n kind=thermal colour=red')).toThrow(
      /unknown field "colour"/,
    );
    expect(() => parseFaultSchedule('at=1s node=n thermal')).toThrow(/"thermal" is not key=value/);
    expect(() => parseFaultSchedule('[{"at": 1, "node": "n", "kind": "power"')).toThrow(
      /fault JSON does not parse/,
    );
    expect(() => parseFaultSchedule('[1]')).toThrow(/fault 1: not a JSON object/);
    expect(() => parseFaultSchedule('[{"at":1,"node":{"x":1},"kind":"power"}]')).toThrow(
      /node must be a string or a number/,
    );
  });

  it('is empty for empty text', () => {
    expect(parseFaultSchedule('  ')).toEqual([]);
  });
});

describe('parseFaultCommand', () => {
  it('reads JSON and inline commands without at', () => {
    expect(parseFaultCommand('{"kind":"xid79","node":"node-003","device":2}')).toEqual({
      kind: 'xid79',
      node: 'node-003',
      device: 2,
    });
    expect(parseFaultCommand('kind=thermal node=node-1 duration=10')).toEqual({
      kind: 'thermal',
      node: 'node-1',
      durationMs: 10_000,
    });
  });

  it('refuses more than one command', () => {
    expect(() => parseFaultCommand('kind=reset node=a; kind=reset node=b')).toThrow(
      /expected one command, got 2/,
    );
  });
});

describe('parseDuration', () => {
  it('reads units and bare seconds', () => {
    expect(parseDuration('500ms')).toBe(500);
    expect(parseDuration('1.5m')).toBe(90_000);
    expect(parseDuration('2h')).toBe(7_200_000);
    expect(parseDuration('7')).toBe(7000);
    expect(parseDuration(0.25)).toBe(250);
    expect(() => parseDuration(-1)).toThrow(/not a non-negative number/);
  });
});
