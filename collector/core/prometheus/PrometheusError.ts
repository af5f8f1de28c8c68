/**
 * Everything that can go wrong asking a Prometheus-compatible server, as one error class with a
 * message an operator can act on. The kinds:
 * - `api`: the server answered with its error envelope (`errorType`, `error`), contracts §6.1;
 * - `http`: a non-2xx status whose JSON body is not an envelope;
 * - `non-json`: a body that is not JSON at all, typically a proxy's HTML 502 page;
 * - `invalid`: JSON that does not have the shape the API documents (names the path);
 * - `network`: no answer (refused, DNS, TLS, timeout before any status) — set by the transport.
 */

export type PrometheusErrorKind = 'api' | 'http' | 'non-json' | 'invalid' | 'network';

/** errorType strings of the v1 API (2.42 … 3.x); others pass through as written. */
export type PrometheusErrorType =
  | 'bad_data'
  | 'timeout'
  | 'canceled'
  | 'execution'
  | 'internal'
  | 'unavailable'
  | 'not_found'
  | 'not_acceptable'
  | (string & {});

export interface PrometheusErrorInit {
  kind: PrometheusErrorKind;
  url: string;
  /** HTTP status, absent for `network` */
  status?: number;
  errorType?: PrometheusErrorType;
  /** The server's own error text (envelope `error`), or the cleaned body excerpt. */
  detail: string;
  warnings?: readonly string[];
  contentType?: string;
}

/** What the user reads first, by errorType: says who failed and what it means. */
const HEADLINE: Record<string, string> = {
  bad_data: 'Prometheus rejected the query',
  timeout: 'Prometheus timed out',
  canceled: 'Prometheus cancelled the query',
  execution: 'Prometheus could not evaluate the query',
  internal: 'Prometheus had an internal error',
  unavailable: 'Prometheus is not ready',
  not_found: 'Prometheus does not serve this endpoint',
  not_acceptable: 'Prometheus refused the requested format',
};

const REASON: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  499: 'Client Closed Request',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/** `502 Bad Gateway`, or just `599` for statuses without a well-known phrase. */
export function statusText(status: number): string {
  const reason = REASON[status];
  return reason ? `${status} ${reason}` : String(status);
}

function compose(i: PrometheusErrorInit): string {
  const status = i.status === undefined ? '' : `HTTP ${i.status}`;
  switch (i.kind) {
    case 'api': {
      const head = HEADLINE[i.errorType ?? ''] ?? 'Prometheus returned an error';
      const tag = [i.errorType, status].filter(Boolean).join(', ');
      return `${head} (${tag}): ${i.detail} — ${i.url}`;
    }
    case 'http':
      return `HTTP ${statusText(i.status ?? 0)} from ${i.url}: ${i.detail}`;
    case 'non-json': {
      const what = i.contentType ? ` (${i.contentType})` : '';
      const from = i.status !== undefined ? `HTTP ${statusText(i.status)} from ` : 'Answer from ';
      return `${from}${i.url}: not a Prometheus response${what}: ${JSON.stringify(i.detail)}`;
    }
    case 'invalid':
      return `Unexpected Prometheus response from ${i.url}: ${i.detail}`;
    case 'network':
      return `Cannot reach Prometheus at ${i.url}: ${i.detail}`;
  }
}

export class PrometheusError extends Error {
  override readonly name = 'PrometheusError';
  readonly kind: PrometheusErrorKind;
  readonly url: string;
  readonly status: number | undefined;
  readonly errorType: PrometheusErrorType | undefined;
  readonly detail: string;
  readonly warnings: readonly string[];

  constructor(init: PrometheusErrorInit) {
    super(compose(init));
    this.kind = init.kind;
    this.url = init.url;
    this.status = init.status;
    this.errorType = init.errorType;
    this.detail = init.detail;
    this.warnings = init.warnings ?? [];
  }

  /** For transports: the request never got an HTTP answer (refused, DNS, TLS, aborted). */
  static network(url: string, cause: unknown): PrometheusError {
    const detail = cause instanceof Error ? cause.message : String(cause);
    return new PrometheusError({ kind: 'network', url, detail });
  }
}
