/**
 * The non-query endpoints the console uses (contracts §6.1), decoded and checked: series, label
 * names and values, alerts, build info, metric metadata. Small payloads, so plain checks that name
 * the path of the first wrong field.
 */
import { invalid, isObject, parseEnvelope, shown, type PromResult } from './envelope.js';
import type { PrometheusHttpResponse } from './request.js';
import { parseSampleValue, type Labels } from './response.js';

type Res = PrometheusHttpResponse;

export interface PromAlert {
  labels: Labels;
  annotations: Labels;
  state: 'firing' | 'pending' | 'inactive';
  /** RFC 3339 as the server wrote it; absent on some compatible backends */
  activeAt?: string;
  /** The alert expression's value ("1e+00" on the wire); NaN when absent */
  value: number;
}

/** `/api/v1/status/buildinfo`; the keys "may change without notice", so only version is required. */
export interface BuildInfo {
  version: string;
  revision?: string;
  branch?: string;
  buildUser?: string;
  buildDate?: string;
  goVersion?: string;
}

export interface MetricMetadata {
  type: string;
  help: string;
  unit: string;
}

function labelSet(res: Res, m: unknown, path: string): Labels {
  if (!isObject(m)) throw invalid(res, path, `expected a label set, got ${shown(m)}`);
  for (const k in m) {
    if (typeof m[k] !== 'string')
      throw invalid(res, `${path}.${k}`, `expected a string, got ${shown(m[k])}`);
  }
  return m as Labels;
}

/** `/api/v1/series`: one label set per series. */
export function parseSeriesResponse(res: Res): PromResult<Labels[]> {
  const env = parseEnvelope(res);
  if (!Array.isArray(env.data))
    throw invalid(res, 'data', `expected a list, got ${shown(env.data)}`);
  const data = env.data.map((s, i) => labelSet(res, s, `data[${i}]`));
  return { ...env, data };
}

/** `/api/v1/labels` and `/api/v1/label/<name>/values`: a list of strings (null means empty). */
export function parseStringListResponse(res: Res): PromResult<string[]> {
  const env = parseEnvelope(res);
  if (env.data === null) return { ...env, data: [] };
  if (!Array.isArray(env.data))
    throw invalid(res, 'data', `expected a list, got ${shown(env.data)}`);
  env.data.forEach((s, i) => {
    if (typeof s !== 'string')
      throw invalid(res, `data[${i}]`, `expected a string, got ${shown(s)}`);
  });
  return env as PromResult<string[]>;
}

const STATES = new Set(['firing', 'pending', 'inactive']);

/** `/api/v1/alerts`. */
export function parseAlertsResponse(res: Res): PromResult<PromAlert[]> {
  const env = parseEnvelope(res);
  const d = env.data;
  if (!isObject(d) || !Array.isArray(d.alerts))
    throw invalid(res, 'data.alerts', `expected a list, got ${shown(isObject(d) ? d.alerts : d)}`);
  const data = d.alerts.map((a: unknown, i): PromAlert => {
    const path = `data.alerts[${i}]`;
    if (!isObject(a)) throw invalid(res, path, `expected an alert, got ${shown(a)}`);
    if (typeof a.state !== 'string' || !STATES.has(a.state))
      throw invalid(
        res,
        `${path}.state`,
        `expected firing|pending|inactive, got ${shown(a.state)}`,
      );
    if (a.activeAt !== undefined && typeof a.activeAt !== 'string')
      throw invalid(res, `${path}.activeAt`, `expected a time string, got ${shown(a.activeAt)}`);
    return {
      labels: labelSet(res, a.labels, `${path}.labels`),
      annotations:
        a.annotations === undefined ? {} : labelSet(res, a.annotations, `${path}.annotations`),
      state: a.state as PromAlert['state'],
      ...(typeof a.activeAt === 'string' ? { activeAt: a.activeAt } : {}),
      value: typeof a.value === 'string' ? parseSampleValue(a.value) : Number.NaN,
    };
  });
  return { ...env, data };
}

const BUILD_KEYS = ['revision', 'branch', 'buildUser', 'buildDate', 'goVersion'] as const;

