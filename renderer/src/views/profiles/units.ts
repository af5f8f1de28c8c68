/**
 * Weights and shares as the Profiles view prints them, always with their unit: "1,204 samples",
 * "12.3 ms", "1.5 MiB", "23.4 %", "+8.12 pp". Three significant digits through lib/format.ts
 * (formatNumber), except whole counts, which keep every digit and a thousands separator.
 */
import type { WeightUnit } from '../../../../collector/core/profile/model.js';
import { formatBytes, formatNumber } from '../../lib/format.js';

const TIME_STEPS: ReadonlyArray<[number, string]> = [
  [1e9, 's'],
  [1e6, 'ms'],
  [1e3, 'µs'],
];

/** A count with a noun: "1 sample", "1,204 samples"; fractions at three significant digits. */
function counted(v: number, noun: string): string {
  const n = Number.isInteger(v) ? v.toLocaleString('en') : formatNumber(v);
  return `${n} ${v === 1 ? noun : `${noun}s`}`;
}

/** A weight in its profile's unit. */
export function formatWeight(v: number, unit: WeightUnit): string {
  switch (unit) {
    case 'samples':
      return counted(v, 'sample');
    case 'count':
      return counted(v, 'event');
    case 'bytes':
      return formatBytes(v);
    case 'nanoseconds': {
      const abs = Math.abs(v);
      for (const [scale, suffix] of TIME_STEPS) {
        if (abs >= scale) return `${formatNumber(v / scale)} ${suffix}`;
      }
      return `${formatNumber(v)} ns`;
    }
  }
}

/** What a unit is called in a sentence ("same unit: samples"). */
export function unitName(unit: WeightUnit): string {
  return unit === 'count' ? 'events' : unit;
}

/** A fraction of a total as a percentage: 0.234 → "23.4 %". */
export function formatShare(fraction: number): string {
  return `${formatNumber(fraction * 100)} %`;
}

/**
 * A change in share of total, in percentage points of each profile's own total, signed:
 * 0.0812 → "+8.12 pp", -0.034 → "-3.4 pp", 0 → "0 pp".
 */
export function formatDelta(fraction: number): string {
  const points = fraction * 100;
  if (points === 0) return '0 pp';
  return `${points > 0 ? '+' : '-'}${formatNumber(Math.abs(points))} pp`;
}

/** "1,204": node and row counts. */
export function formatCount(n: number): string {
  return n.toLocaleString('en');
}
