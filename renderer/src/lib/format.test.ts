import { describe, expect, it } from 'vitest';

import {
  formatAge,
  formatBytes,
  formatDateTime,
  formatNoData,
  formatNumber,
  formatRate,
  formatValue,
} from './format.js';

describe('formatNumber', () => {
  it('keeps three significant digits and drops trailing zeros', () => {
    expect(formatNumber(631.95)).toBe('632');
    expect(formatNumber(24.29)).toBe('24.3');
    expect(formatNumber(59)).toBe('59');
    expect(formatNumber(1.255)).toBe('1.25');
    expect(formatNumber(0)).toBe('0');
    expect(formatNumber(12345)).toBe('12345');
  });

  it('keeps three significant digits below 0.01 instead of rounding to 0.01 or 0 (issue 12)', () => {
    expect(formatNumber(0.0167)).toBe('0.0167');
    expect(formatNumber(0.0059)).toBe('0.0059');
    expect(formatNumber(0.004)).toBe('0.004');
    expect(formatNumber(0.000123456)).toBe('0.000123');
    expect(formatNumber(1.23e-7)).toBe('0.000000123');
    expect(formatNumber(-0.00123)).toBe('-0.00123');
  });

  it('reads zero as "0" and rounds to the next magnitude cleanly', () => {
    expect(formatNumber(-0)).toBe('0');
    expect(formatNumber(0.1 + 0.2)).toBe('0.3');
    expect(formatNumber(9.996)).toBe('10');
    expect(formatNumber(99.96)).toBe('100');
    expect(formatNumber(-150.4)).toBe('-150');
  });
});

describe('formatDateTime', () => {
  it('writes local time in ISO order, never "02/12/2026"', () => {
    expect(formatDateTime(new Date(2026, 11, 2, 14, 3, 5).getTime())).toBe('2026-12-02 14:03:05');
    expect(formatDateTime(new Date(2026, 0, 9, 4, 0, 0, 999).getTime())).toBe(
      '2026-01-09 04:00:00',
    );
    expect(formatDateTime(Number.NaN)).toBe('');
  });
});

describe('formatValue', () => {
  it('puts the unit on every number', () => {
    expect(formatValue(100, 'percent')).toBe('100 %');
    expect(formatValue(631.95, 'watts')).toBe('632 W');
    expect(formatValue(59, 'celsius')).toBe('59 °C');
    expect(formatValue(1980, 'megahertz')).toBe('1980 MHz');
    expect(formatValue(0.0123, 'seconds')).toBe('12.3 ms');
    expect(formatValue(3, 'count')).toBe('3');
    expect(formatValue(0.0059, 'percent')).toBe('0.0059 %');
  });

  it('scales memory in binary and throughput in decimal units', () => {
    expect(formatBytes(19818 * 1024 * 1024)).toBe('19.4 GiB');
    expect(formatBytes(512)).toBe('512 B');
    expect(formatRate(1_250_000)).toBe('1.25 MB/s');
    expect(formatRate(999)).toBe('999 B/s');
    expect(formatRate(16.7)).toBe('16.7 B/s');
  });
});

describe('formatAge', () => {
  it('reads like a person would say it', () => {
    expect(formatAge(400)).toBe('just now');
    expect(formatAge(-5000)).toBe('just now');
    expect(formatAge(3200)).toBe('3 s ago');
    expect(formatAge(5 * 60_000)).toBe('5 min ago');
    expect(formatAge(3 * 3_600_000)).toBe('3 h ago');
  });
});

describe('formatNoData', () => {
  it('names the reason and keeps the tool’s own words', () => {
    expect(formatNoData('unsupported', '[N/A]')).toBe('unsupported ([N/A])');
    expect(formatNoData('denied', undefined)).toBe('permission denied');
    expect(formatNoData(undefined, undefined)).toBe('not reported');
  });

  it('escapes a bidi override in the tool’s words, as in names', () => {
    expect(formatNoData('error', 'x\u202Eexe.cod')).toBe('read error (x\\u202Eexe.cod)');
  });
});
