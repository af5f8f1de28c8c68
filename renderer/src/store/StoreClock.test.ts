import { describe, expect, it } from 'vitest';

import { StoreClock } from './StoreClock.js';

describe('StoreClock', () => {
  it('starts at 0 with no seek, and tick sets the time and notifies', () => {
    const clock = new StoreClock();
    let calls = 0;
    clock.subscribe(() => (calls += 1));
    expect(clock.currentTime).toBe(0);
    expect(clock.lastSeekTime).toBeUndefined();
    expect(clock.tick(5_000)).toBe(true);
    expect(clock.currentTime).toBe(5_000);
    expect(clock.tick(5_000)).toBe(false);
    expect(calls).toBe(1);
  });

  it('tick follows a driver that steps back; advance only moves forward', () => {
    const clock = new StoreClock();
    clock.tick(10_000);
    clock.tick(9_000);
    expect(clock.currentTime).toBe(9_000);
    expect(clock.advance(8_000)).toBe(false);
    expect(clock.currentTime).toBe(9_000);
    expect(clock.advance(9_500)).toBe(true);
    expect(clock.currentTime).toBe(9_500);
  });

  it('ignores times that are no finite number', () => {
    const clock = new StoreClock();
    clock.tick(1_000);
    expect(clock.tick(Number.NaN)).toBe(false);
    expect(clock.advance(Number.POSITIVE_INFINITY)).toBe(false);
    expect(clock.currentTime).toBe(1_000);
    expect(() => clock.seek(Number.NaN)).toThrow(/cannot seek the store clock to NaN/);
  });

  it('seek jumps anywhere, backwards included, records lastSeekTime and counts seeks', () => {
    const clock = new StoreClock();
    clock.tick(50_000);
    clock.seek(20_000);
    expect(clock.currentTime).toBe(20_000);
    expect(clock.lastSeekTime).toBe(20_000);
    expect(clock.seekCount).toBe(1);
    clock.tick(21_000);
    expect(clock.lastSeekTime).toBe(20_000);
  });
});
