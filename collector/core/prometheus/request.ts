/**
 * What the console asks of a Prometheus-compatible server, and what comes back, at the platform
 * port. The renderer never makes these HTTP calls itself: the desktop main process or the local
 * server does (so auth headers, custom CAs and tenant headers need no CORS, and secrets never
 * reach the page). Only these endpoints pass; everything else is refused by the host.
 */

/** The endpoints the console uses (Prometheus HTTP API v1, contracts §6.1). */
export const PROMETHEUS_ENDPOINTS = {
  query: '/api/v1/query',
  query_range: '/api/v1/query_range',
  series: '/api/v1/series',
  labels: '/api/v1/labels',
  /** `/api/v1/label/<name>/values`: the label name travels in `PrometheusRequest.label`. */
  label_values: '/api/v1/label/{label}/values',
  alerts: '/api/v1/alerts',
  buildinfo: '/api/v1/status/buildinfo',
  metadata: '/api/v1/metadata',
  /** Scrape targets: health, scrape interval and the scrape's own error (`lastError`). */
  targets: '/api/v1/targets',
} as const;

export type PrometheusEndpoint = keyof typeof PROMETHEUS_ENDPOINTS;

export interface PrometheusRequest {
  endpoint: PrometheusEndpoint;
  /** Query parameters in order; repeated keys allowed (`match[]`). */
  params: ReadonlyArray<readonly [string, string]>;
  /** Only for `label_values`. */
  label?: string;
}

/** The server's answer, untouched: status, content type and body text (JSON or not). */
export interface PrometheusHttpResponse {
  status: number;
  contentType: string;
  body: string;
  /** The URL asked, without credentials, for messages ("… from http://prom:9090/api/v1/query"). */
  url: string;
}

/** Label names are `[a-zA-Z_][a-zA-Z0-9_]*` in 2.x; anything else is refused before it leaves. */
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** The path below the connection's base URL (which may carry a prefix such as `/prometheus`). */
export function endpointPath(request: PrometheusRequest): string {
  const template = PROMETHEUS_ENDPOINTS[request.endpoint];
  if (template === undefined) throw new Error(`unknown Prometheus endpoint "${request.endpoint}"`);
  if (request.endpoint !== 'label_values') return template;
  const label = request.label ?? '';
  if (!LABEL_NAME.test(label)) throw new Error(`invalid label name "${label}"`);
  return template.replace('{label}', label);
}

/** Joins a base URL with a path prefix (`http://h/prom/`) and an endpoint path, plus params. */
export function prometheusUrl(baseUrl: string, request: PrometheusRequest): string {
  const base = baseUrl.replace(/\/+$/, '');
  // Not URLSearchParams: the core compiles without DOM or Node globals (collector/core/tsconfig).
  const qs = request.params
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join('&');
  return `${base}${endpointPath(request)}${qs ? `?${qs}` : ''}`;
}
