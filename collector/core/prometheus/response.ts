/**
 * Query results (`/api/v1/query`, `/api/v1/query_range`) decoded and checked: resultType matrix,
 * vector, scalar or string; sample values are strings on the wire because of "NaN", "+Inf" and
 * "-Inf" (contracts §6.1). Matrix series become two Float64Arrays (times in ms, values) so a 24 h
 * range of many series stays compact and chart-ready; the check is hand-written in the one loop
 * that converts, because a schema validator walking 10⁶ pairs first would double the cost.
 * Native-histogram samples (`histogram`/`histograms`) are counted in a warning and left out: the
 * console reads classic `_bucket` series.
 */
import { invalid, isObject, parseEnvelope, shown, type PromResult } from './envelope.js';
import type { PrometheusHttpResponse } from './request.js';

export { parseEnvelope, bodyExcerpt, type PromResult } from './envelope.js';

export type Labels = Readonly<Record<string, string>>;

export interface MatrixSeries {
  metric: Labels;
  /** Unix time in milliseconds */
  times: Float64Array;
  values: Float64Array;
}

export interface InstantSample {
  metric: Labels;
  /** Unix time in milliseconds */
  time: number;
  value: number;
}

export type QueryData =
  | { resultType: 'matrix'; result: MatrixSeries[] }
  | { resultType: 'vector'; result: InstantSample[] }
  | { resultType: 'scalar'; time: number; value: number }
  | { resultType: 'string'; time: number; value: string };

/** A sample value as Prometheus formats it (Go strconv 'g' or "NaN"/"+Inf"/"-Inf"); NaN if not. */
export function parseSampleValue(s: string): number {
  const n = Number(s);
  // Number('') and Number(' ') are 0: an empty value is not a sample.
  if (!Number.isNaN(n)) return s.length > 0 && s.charCodeAt(0) > 32 ? n : Number.NaN;
  if (s === '+Inf' || s === 'Inf') return Number.POSITIVE_INFINITY;
  if (s === '-Inf') return Number.NEGATIVE_INFINITY;
  return Number.NaN;
}

type Res = PrometheusHttpResponse;

function value(res: Res, v: unknown, path: string): number {
  if (typeof v !== 'string')
    throw invalid(res, path, `expected a string sample value, got ${shown(v)}`);
  const n = parseSampleValue(v);
  if (Number.isNaN(n) && v !== 'NaN') throw invalid(res, path, `not a number: ${shown(v)}`);
  return n;
}

function time(res: Res, t: unknown, path: string): number {
  if (typeof t !== 'number' || !Number.isFinite(t))
    throw invalid(res, path, `expected a unix time in seconds, got ${shown(t)}`);
  return Math.round(t * 1000);
}

function labels(res: Res, m: unknown, path: string): Labels {
  if (!isObject(m)) throw invalid(res, path, `expected a label set, got ${shown(m)}`);
  for (const k in m) {
    if (typeof m[k] !== 'string')
      throw invalid(res, `${path}.${k}`, `expected a string, got ${shown(m[k])}`);
  }
  return m as Labels;
}

function pair(res: Res, p: unknown, path: string): [number, number] {
  if (!Array.isArray(p) || p.length !== 2)
    throw invalid(res, path, `expected [time, "value"], got ${shown(p)}`);
  return [time(res, p[0], `${path}[0]`), value(res, p[1], `${path}[1]`)];
}

