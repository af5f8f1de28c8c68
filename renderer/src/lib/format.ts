/**
 * Every number on screen goes through here, so each carries its unit and the same precision rules
 * (three significant digits, trailing zeros dropped: "632 W", "24.3 %", "1.25 MB/s").
 */
import type { MetricUnit } from '../../../collector/core/catalog.js';
import type { SampleStatus } from '../../../collector/core/protocol/spec.js';
import { displayName } from './displayName.js';

const BYTE_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'] as const;
const RATE_UNITS = ['B/s', 'kB/s', 'MB/s', 'GB/s', 'TB/s'] as const;

/**
 * Three significant digits at every magnitude, trailing zeros dropped: 0.0167, 0.0059, 1.25, 24.3,
 * 632. Integers of 1000 and more stay whole ("12345"): rounding them to 12300 would hide counts.
 * Fixed decimals printed a 0.0167 req/s rate as "0.02" and 0.004 as "0" (issue 12).
 */
export function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const abs = Math.abs(v);
  if (abs >= 100) return String(Math.round(v) || 0);
  if (abs === 0) return '0';
  const r = Number(v.toPrecision(3));
  // String() switches to exponent notation below 1e-6 ("1.23e-7"); spell it out instead.
  if (Math.abs(r) >= 1e-6) return String(r);
  const decimals = Math.min(100, 2 - Math.floor(Math.log10(Math.abs(r))));
  return r.toFixed(decimals).replace(/\.?0+$/, '');
}

/** Memory in binary units, as nvidia-smi and free(1) count it. */
export function formatBytes(v: number): string {
  return scaled(v, 1024, BYTE_UNITS);
}

/** Throughput in decimal units, as network interfaces are rated. */
export function formatRate(v: number): string {
  return scaled(v, 1000, RATE_UNITS);
}

function scaled(v: number, base: number, units: readonly string[]): string {
  let i = 0;
  let x = v;
  while (Math.abs(x) >= base && i < units.length - 1) {
    x /= base;
    i += 1;
  }
  return `${formatNumber(x)} ${units[i]}`;
}

/** A value with its unit. */
export function formatValue(v: number, unit: MetricUnit): string {
  switch (unit) {
    case 'percent':
      return `${formatNumber(v)} %`;
    case 'bytes':
      return formatBytes(v);
    case 'bytes/s':
      return formatRate(v);
    case 'watts':
      return `${formatNumber(v)} W`;
    case 'celsius':
      return `${formatNumber(v)} °C`;
    case 'megahertz':
      return `${formatNumber(v)} MHz`;
    case 'seconds':
      return v < 1 ? `${formatNumber(v * 1000)} ms` : `${formatNumber(v)} s`;
    case 'tokens/s':
      return `${formatNumber(v)} tok/s`;
    case 'count':
    case 'none':
      return formatNumber(v);
  }
}

const pad2 = (n: number): string => String(n).padStart(2, '0');

/**
 * "2026-12-02 14:03:05", local time: ISO order reads the same in every locale ("02/12/2026" is
 * 2 December in Europe and February 12 in the US). Crosshair and tooltip times use it.
 */
export function formatDateTime(t: number): string {
  if (!Number.isFinite(t)) return '';
  const d = new Date(t);
  const date = `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())}`;
  return `${date} ${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}`;
}

/** "just now", "3 s ago", "4 min ago", "2 h ago". Negative ages (clock skew) read as "just now". */
export function formatAge(ms: number): string {
  if (!Number.isFinite(ms) || ms < 1000) return 'just now';
  const s = Math.floor(ms / 1000);
  if (s < 120) return `${s} s ago`;
  const min = Math.floor(s / 60);
  if (min < 120) return `${min} min ago`;
  return `${Math.floor(min / 60)} h ago`;
}

const STATUS_TEXT: Record<SampleStatus, string> = {
  unsupported: 'unsupported',
  denied: 'permission denied',
  error: 'read error',
  missing: 'not reported',
  deprecated: 'deprecated by the driver',
};

/**
 * Why a value is absent, in the tool's own words when it gave any: "unsupported ([N/A])". Those
 * words come from outside, so invisible characters in them are escaped like a name's.
 */
export function formatNoData(status: SampleStatus | undefined, raw: string | undefined): string {
  const reason = status ? STATUS_TEXT[status] : 'not reported';
  return raw ? `${reason} (${displayName(raw)})` : reason;
}
