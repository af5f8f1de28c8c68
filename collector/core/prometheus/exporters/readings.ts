/**
 * One series' newest reading and how readings combine: DCGM blanks and NaN as no reading, the NPU
 * exporter's health on the catalog scale, a memory total from its parts, a MIG GPU's values from
 * its instances', and a counter's rate from raw samples. Pure; used by FleetAssembler.ts.
 */
import type { Sample } from '../../protocol/spec.js';
import { isBlankValue } from '../blank.js';
import type { MatrixSeries } from '../response.js';

/** Metrics whose MIG instances add up to the GPU's. */
const ADDITIVE = new Set(['device.memory.used', 'device.memory.total']);
const MEAN = new Set(['device.utilization']);

export interface Reading {
  v: number | null;
  t: number;
  raw?: string;
}

/** The newest sample of a series: blank sentinels and NaN are no reading. */
export function last(s: MatrixSeries): Reading | undefined {
  const n = s.times.length;
  if (n === 0) return undefined;
  const v = s.values[n - 1]!;
  const t = s.times[n - 1]!;
  return !isBlankValue(v) ? { v, t } : { v: null, t, raw: Number.isNaN(v) ? 'NaN' : 'blank' };
}

/** The NPU exporter's health (1 healthy, 0 unhealthy, -1 unknown) on the catalog's scale. */
export function convert(name: string, metric: string, v: number): number | null {
  if (metric === 'device.health' && name.startsWith('npu_')) {
    return v === 1 ? 0 : v === 0 ? 2 : null;
  }
  return v;
}

/** Memory total from used + free (+ reserved), in bytes, where no total series exists. */
export function withTotal(values: Map<string, Reading>): Map<string, Reading> {
  if (values.has('device.memory.total')) return values;
  const parts = [...values].filter(([k]) => k.startsWith('part:'));
  if (parts.length < 2 || parts.some(([, r]) => r.v === null)) return values;
  const out = new Map(values);
  const mib = parts.reduce((sum, [, r]) => sum + (r.v ?? 0), 0);
  out.set('device.memory.total', {
    v: mib * 1024 * 1024,
    t: Math.max(...parts.map(([, r]) => r.t)),
  });
  return out;
}

export function rollUp(metric: string, list: readonly Reading[]): Reading {
  const t = Math.max(...list.map((r) => r.t));
  const vals = list.map((r) => r.v).filter((v): v is number => v !== null);
  if (vals.length === 0) return { v: null, t };
  const sum = vals.reduce((a, b) => a + b, 0);
  if (ADDITIVE.has(metric)) return { v: sum, t };
  if (MEAN.has(metric)) return { v: sum / vals.length, t };
  return { v: Math.max(...vals), t };
}

export function sample(m: string, r: Reading, d?: string, l?: Record<string, string>): Sample {
  const s: Sample = { m, v: r.v, t: r.t };
  if (d !== undefined) s.d = d;
  if (r.v === null) {
    s.s = 'unsupported';
    if (r.raw) s.raw = r.raw;
  }
  if (l) s.l = l;
  return s;
}

/** Per-second increase over the window's samples, across counter resets, as rate() takes it. */
export function counterRate(s: MatrixSeries): number | null {
  const n = s.times.length;
  if (n < 2) return null;
  let increase = 0;
  for (let i = 1; i < n; i++) {
    const a = s.values[i - 1]!;
    const b = s.values[i]!;
    if (isBlankValue(a) || isBlankValue(b)) return null;
    increase += b >= a ? b - a : b;
  }
  const dt = (s.times[n - 1]! - s.times[0]!) / 1000;
  return dt > 0 ? increase / dt : null;
}
