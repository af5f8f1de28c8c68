/**
 * The first step with any Prometheus answer: is it the v1 API's JSON envelope, and did it
 * succeed? `{"status":"success"|"error","data":…,"errorType","error","warnings":[…],"infos":[…]}`
 * (contracts §6.1; `infos` is 3.x). Anything else — a proxy's HTML 502 page, plain text from an
 * auth gateway, an empty body — becomes a PrometheusError that says what came back and from where.
 */
import { jsonPrefix } from '../boundedJson.js';
import { PrometheusError } from './PrometheusError.js';
import type { PrometheusHttpResponse } from './request.js';

/** Decoded data plus the server's non-fatal notes, which the UI shows beside the chart. */
export interface PromResult<T> {
  data: T;
  warnings: string[];
  infos: string[];
}

/** Longest body excerpt quoted in a message: enough to recognise a proxy's page. */
const EXCERPT_CHARS = 200;

/** The `<title>` of an HTML page, else its text without tags, squeezed, at most 200 chars. */
export function bodyExcerpt(body: string): string {
  const title = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(body)?.[1];
  const text = (title ?? body)
    .replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
  if (text === '') return '(empty body)';
  return text.length > EXCERPT_CHARS ? `${text.slice(0, EXCERPT_CHARS)}…` : text;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function stringList(v: unknown, field: string, res: PrometheusHttpResponse): string[] {
  if (v === undefined || v === null) return [];
  if (Array.isArray(v) && v.every((s) => typeof s === 'string')) return v as string[];
  throw new PrometheusError({
    kind: 'invalid',
    url: res.url,
    status: res.status,
    detail: `"${field}" should be a list of strings, got ${jsonPrefix(v, 80)}`,
  });
}

/**
 * Checks the envelope and returns its `data` undecoded (the endpoint-specific decoders check it).
 * Throws PrometheusError for every failure; warnings ride along on the error too.
 */
export function parseEnvelope(res: PrometheusHttpResponse): PromResult<unknown> {
  const ok = res.status >= 200 && res.status < 300;
  const first = /\S/.exec(res.body)?.[0];
  let json: unknown;
  let parsed = false;
  if (first === '{' || first === '[') {
    try {
      json = JSON.parse(res.body);
      parsed = true;
    } catch {
      parsed = false;
    }
  }
  if (!parsed) {
    throw new PrometheusError({
      kind: 'non-json',
      url: res.url,
      status: res.status,
      contentType: res.contentType.split(';')[0]?.trim() || 'no content type',
      detail: bodyExcerpt(res.body),
    });
  }
  const envelope = isObject(json) && (json.status === 'success' || json.status === 'error');
  if (!envelope) {
    const detail = `expected {"status": "success"|"error", …}, got ${res.body.trim().slice(0, 120)}`;
    throw new PrometheusError({
      kind: ok ? 'invalid' : 'http',
      url: res.url,
      status: res.status,
      detail,
    });
  }
  const e = json as Record<string, unknown>;
  const warnings = stringList(e.warnings, 'warnings', res);
  const infos = stringList(e.infos, 'infos', res);
  if (e.status === 'error') {
    throw new PrometheusError({
      kind: 'api',
      url: res.url,
      status: res.status,
      errorType: typeof e.errorType === 'string' ? e.errorType : undefined,
      detail: typeof e.error === 'string' && e.error !== '' ? e.error : '(no error text)',
      warnings,
    });
  }
  if (!ok) {
    const detail = `status "success" with HTTP ${res.status}`;
    throw new PrometheusError({ kind: 'http', url: res.url, status: res.status, detail, warnings });
  }
  if (!('data' in e)) {
    throw new PrometheusError({
      kind: 'invalid',
      url: res.url,
      status: res.status,
      detail: 'no "data"',
    });
  }
  return { data: e.data, warnings, infos };
}

/** For decoders: a shape error at `path` (e.g. `data.result[3].values[17]`). */
export function invalid(res: PrometheusHttpResponse, path: string, what: string): PrometheusError {
  return new PrometheusError({
    kind: 'invalid',
    url: res.url,
    status: res.status,
    detail: `${path}: ${what}`,
  });
}

/** A short rendering of an unexpected value for messages. */
export function shown(v: unknown): string {
  if (v === undefined) return 'nothing';
  // jsonPrefix, not JSON.stringify: a value nested 10^5 deep must not throw RangeError here.
  const s = jsonPrefix(v, 61);
  return s.length > 60 ? `${s.slice(0, 60)}…` : s;
}

export { isObject };
