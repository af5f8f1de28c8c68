import { describe, expect, it } from 'vitest';

import { ClockOffset } from './ClockOffset.js';

/** Feeds offsets at 1 s steps of local time from `start`; returns the clock. */
function fed(offsets: number[], clock = new ClockOffset(), start = 1_000_000): ClockOffset {
  offsets.forEach((o, i) => clock.observe(o, start + i * 1000));
  return clock;
}

describe('ClockOffset', () => {
  it('has no estimate and no lag before the first offset', () => {
    const clock = new ClockOffset();
    expect([clock.estimate, clock.lag, clock.lastAt]).toEqual([undefined, 0, undefined]);
  });

  it('ignores one outlier: a message stamped an hour ahead leaves the estimate at the others', () => {
    const clock = fed([50, 50, 50, 50 - 3_600_000, 50]);
    expect(clock.estimate).toBe(50);
    expect(clock.lag).toBe(0);
  });

  it('ignores one message delivered late', () => {
    const clock = fed([50, 60, 55, 40_000, 58, 52]);
    expect(clock.estimate).toBe(58);
  });

  it('takes a step that persists, at the third message of five', () => {
    const clock = fed([50, 50, 50, 50, 50]);
    const estimates: number[] = [];
    for (let i = 0; i < 3; i++) {
      clock.observe(30_050, 2_000_000 + i * 1000);
      estimates.push(clock.estimate!);
    }
    expect(estimates).toEqual([50, 50, 30_050]);
  });

  it('with two disagreeing offsets, takes the larger (the later reading of the stamps)', () => {
    expect(fed([-240_000, 40]).estimate).toBe(40);
  });

  it('ignores NaN and infinite offsets or times, changing nothing', () => {
    const clock = fed([50, 60]);
    expect(clock.observe(Number.NaN, 5_000_000)).toBe(false);
    expect(clock.observe(Number.POSITIVE_INFINITY, 5_000_000)).toBe(false);
    expect(clock.observe(Number.NEGATIVE_INFINITY, 5_000_000)).toBe(false);
    expect(clock.observe(50, Number.NaN)).toBe(false);
    expect([clock.estimate, clock.lastAt]).toEqual([60, 1_001_000]);
  });

  it('keeps estimate and lag finite and unmoved by one 1e300 stamp', () => {
    const clock = fed([50, 50, 50]);
    expect(clock.observe(1_000_000 - 1e300, 1_003_000)).toBe(true);
    clock.observe(58, 1_004_000);
    expect(clock.estimate).toBe(50);
    expect(clock.lag).toBe(0);
  });

  it('measures lag as the estimate above the lowest estimate of the floor time', () => {
    // Delivered in 50 ms, then 12 s late for three messages: the median takes the rise.
    const clock = fed([50, 50, 50, 12_050, 12_050, 12_050]);
    expect(clock.lag).toBe(12_000);
    // Caught up again.
    fed([60, 60, 60], clock, 1_010_000);
    expect(clock.lag).toBe(10);
  });

  it('caps lag at maxLagMs', () => {
    const clock = fed([0, 0, 0, 1e12, 1e12, 1e12], new ClockOffset({ maxLagMs: 300_000 }));
    expect(clock.lag).toBe(300_000);
  });

  it('forgets a floor older than floorMs: a rise that outlasts it is the new floor', () => {
    const clock = new ClockOffset({ floorMs: 60_000 });
    fed([50, 50, 50], clock, 0);
    fed([5_050, 5_050, 5_050], clock, 10_000);
    expect(clock.lag).toBe(5_000);
    fed([5_050], clock, 100_000);
    expect(clock.lag).toBe(0);
  });

  it('starts the floor again at the current estimate on resetFloor', () => {
    const clock = fed([50, 50, 50, 30_050, 30_050, 30_050]);
    expect(clock.lag).toBe(30_000);
    clock.resetFloor(1_006_000);
    expect(clock.lag).toBe(0);
    clock.observe(30_060, 1_007_000);
    expect(clock.lag).toBe(0);
  });

  it('counts offsets observed within burstMs as one observation, the lowest', () => {
    const clock = fed([50, 50]);
    // A backlog handed over in three slices 3 ms apart: 80 s, 40 s, then 50 ms old.
    clock.observe(80_050, 1_005_000);
    clock.observe(40_050, 1_005_003);
    clock.observe(50, 1_005_006);
    expect(clock.estimate).toBe(50);
    clock.observe(60, 1_006_000);
    clock.observe(-3_600_000, 1_006_050);
    // An outlier within a burst replaces one observation, and the median ignores one.
    expect(clock.estimate).toBe(50);
  });

  it('refuses a window that is not a positive integer and a floor time that is not positive', () => {
    expect(() => new ClockOffset({ window: 0 })).toThrow(/clock window must be a positive integer/);
    expect(() => new ClockOffset({ floorMs: Number.NaN })).toThrow(/clock floor time/);
  });
});
