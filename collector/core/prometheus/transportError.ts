/**
 * One error class for "Prometheus gave no answer", on every side: the Node host that made the
 * call (collector/prometheusHttp: refused, unknown host, TLS, timeout, a body too large) and the
 * console that asked the host for it (renderer/src/platform: the host's message over HTTP or
 * IPC). The message is what the operator reads, e.g.
 * `cannot reach Prometheus at http://127.0.0.1:9090: connection refused`; it names the URL
 * without credentials or query and never holds a secret.
 */
export class PrometheusTransportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PrometheusTransportError';
  }
}

/**
 * `cannot reach Prometheus at <url>: <reason>`. `url` is where it tried, without credentials or
 * query (e.g. `https://mimir.example/prometheus`); `reason` the cause in plain words
 * ("connection refused", "no answer in 60 s", …).
 */
export function cannotReachPrometheus(url: string, reason: string): PrometheusTransportError {
  return new PrometheusTransportError(`cannot reach Prometheus at ${url}: ${reason}`);
}
