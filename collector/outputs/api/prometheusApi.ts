/**
 * Prometheus through the local server (web console), behind the same token as /api/connections.
 * The server makes the HTTP call with the connection's URL, auth, extra headers and CA, so the
 * page needs no CORS and never holds the Prometheus secret.
 *
 *   GET  /api/connections/:id/prometheus/<endpoint>?<params>
 *        endpoint ∈ PROMETHEUS_ENDPOINTS (query, query_range, series, labels, label_values,
 *        alerts, buildinfo, metadata); params pass on in order, repeats kept (`match[]`);
 *        label_values takes the label name as `label=` (removed from the params passed on).
 *   POST /api/prometheus/test   body: PrometheusTestInput (settings not saved yet, optional
 *        secret; without it the stored secret of `connectionId`, but only for the exact URL and
 *        user it was stored with: core/connections/secretScope.ts) → buildinfo.
 *
 * Answers — so the page can tell Prometheus's answers from this API's own errors:
 *   200 { upstream: { status, contentType, body, url } }  whatever Prometheus (or a proxy in
 *       front of it) answered, ANY status, body as text, untouched;
 *   502 { error }  no answer: refused, DNS, TLS, timeout, too large (PrometheusTransportError);
 *   400 { error, errors? }  unknown endpoint, bad label, no Prometheus part, bad test settings,
 *       a stored secret asked for another URL;
 *   404 { error }  unknown connection.
 * The upstream call is aborted when the page goes away (react-query cancels on range change).
 * The calls and the secret rule are the host services' (collector/hostServices), shared with the
 * desktop's IPC; this file parses paths and query strings and maps the answers to statuses.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

import {
  PROMETHEUS_ENDPOINTS,
  type PrometheusEndpoint,
  type PrometheusRequest,
} from '../../core/prometheus/request.js';
import { PrometheusTransportError } from '../../core/prometheus/transportError.js';
import type { HostServices } from '../../hostServices/HostServices.js';
import { HttpError, readJsonBody } from './json.js';

const ITEM = /^\/api\/connections\/([^/]+)\/prometheus\/([^/]+)$/;
export const TEST_PATH = '/api/prometheus/test';

export interface ApiAnswer {
  status: number;
  json?: unknown;
}

/** The answer for a Prometheus route, or undefined when `path` is not one. */
export async function prometheusRoute(
  host: HostServices,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
): Promise<ApiAnswer | undefined> {
  const method = req.method ?? 'GET';
  if (path === TEST_PATH) {
    if (method !== 'POST')
      throw new HttpError(405, `${method} is not allowed on ${path} (allowed: POST)`);
    const input = await readJsonBody(req);
    return upstream(() => host.testPrometheus(input, gone(res)));
  }
  const match = ITEM.exec(path);
  if (!match) return undefined;
  if (method !== 'GET')
    throw new HttpError(405, `${method} is not allowed on ${path} (allowed: GET)`);
  const id = decode(match[1]!);
  const endpoint = match[2]!;
  if (!Object.hasOwn(PROMETHEUS_ENDPOINTS, endpoint)) {
    const known = Object.keys(PROMETHEUS_ENDPOINTS).join(', ');
    throw new HttpError(400, `unknown Prometheus endpoint "${endpoint}" (known: ${known})`);
  }
  const request = requestOf(endpoint as PrometheusEndpoint, req.url ?? '');
  return upstream(() => host.prometheusRequest(id, request, gone(res)));
}

function requestOf(endpoint: PrometheusEndpoint, url: string): PrometheusRequest {
  const params: Array<[string, string]> = [];
  let label: string | undefined;
  for (const [k, v] of new URL(url, 'http://localhost').searchParams) {
    if (endpoint === 'label_values' && k === 'label') label = v;
    else params.push([k, v]);
  }
  if (endpoint === 'label_values' && (label === undefined || !/^[a-zA-Z_]\w*$/.test(label))) {
    throw new HttpError(400, `label_values needs label=<a label name>, got "${label ?? ''}"`);
  }
  return label === undefined ? { endpoint, params } : { endpoint, params, label };
}

async function upstream(call: () => Promise<unknown>): Promise<ApiAnswer> {
  try {
    return { status: 200, json: { upstream: await call() } };
  } catch (error) {
    if (error instanceof PrometheusTransportError)
      return { status: 502, json: { error: error.message } };
    throw error;
  }
}

/** Aborts when the page closes the request before the answer is sent. */
function gone(res: ServerResponse): AbortSignal {
  const controller = new AbortController();
  res.once('close', () => {
    if (!res.writableFinished) controller.abort();
  });
  return controller.signal;
}

function decode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw new HttpError(404, `no connection with id "${part}"`);
  }
}
