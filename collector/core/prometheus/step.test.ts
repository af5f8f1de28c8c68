import { describe, expect, it } from 'vitest';

import { alignRange, chooseStep, MAX_POINTS, niceStep, planRange, promDuration } from './step.js';

const H = 3_600_000;
const T = 1_767_436_620_000;

describe('chooseStep', () => {
  it('gives about one point per 2 px, rounded up to a nice step', () => {
    // 1 h over 1200 px → 600 points → 6 s → 10 s.
    expect(chooseStep({ startMs: T - H, endMs: T, widthPx: 1200, minStepS: 1 })).toBe(10);
    // 24 h over 1200 px → 144 s → 5 m.
    expect(chooseStep({ startMs: T - 24 * H, endMs: T, widthPx: 1200 })).toBe(300);
    // 7 d over 800 px → 1512 s → 30 m.
    expect(chooseStep({ startMs: T - 168 * H, endMs: T, widthPx: 800 })).toBe(1800);
  });

  it('never goes below the minimum step (scrape interval, 15 s by default)', () => {
    expect(chooseStep({ startMs: T - 5 * 60_000, endMs: T, widthPx: 2000 })).toBe(15);
    expect(chooseStep({ startMs: T - 5 * 60_000, endMs: T, widthPx: 2000, minStepS: 30 })).toBe(30);
  });

  it('keeps (end - start) / step ≤ 11,000 even for very wide charts', () => {
    const span = 30 * 24 * H;
    const step = chooseStep({
      startMs: T - span,
      endMs: T,
      widthPx: 1e7,
      pxPerPoint: 1,
      minStepS: 1,
    });
    expect(step).toBeGreaterThanOrEqual(Math.ceil(span / 1000 / MAX_POINTS));
    expect(span / 1000 / step).toBeLessThanOrEqual(MAX_POINTS);
  });
});

describe('niceStep and promDuration', () => {
  it('rounds up to the table, then whole days', () => {
    expect(niceStep(0.2)).toBe(1);
    expect(niceStep(16)).toBe(30);
    expect(niceStep(61)).toBe(120);
    expect(niceStep(86_401)).toBe(2 * 86_400);
    expect(niceStep(8 * 86_400 + 1)).toBe(9 * 86_400);
  });

  it('writes durations in the largest whole unit', () => {
    expect(promDuration(90)).toBe('90s');
    expect(promDuration(300)).toBe('5m');
    expect(promDuration(7200)).toBe('2h');
    expect(promDuration(86_400)).toBe('1d');
    expect(promDuration(0.4)).toBe('1s');
  });
});

describe('alignRange and planRange', () => {
  it('aligns to the step grid so refreshes a few seconds apart ask for the same points', () => {
    const a = planRange({ startMs: T - H + 3_000, endMs: T + 3_000, widthPx: 1200, minStepS: 15 });
    const b = planRange({ startMs: T - H + 9_000, endMs: T + 9_000, widthPx: 1200, minStepS: 15 });
    expect(a.stepS).toBe(15);
    expect(a.startMs % 15_000).toBe(0);
    expect(a.endMs % 15_000).toBe(0);
    expect([b.startMs, b.endMs]).toEqual([a.startMs, a.endMs]);
    expect(a.points).toBe((a.endMs - a.startMs) / 15_000 + 1);
    expect(alignRange(1_001, 59_999, 15)).toEqual({ startMs: 0, endMs: 45_000 });
  });

  it('stays within 11,000 points after alignment', () => {
    const p = planRange({
      startMs: 500,
      endMs: 11_000_500,
      widthPx: 1e9,
      pxPerPoint: 1,
      minStepS: 1,
    });
    expect((p.endMs - p.startMs) / (p.stepS * 1000)).toBeLessThanOrEqual(MAX_POINTS);
  });
});
