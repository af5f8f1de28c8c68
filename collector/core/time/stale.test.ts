import { describe, expect, it } from 'vitest';

import { ageMs, DEFAULT_INTERVAL_MS, isStale, staleAfterMs } from './stale.js';

describe('isStale: older than 2 intervals plus 1 s of delivery jitter', () => {
  it.each([
    // age, interval, stale
    [0, 1000, false],
    [2999, 1000, false],
    [3000, 1000, false],
    [3001, 1000, true],
    [1999, 500, false],
    [2000, 500, false],
    [2001, 500, true],
    [20_999, 10_000, false],
    [21_001, 10_000, true],
    // Before it is known, the interval is the default 1 s.
    [3000, undefined, false],
    [3001, undefined, true],
    // A broken interval counts as unknown, never as "fresh for ever" or "always stale".
    [3001, Number.NaN, true],
    [3000, 0, false],
    [3001, -5, true],
    [3001, Number.POSITIVE_INFINITY, true],
    // Ages that are no number are stale; a value from the future (clock noise) is not.
    [Number.NaN, 1000, true],
    [Number.POSITIVE_INFINITY, 1000, true],
    [-500, 1000, false],
  ])('age %d ms at interval %d ms: stale %s', (age, interval, stale) => {
    expect(isStale(age, interval)).toBe(stale);
  });

  it('staleAfterMs is 2 intervals + 1 s, the default interval when unknown', () => {
    expect(staleAfterMs(1000)).toBe(3000);
    expect(staleAfterMs(250)).toBe(1500);
    expect(staleAfterMs(undefined)).toBe(2 * DEFAULT_INTERVAL_MS + 1000);
  });
});

describe('ageMs: the one age rule', () => {
  it('is now minus the local time of a stamp (stamp plus the sender clock offset)', () => {
    expect(ageMs(10_000, 7_000)).toBe(3_000);
    expect(ageMs(10_000, 7_000, 500)).toBe(2_500);
    expect(ageMs(10_000, 11_000, -2_000)).toBe(1_000);
  });
});
