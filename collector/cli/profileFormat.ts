/** Weights and shares as the `osprey profile` commands print them. */
import type { WeightUnit } from '../core/profile/model.js';
import { formatBytes } from '../core/snapshot/describe.js';

const NUMBER = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });

export function formatWeight(value: number, unit: WeightUnit): string {
  switch (unit) {
    case 'samples':
      return `${NUMBER.format(value)} samples`;
    case 'count':
      return NUMBER.format(value);
    case 'bytes':
      return value < 0 ? `-${formatBytes(-value)}` : formatBytes(value);
    case 'nanoseconds': {
      const abs = Math.abs(value);
      if (abs >= 1e9) return `${NUMBER.format(value / 1e9)} s`;
      if (abs >= 1e6) return `${NUMBER.format(value / 1e6)} ms`;
      if (abs >= 1e3) return `${NUMBER.format(value / 1e3)} µs`;
      return `${NUMBER.format(value)} ns`;
    }
    default:
      return NUMBER.format(value);
  }
}

/** A fraction as a percentage with two decimals: 0.1234 → "12.34 %". */
export function percent(fraction: number): string {
  return `${(fraction * 100).toFixed(2)} %`;
}

/** A change of share as signed points: 0.0312 → "+3.12 pts". */
export function points(delta: number): string {
  const p = delta * 100;
  return `${p > 0 ? '+' : p < 0 ? '−' : '±'}${Math.abs(p).toFixed(2)} pts`;
}

/** Left-aligned columns, the last one not padded. */
export function table(rows: readonly (readonly string[])[], right: ReadonlySet<number>): string {
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.length)));
  return rows
    .map((r) =>
      r
        .map((c, i) =>
          i === r.length - 1 && !right.has(i)
            ? c
            : right.has(i)
              ? c.padStart(widths[i]!)
              : c.padEnd(widths[i]!),
        )
        .join('  '),
    )
    .join('\n');
}

/** A frame name for a table cell: one line, cut at `max`. */
export function cell(text: string, max = 80): string {
  const one = text.replace(/[\r\n\t]+/g, ' ');
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}
