/**
 * A Prometheus answer kept in a snapshot: the request as the console asked it and the server's
 * answer untouched (status, content type, body text). Kept raw, not as the console parsed it, so
 * an offline reader parses it with the same parser and the same checks as a live answer
 * (collector/core/prometheus/response.ts): a crafted file gets the errors a lying server would.
 */
import {
  PROMETHEUS_ENDPOINTS,
  type PrometheusEndpoint,
  type PrometheusRequest,
} from '../prometheus/request.js';

export interface PrometheusAnswer {
  request: PrometheusRequest;
  status: number;
  contentType: string;
  body: string;
  /** When it was answered (ms, the console's clock). */
  time: number;
}

/** A single answer's body; Prometheus range answers on one screen are far smaller. */
export const MAX_ANSWER_BODY_CHARS = 16 * 1024 * 1024;

const isEndpoint = (v: unknown): v is PrometheusEndpoint =>
  typeof v === 'string' && Object.prototype.hasOwnProperty.call(PROMETHEUS_ENDPOINTS, v);

const isParam = (p: unknown): p is [string, string] =>
  Array.isArray(p) && p.length === 2 && typeof p[0] === 'string' && typeof p[1] === 'string';

/** The stored JSON as an answer, or why it is not one (the attachment's name is added by the caller). */
export function parsePrometheusAnswer(value: unknown): PrometheusAnswer | string {
  if (typeof value !== 'object' || value === null) return 'not a JSON object';
  const v = value as Record<string, unknown>;
  const r = v.request as Record<string, unknown> | undefined;
  if (typeof r !== 'object' || r === null) return 'no request';
  if (!isEndpoint(r.endpoint)) return `unknown endpoint ${JSON.stringify(r.endpoint)}`;
  if (!Array.isArray(r.params) || !r.params.every(isParam))
    return 'request.params is not a list of [name, value]';
  if (r.label !== undefined && typeof r.label !== 'string') return 'request.label is not text';
  if (typeof v.status !== 'number' || !Number.isInteger(v.status))
    return 'status is not an integer';
  if (typeof v.contentType !== 'string') return 'contentType is not text';
  if (typeof v.body !== 'string') return 'body is not text';
  if (v.body.length > MAX_ANSWER_BODY_CHARS)
    return `body of ${v.body.length} characters is too large`;
  if (typeof v.time !== 'number' || !Number.isFinite(v.time)) return 'time is not a number';
  const request: PrometheusRequest = {
    endpoint: r.endpoint,
    params: r.params.map(([k, p]) => [k, p] as const),
    ...(r.label !== undefined ? { label: r.label } : {}),
  };
  return { request, status: v.status, contentType: v.contentType, body: v.body, time: v.time };
}

/** One text per distinct request (endpoint, label, parameters in order): the answer's identity. */
export function requestKey(request: PrometheusRequest): string {
  return JSON.stringify([request.endpoint, request.label ?? null, request.params]);
}

/** A request's parameter, the first of that name. */
export function requestParam(request: PrometheusRequest, name: string): string | undefined {
  return request.params.find(([k]) => k === name)?.[1];
}
