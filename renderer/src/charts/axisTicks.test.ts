import { describe, expect, it } from 'vitest';

import { durationAxis, durationUnit, timeAxisTicks, timeTicks } from './axisTicks.js';

/** The labels an axis from 0 to its top shows. */
function labels(maxSeconds: number): string[] {
  const a = durationAxis(maxSeconds);
  const out: string[] = [];
  for (let i = 0; i * a.interval <= a.max * (1 + 1e-9); i++) out.push(a.format(i * a.interval));
  return out;
}

describe('durationAxis', () => {
  it('labels every tick in one unit, chosen from the axis top', () => {
    // The mixed axis came from a ~1 s top ("0 ms, 500 ms, 1 s").
    expect(labels(0.9)).toEqual(['0 s', '0.25 s', '0.5 s', '0.75 s', '1 s']);
    expect(labels(0.42)).toEqual(['0 ms', '200 ms', '400 ms', '600 ms']);
    expect(labels(0.0037)).toEqual(['0 ms', '1 ms', '2 ms', '3 ms', '4 ms']);
    expect(labels(0.00085)).toEqual(['0 ms', '0.25 ms', '0.5 ms', '0.75 ms', '1 ms']);
    expect(labels(0.00042)).toEqual(['0 µs', '200 µs', '400 µs', '600 µs']);
  });

  it('reads a long tail in minutes at round steps: 0, 5, 10, 15 min', () => {
    // "0 ms, 500 s, 16.7 min" before: 1000 s is 16.7 min.
    expect(labels(1000)).toEqual(['0 min', '5 min', '10 min', '15 min', '20 min']);
    expect(labels(700)).toEqual(['0 min', '5 min', '10 min', '15 min']);
    expect(labels(150)).toEqual(['0 s', '50 s', '100 s', '150 s']);
    expect(labels(5 * 3600)).toEqual(['0 h', '2 h', '4 h', '6 h']);
  });

  it('keeps the top at or above the data and the interval a divisor of it', () => {
    for (const m of [0.0001, 0.003, 0.07, 0.9, 1.3, 6.38, 42, 179, 181, 900, 7000, 1e5]) {
      const a = durationAxis(m);
      expect(a.max).toBeGreaterThanOrEqual(m * (1 - 1e-9));
      const n = a.max / a.interval;
      expect(Math.abs(n - Math.round(n))).toBeLessThan(1e-6);
      expect(Math.round(n)).toBeLessThanOrEqual(4);
    }
  });

  it('gives an empty axis a top of 1 s rather than 0 or NaN', () => {
    expect(durationAxis(0).max).toBe(1);
    expect(durationAxis(Number.NaN).max).toBe(1);
  });
});

describe('durationUnit', () => {
  it('reads every value in the unit of the largest', () => {
    const ms = durationUnit(0.5);
    expect([0.001, 0.05, 0.5].map(ms.format)).toEqual(['1 ms', '50 ms', '500 ms']);
    const s = durationUnit(2.5);
    expect([0.05, 1, 2.5].map(s.format)).toEqual(['0.05 s', '1 s', '2.5 s']);
    expect(durationUnit(1000).name).toBe('min');
  });
});

describe('timeTicks', () => {
  const at = (h: number, m: number, s = 0) => new Date(2026, 11, 2, h, m, s).getTime();

  it('puts ticks on round local clock times in one format', () => {
    const t = timeTicks(at(14, 3, 5), at(15, 3, 5), 6);
    expect(t.values.map(t.format)).toEqual(['14:10', '14:20', '14:30', '14:40', '14:50', '15:00']);
  });

  it('shows seconds only when ticks are seconds apart', () => {
    const t = timeTicks(at(14, 3, 5), at(14, 4, 5), 6);
    expect(t.values.map(t.format)).toEqual([
      '14:03:10',
      '14:03:20',
      '14:03:30',
      '14:03:40',
      '14:03:50',
      '14:04:00',
    ]);
  });

  it('dates every label once the span passes a day, and whole days by date alone', () => {
    const two = timeTicks(at(12, 0), at(12, 0) + 2 * 86_400_000, 4);
    expect(two.values.map(two.format)).toEqual([
      '12-02 12:00',
      '12-03 00:00',
      '12-03 12:00',
      '12-04 00:00',
      '12-04 12:00',
    ]);
    const week = timeTicks(at(12, 0), at(12, 0) + 7 * 86_400_000, 7);
    expect(week.values.map(week.format)).toEqual([
      '12-03',
      '12-04',
      '12-05',
      '12-06',
      '12-07',
      '12-08',
      '12-09',
    ]);
  });

  it('feeds ECharts the same values for labels and tick marks', () => {
    const o = timeAxisTicks(at(14, 0), at(14, 30), 3);
    expect(o.axisLabel.customValues).toEqual([at(14, 0), at(14, 10), at(14, 20), at(14, 30)]);
    expect(o.axisTick.customValues).toEqual(o.axisLabel.customValues);
    expect(o.axisLabel.formatter(at(14, 20))).toBe('14:20');
  });
});
