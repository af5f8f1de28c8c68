/**
 * Prometheus HTTP for the desktop window: the main process makes the call with the connection's
 * URL, auth, headers and CA (the secret never crosses to the page). IPC cannot carry an
 * AbortSignal, so the page names each call with a request id and cancels by that id; the calls in
 * flight live in a map until they settle.
 */
import type { ConnectionStore } from '../../collector/core/connections/ConnectionStore.js';
import { describeFieldErrors } from '../../collector/core/connections/fieldErrors.js';
import { prometheusTestSecret } from '../../collector/core/connections/secretScope.js';
import { validatePrometheusTestInput } from '../../collector/core/connections/validatePrometheus.js';
import { checkPrometheusRequest } from '../../collector/core/prometheus/checkRequest.js';
import type { PrometheusHttpResponse } from '../../collector/core/prometheus/request.js';
import type { PrometheusCall } from '../../collector/prometheusHttp/fetchPrometheus.js';

export type FetchPrometheus = (call: PrometheusCall) => Promise<PrometheusHttpResponse>;

export interface PrometheusService {
  request(
    connectionId: string,
    request: unknown,
    requestId: unknown,
  ): Promise<PrometheusHttpResponse>;
  test(input: unknown, requestId: unknown): Promise<PrometheusHttpResponse>;
  /** Aborts the call with that id, if it is still running; unknown ids are ignored. */
  cancel(requestId: unknown): void;
}

/** More than this many calls in flight means the page leaks them; refuse rather than pile up. */
const MAX_IN_FLIGHT = 256;

export function createPrometheusService(
  store: Pick<ConnectionStore, 'prometheus'>,
  fetchPrometheus: FetchPrometheus,
): PrometheusService {
  const inFlight = new Map<string, AbortController>();

  const run = async (
    requestId: unknown,
    call: (signal: AbortSignal) => Promise<PrometheusHttpResponse>,
  ): Promise<PrometheusHttpResponse> => {
    const id = checkRequestId(requestId);
    if (inFlight.has(id)) throw new Error(`Prometheus request id "${id}" is already in use`);
    if (inFlight.size >= MAX_IN_FLIGHT) {
      throw new Error(`more than ${MAX_IN_FLIGHT} Prometheus requests in flight`);
    }
    const controller = new AbortController();
    inFlight.set(id, controller);
    try {
      return await call(controller.signal);
    } finally {
      inFlight.delete(id);
    }
  };

  return {
    request: (connectionId, value, requestId) =>
      run(requestId, async (signal) => {
        const request = checkPrometheusRequest(value);
        const target = await store.prometheus(connectionId);
        return fetchPrometheus({
          settings: target.settings,
          secret: target.secret,
          request,
          signal,
        });
      }),
    test: (value, requestId) =>
      run(requestId, async (signal) => {
        const check = validatePrometheusTestInput(value);
        if (!check.ok) throw new Error(describeFieldErrors(check.errors));
        const { settings, connectionId } = check.input;
        let secret = check.input.secret ?? null;
        if (secret === null && connectionId !== undefined && settings.auth !== 'none') {
          const stored = await store.prometheus(connectionId).catch(() => undefined);
          // The same rule as the web console's API: a stored secret stays with its URL.
          const use = prometheusTestSecret(stored, settings);
          if (!use.ok) throw new Error(use.message);
          secret = use.secret;
        }
        const request = { endpoint: 'buildinfo', params: [] } as const;
        return fetchPrometheus({ settings, secret, request, signal });
      }),
    cancel: (requestId) => {
      if (typeof requestId === 'string') inFlight.get(requestId)?.abort();
    },
  };
}

function checkRequestId(id: unknown): string {
  if (typeof id !== 'string' || id.length === 0 || id.length > 100) {
    throw new Error(`Prometheus request id must be a string of 1–100 characters, got ${typeof id}`);
  }
  return id;
}