function matrix(res: Res, result: unknown[], notes: string[]): MatrixSeries[] {
  const out: MatrixSeries[] = [];
  let native = 0;
  for (let i = 0; i < result.length; i++) {
    const s = result[i];
    const path = `data.result[${i}]`;
    if (!isObject(s)) throw invalid(res, path, `expected a series, got ${shown(s)}`);
    const metric = labels(res, s.metric, `${path}.metric`);
    if (s.values === undefined && s.histograms !== undefined) {
      native++;
      continue;
    }
    if (!Array.isArray(s.values))
      throw invalid(res, `${path}.values`, `expected a list, got ${shown(s.values)}`);
    const vs = s.values as unknown[];
    const times = new Float64Array(vs.length);
    const values = new Float64Array(vs.length);
    for (let j = 0; j < vs.length; j++) {
      const p = vs[j];
      // The fast path: a well-formed pair; anything else goes through the checks for the message.
      if (
        Array.isArray(p) &&
        p.length === 2 &&
        typeof p[0] === 'number' &&
        typeof p[1] === 'string'
      ) {
        const n = parseSampleValue(p[1]);
        if (!Number.isNaN(n) || p[1] === 'NaN') {
          times[j] = Math.round(p[0] * 1000);
          values[j] = n;
          continue;
        }
      }
      [times[j], values[j]] = pair(res, p, `${path}.values[${j}]`);
    }
    if (s.histograms !== undefined) native++;
    out.push({ metric, times, values });
  }
  if (native > 0) notes.push(`${native} native-histogram series left out (classic buckets only)`);
  return out;
}

function vector(res: Res, result: unknown[], notes: string[]): InstantSample[] {
  const out: InstantSample[] = [];
  let native = 0;
  for (let i = 0; i < result.length; i++) {
    const s = result[i];
    const path = `data.result[${i}]`;
    if (!isObject(s)) throw invalid(res, path, `expected a sample, got ${shown(s)}`);
    const metric = labels(res, s.metric, `${path}.metric`);
    if (s.value === undefined && s.histogram !== undefined) {
      native++;
      continue;
    }
    const [t, v] = pair(res, s.value, `${path}.value`);
    out.push({ metric, time: t, value: v });
  }
  if (native > 0) notes.push(`${native} native-histogram samples left out (classic buckets only)`);
  return out;
}

/** `/api/v1/query` or `/api/v1/query_range`, any resultType. */
export function parseQueryResponse(res: Res): PromResult<QueryData> {
  const env = parseEnvelope(res);
  const d = env.data;
  if (!isObject(d)) throw invalid(res, 'data', `expected an object, got ${shown(d)}`);
  const warnings = [...env.warnings];
  const r = d.result;
  switch (d.resultType) {
    case 'matrix':
    case 'vector': {
      if (!Array.isArray(r)) throw invalid(res, 'data.result', `expected a list, got ${shown(r)}`);
      const data: QueryData =
        d.resultType === 'matrix'
          ? { resultType: 'matrix', result: matrix(res, r, warnings) }
          : { resultType: 'vector', result: vector(res, r, warnings) };
      return { data, warnings, infos: env.infos };
    }
    case 'scalar': {
      const [t, v] = pair(res, r, 'data.result');
      return { data: { resultType: 'scalar', time: t, value: v }, warnings, infos: env.infos };
    }
    case 'string': {
      if (!Array.isArray(r) || r.length !== 2 || typeof r[1] !== 'string')
        throw invalid(res, 'data.result', `expected [time, "string"], got ${shown(r)}`);
      const t = time(res, r[0], 'data.result[0]');
      return { data: { resultType: 'string', time: t, value: r[1] }, warnings, infos: env.infos };
    }
    default:
      throw invalid(
        res,
        'data.resultType',
        `expected matrix|vector|scalar|string, got ${shown(d.resultType)}`,
      );
  }
}

/** A range query: always a matrix (a scalar expression comes back as one unlabelled series). */
export function parseRangeResponse(res: Res): PromResult<MatrixSeries[]> {
  const r = parseQueryResponse(res);
  if (r.data.resultType !== 'matrix')
    throw invalid(
      res,
      'data.resultType',
      `a range query should give "matrix", got "${r.data.resultType}"`,
    );
  return { ...r, data: r.data.result };
}

/** An instant query as a list of samples: a scalar becomes one unlabelled sample. */
export function parseInstantResponse(res: Res): PromResult<InstantSample[]> {
  const r = parseQueryResponse(res);
  const d = r.data;
  if (d.resultType === 'vector') return { ...r, data: d.result };
  if (d.resultType === 'scalar')
    return { ...r, data: [{ metric: {}, time: d.time, value: d.value }] };
  throw invalid(
    res,
    'data.resultType',
    `an instant query should give "vector", got "${d.resultType}"`,
  );
}
