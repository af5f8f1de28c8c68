import { describe, expect, it } from 'vitest';

import { formatCompact, formatLatencyValue, formatSeconds } from './units.js';

describe('formatSeconds', () => {
  it('reads latencies in the unit a person would say', () => {
    expect(formatSeconds(0)).toBe('0 ms');
    expect(formatSeconds(0.00085)).toBe('850 µs');
    expect(formatSeconds(0.0125)).toBe('12.5 ms');
    expect(formatSeconds(0.412)).toBe('412 ms');
    expect(formatSeconds(1.25)).toBe('1.25 s');
    expect(formatSeconds(400)).toBe('400 s');
    expect(formatSeconds(750)).toBe('12.5 min');
  });
});

describe('formatLatencyValue', () => {
  it('puts the unit on every number', () => {
    expect(formatLatencyValue(83.14, 'percent')).toBe('83.1 %');
    expect(formatLatencyValue(9120, 'tokens/s')).toBe('9120 tok/s');
    expect(formatLatencyValue(91_200, 'tokens/s')).toBe('91.2k tok/s');
    expect(formatLatencyValue(0.25, 'requests/s')).toBe('0.25 req/s');
    expect(formatLatencyValue(1.5, 'per-second')).toBe('1.5 /s');
    expect(formatLatencyValue(12, 'count')).toBe('12');
  });

  it('keeps compact numbers readable in millions', () => {
    expect(formatCompact(2_500_000)).toBe('2.5M');
    expect(formatCompact(999)).toBe('999');
  });
});
