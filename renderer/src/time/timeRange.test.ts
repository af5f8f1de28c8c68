import { describe, expect, it } from 'vitest';

import {
  describeRange,
  isRelativeSpan,
  MIN_RANGE_MS,
  parseAbsolute,
  RELATIVE_SPANS,
  resolveRange,
  spanMs,
  toLocalInput,
  zoomRange,
} from './timeRange.js';

const NOW = Date.UTC(2026, 4, 12, 10, 0, 0);

describe('relative ranges', () => {
  it('offers 5 m to 7 d, in increasing order', () => {
    expect(RELATIVE_SPANS.map((s) => s.id)).toEqual([
      '5m',
      '15m',
      '1h',
      '3h',
      '6h',
      '12h',
      '24h',
      '2d',
      '7d',
    ]);
    const ms = RELATIVE_SPANS.map((s) => s.ms);
    expect([...ms].sort((a, b) => a - b)).toEqual(ms);
  });

  it('resolves against the given now', () => {
    expect(resolveRange({ kind: 'relative', span: '15m' }, NOW)).toEqual({
      start: NOW - 900_000,
      end: NOW,
    });
    expect(resolveRange({ kind: 'relative', span: '7d' }, NOW).start).toBe(NOW - 7 * 86_400_000);
  });

  it('knows its spans and refuses others', () => {
    expect(spanMs('24h')).toBe(86_400_000);
    expect(isRelativeSpan('2d')).toBe(true);
    expect(isRelativeSpan('30d')).toBe(false);
    expect(() => spanMs('30d' as never)).toThrow('unknown relative range "30d"');
  });
});

describe('absolute ranges', () => {
  it('resolves to themselves whatever now is', () => {
    expect(resolveRange({ kind: 'absolute', from: 1000, to: 50_000 }, NOW)).toEqual({
      start: 1000,
      end: 50_000,
    });
  });

  it('parses datetime-local values as local time, round-tripping toLocalInput', () => {
    const from = new Date(2026, 4, 12, 9, 30, 0).getTime();
    const to = new Date(2026, 4, 12, 10, 15, 30).getTime();
    expect(parseAbsolute(toLocalInput(from), toLocalInput(to))).toEqual({
      range: { kind: 'absolute', from, to },
    });
    expect(parseAbsolute('2026-05-12T09:30', '2026-05-12T10:00')).toEqual({
      range: { kind: 'absolute', from, to: new Date(2026, 4, 12, 10, 0).getTime() },
    });
  });

  it('names the field at fault', () => {
    expect(parseAbsolute('yesterday', '2026-05-12T10:00')).toEqual({
      error: '"From" is not a date and time: "yesterday"',
    });
    expect(parseAbsolute('2026-05-12T10:00', '2026-05-12')).toEqual({
      error: '"To" is not a date and time: "2026-05-12"',
    });
    expect(parseAbsolute('2026-05-12T10:00', '2026-05-12T09:00')).toEqual({
      error: '"To" must be at least 10 s after "From"',
    });
  });

  it('describes itself with the date once when both ends share a day', () => {
    const from = new Date(2026, 4, 12, 9, 30, 0).getTime();
    expect(describeRange({ kind: 'absolute', from, to: from + 1_800_000 })).toBe(
      '12 May 09:30:00 – 10:00:00',
    );
    expect(describeRange({ kind: 'absolute', from, to: from + 86_400_000 })).toBe(
      '12 May 09:30:00 – 13 May 09:30:00',
    );
    expect(describeRange({ kind: 'relative', span: '3h' })).toBe('Last 3 hours');
  });
});

describe('zoomRange', () => {
  it('orders the ends of a drag made right to left', () => {
    expect(zoomRange(90_000, 30_000)).toEqual({ kind: 'absolute', from: 30_000, to: 90_000 });
  });

  it('widens a selection narrower than the minimum around its middle', () => {
    expect(zoomRange(100_000, 101_000)).toEqual({
      kind: 'absolute',
      from: 100_500 - MIN_RANGE_MS / 2,
      to: 100_500 + MIN_RANGE_MS / 2,
    });
  });

  it('ignores a selection without numbers', () => {
    expect(zoomRange(Number.NaN, 5)).toBeUndefined();
  });
});