/** `/api/v1/status/buildinfo`. */
export function parseBuildInfoResponse(res: Res): PromResult<BuildInfo> {
  const env = parseEnvelope(res);
  const d = env.data;
  if (!isObject(d) || typeof d.version !== 'string')
    throw invalid(
      res,
      'data.version',
      `expected a version string, got ${shown(isObject(d) ? d.version : d)}`,
    );
  const data: BuildInfo = { version: d.version };
  for (const k of BUILD_KEYS) if (typeof d[k] === 'string') data[k] = d[k];
  return { ...env, data };
}

/** `/api/v1/metadata`: metric name → its (possibly several, one per target kind) descriptions. */
export function parseMetadataResponse(res: Res): PromResult<Record<string, MetricMetadata[]>> {
  const env = parseEnvelope(res);
  const d = env.data;
  if (!isObject(d)) throw invalid(res, 'data', `expected an object, got ${shown(d)}`);
  const data: Record<string, MetricMetadata[]> = {};
  for (const [name, list] of Object.entries(d)) {
    if (!Array.isArray(list))
      throw invalid(res, `data.${name}`, `expected a list, got ${shown(list)}`);
    data[name] = list.map((m: unknown, i) => {
      const path = `data.${name}[${i}]`;
      if (!isObject(m) || typeof m.type !== 'string' || typeof m.help !== 'string')
        throw invalid(res, path, `expected {type, help, unit}, got ${shown(m)}`);
      return { type: m.type, help: m.help, unit: typeof m.unit === 'string' ? m.unit : '' };
    });
  }
  return { ...env, data };
}

/** One active scrape target (`/api/v1/targets`, contracts §6.1; 2.42 field names). */
export interface ScrapeTarget {
  labels: Labels;
  scrapePool: string;
  health: 'up' | 'down' | 'unknown';
  lastError: string;
  /** Milliseconds; undefined where the server does not say (older or compatible backends). */
  scrapeIntervalMs?: number;
}

/** Go durations as Prometheus writes them: `15s`, `1m30s`, `500ms`, `1h`. */
export function parseDurationMs(text: string): number | undefined {
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h|d|w|y)/g;
  const unit: Record<string, number> = {
    ms: 1,
    s: 1000,
    m: 60_000,
    h: 3_600_000,
    d: 86_400_000,
    w: 604_800_000,
    y: 31_536_000_000,
  };
  let total = 0;
  let consumed = 0;
  for (const m of text.matchAll(re)) {
    if (m.index !== consumed) return undefined;
    total += Number(m[1]) * unit[m[2]!]!;
    consumed += m[0].length;
  }
  return consumed === text.length && consumed > 0 ? total : undefined;
}

/** `/api/v1/targets`: the active targets; dropped ones are not read. */
export function parseTargetsResponse(res: Res): PromResult<ScrapeTarget[]> {
  const env = parseEnvelope(res);
  const d = env.data;
  if (!isObject(d) || !Array.isArray(d.activeTargets))
    throw invalid(
      res,
      'data.activeTargets',
      `expected a list, got ${shown(isObject(d) ? d.activeTargets : d)}`,
    );
  const data = d.activeTargets.map((t: unknown, i): ScrapeTarget => {
    const path = `data.activeTargets[${i}]`;
    if (!isObject(t)) throw invalid(res, path, `expected a target, got ${shown(t)}`);
    const health = t.health;
    if (health !== 'up' && health !== 'down' && health !== 'unknown')
      throw invalid(res, `${path}.health`, `expected up|down|unknown, got ${shown(health)}`);
    const out: ScrapeTarget = {
      labels: labelSet(res, t.labels, `${path}.labels`),
      scrapePool: typeof t.scrapePool === 'string' ? t.scrapePool : '',
      health,
      lastError: typeof t.lastError === 'string' ? t.lastError : '',
    };
    const interval =
      typeof t.scrapeInterval === 'string' ? parseDurationMs(t.scrapeInterval) : undefined;
    if (interval !== undefined) out.scrapeIntervalMs = interval;
    return out;
  });
  return { ...env, data };
}
