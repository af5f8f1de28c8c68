/**
 * The latency view's units and how numbers read in each: latencies in ms (s above 10 s), rates
 * per second, shares in %. One place, so an axis and its tooltip never disagree.
 */
import { formatNumber } from '../../lib/format.js';

export type LatencyUnit =
  'seconds' | 'percent' | 'tokens/s' | 'requests/s' | 'per-second' | 'count';

/** The axis name: what a bare number on that axis is measured in. */
export const UNIT_AXIS_NAME: Record<LatencyUnit, string> = {
  seconds: 'latency',
  percent: '%',
  'tokens/s': 'tok/s',
  'requests/s': 'req/s',
  'per-second': '/s',
  count: 'requests',
};

export function formatLatencyValue(v: number, unit: LatencyUnit): string {
  switch (unit) {
    case 'seconds':
      return formatSeconds(v);
    case 'percent':
      return `${formatNumber(v)} %`;
    case 'tokens/s':
      return `${formatCompact(v)} tok/s`;
    case 'requests/s':
      return `${formatNumber(v)} req/s`;
    case 'per-second':
      return `${formatNumber(v)} /s`;
    case 'count':
      return formatNumber(v);
  }
}

/**
 * "0 ms", "850 µs", "12.5 ms", "1.25 s", "400 s", "12 min" for the long tail of e2e. Seconds up to
 * 10 min, so the axis ticks ECharts picks (multiples of 100 or 200 s) read as round numbers.
 */
export function formatSeconds(v: number): string {
  const abs = Math.abs(v);
  if (abs === 0) return '0 ms';
  if (abs < 0.001) return `${formatNumber(v * 1e6)} µs`;
  if (abs < 1) return `${formatNumber(v * 1000)} ms`;
  if (abs < 600) return `${formatNumber(v)} s`;
  return `${formatNumber(v / 60)} min`;
}

/** 9,120 → "9.12k": token rates run to hundreds of thousands across a fleet. */
export function formatCompact(v: number): string {
  const abs = Math.abs(v);
  if (abs >= 1e6) return `${formatNumber(v / 1e6)}M`;
  if (abs >= 1e4) return `${formatNumber(v / 1e3)}k`;
  return formatNumber(v);
}
