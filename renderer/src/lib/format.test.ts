import { describe, expect, it } from 'vitest';

import {
  formatAge,
  formatBytes,
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
});

describe('formatValue', () => {
  it('puts the unit on every number', () => {
    expect(formatValue(100, 'percent')).toBe('100 %');
    expect(formatValue(631.95, 'watts')).toBe('632 W');
    expect(formatValue(59, 'celsius')).toBe('59 °C');
    expect(formatValue(1980, 'megahertz')).toBe('1980 MHz');
    expect(formatValue(0.0123, 'seconds')).toBe('12.3 ms');
    expect(formatValue(3, 'count')).toBe('3');
  });

  it('scales memory in binary and throughput in decimal units', () => {
    expect(formatBytes(19818 * 1024 * 1024)).toBe('19.4 GiB');
    expect(formatBytes(512)).toBe('512 B');
    expect(formatRate(1_250_000)).toBe('1.25 MB/s');
    expect(formatRate(999)).toBe('999 B/s');
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
