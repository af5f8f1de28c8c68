/**
 * The web console's side of the local server's Prometheus routes (collector/outputs/api/
 * prometheusApi.ts): 200 `{ upstream }` is Prometheus's own answer (any status, passed on
 * untouched); anything else is the server saying there was no answer, which becomes a
 * PrometheusTransportError with its message. Aborting the signal aborts the fetch, and the
 * server then aborts its call to Prometheus.
 */
import {
  PrometheusTransportError,
  type PrometheusHttpResponse,
  type PrometheusRequest,
  type PrometheusTestInput,
} from './Platform.js';

type Fetch = typeof fetch;

export interface PrometheusClient {
  request(
    connectionId: string,
    request: PrometheusRequest,
    signal?: AbortSignal,
  ): Promise<PrometheusHttpResponse>;
  test(input: PrometheusTestInput, signal?: AbortSignal): Promise<PrometheusHttpResponse>;
}

export function createPrometheusClient(
  origin: string,
  token: string,
  fetchImpl: Fetch = (...args) => fetch(...args),
): PrometheusClient {
  const call = async (path: string, init: RequestInit): Promise<PrometheusHttpResponse> => {
    let response: Response;
    let text: string;
    try {
      response = await fetchImpl(`${origin}${path}`, {
        ...init,
        headers: { ...init.headers, authorization: `Bearer ${token}` },
        cache: 'no-store',
      });
      text = await response.text();
    } catch (error) {
      if ((error as Error).name === 'AbortError') throw error;
      throw new PrometheusTransportError(
        `cannot reach the Osprey server at ${origin}: ${(error as Error).message}`,
      );
    }
    let json: { upstream?: PrometheusHttpResponse; error?: string };
    try {
      json = JSON.parse(text) as typeof json;
    } catch {
      throw new PrometheusTransportError(
        `the Osprey server answered ${response.status} with something other than JSON: ${text.slice(0, 120)}`,
      );
    }
    if (response.status === 200 && json.upstream) return json.upstream;
    throw new PrometheusTransportError(
      json.error ?? `the Osprey server answered ${response.status}`,
    );
  };
  return {
    request: (connectionId, request, signal) => {
      const params = request.params.map(([k, v]) => [k, v]);
      if (request.label !== undefined) params.push(['label', request.label]);
      const qs = params.map(([k, v]) => `${encodeURIComponent(k!)}=${encodeURIComponent(v!)}`);
      const path = `/api/connections/${encodeURIComponent(connectionId)}/prometheus/${encodeURIComponent(request.endpoint)}`;
      return call(`${path}${qs.length > 0 ? `?${qs.join('&')}` : ''}`, {
        method: 'GET',
        ...(signal ? { signal } : {}),
      });
    },
    test: (input, signal) =>
      call('/api/prometheus/test', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(input),
        ...(signal ? { signal } : {}),
      }),
  };
}
