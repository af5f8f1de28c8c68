/**
 * A PrometheusRequest that arrived from the page over IPC is untrusted data: check its shape
 * before a host builds a URL from it. The local server builds requests from its own URL parsing
 * and needs none of this.
 */
import { endpointPath, PROMETHEUS_ENDPOINTS, type PrometheusRequest } from './request.js';

/** A 7-day `query_range` with a long PromQL is a few KB; 1 MB of params is not a console's. */
const MAX_PARAM_CHARS = 1024 * 1024;

export function checkPrometheusRequest(value: unknown): PrometheusRequest {
  const r = value as Partial<PrometheusRequest> | null;
  if (typeof r !== 'object' || r === null) throw new Error('Prometheus request must be an object');
  const endpoint = r.endpoint;
  if (typeof endpoint !== 'string' || !Object.hasOwn(PROMETHEUS_ENDPOINTS, endpoint)) {
    throw new Error(
      `unknown Prometheus endpoint "${String(endpoint).slice(0, 60)}" (known: ${Object.keys(PROMETHEUS_ENDPOINTS).join(', ')})`,
    );
  }
  if (!Array.isArray(r.params)) throw new Error('Prometheus request params must be an array');
  let size = 0;
  const params: Array<readonly [string, string]> = r.params.map((pair: unknown, i) => {
    const [k, v] = Array.isArray(pair) ? (pair as unknown[]) : [];
    if (
      !Array.isArray(pair) ||
      pair.length !== 2 ||
      typeof k !== 'string' ||
      typeof v !== 'string'
    ) {
      throw new Error(`Prometheus request params.${i} must be a [name, value] pair of strings`);
    }
    size += k.length + v.length;
    return [k, v] as const;
  });
  if (size > MAX_PARAM_CHARS) throw new Error('Prometheus request params are larger than 1 MB');
  if (r.label !== undefined && typeof r.label !== 'string') {
    throw new Error('Prometheus request label must be a string');
  }
  const request: PrometheusRequest =
    r.label === undefined
      ? { endpoint: endpoint as PrometheusRequest['endpoint'], params }
      : { endpoint: endpoint as PrometheusRequest['endpoint'], params, label: r.label };
  endpointPath(request); // throws on a bad label_values label
  return request;
}
