/**
 * Whether the view's failures are one server-wide failure, said once in a banner, or each
 * panel's own. With Prometheus down every query fails with the same "cannot reach Prometheus"
 * and the page showed it in all 12 panels; a query Prometheus rejects (bad_data for one PromQL
 * text) belongs on its panel.
 *
 * Server-wide: no answer at all (the host's transport error, or a `network` PrometheusError), a
 * gateway or server status (5xx, 401/403 from an auth proxy), a body that is not Prometheus's
 * (a proxy's HTML page), Prometheus saying it is not ready (`unavailable`) — and, whatever the
 * kind, the same error on every query that finished when at least two did.
 */
import { PrometheusError } from '../../../../collector/core/prometheus/PrometheusError.js';
import { PrometheusTransportError } from '../../../../collector/core/prometheus/transportError.js';

export interface Settled {
  status: 'pending' | 'success' | 'error';
  error?: Error;
}

export interface ServerFailure {
  /** The error as the banner says it. */
  message: string;
  /** Which errors the banner stands for: panels failing with one of them say "not loaded". */
  covers: (error: Error | undefined) => boolean;
}

/** Two errors are the same failure when this matches: the server's words, not the query's URL. */
export function errorSignature(e: Error): string {
  if (e instanceof PrometheusError)
    return [e.kind, e.status ?? '', e.errorType ?? '', e.detail].join('|');
  return `${e.name}|${e.message}`;
}

/** An error that says the server (or the way to it) failed, whatever was asked. */
export function isServerWide(e: Error): boolean {
  if (e instanceof PrometheusTransportError || e.name === 'PrometheusTransportError') return true;
  if (!(e instanceof PrometheusError)) return false;
  if (e.kind === 'network' || e.kind === 'non-json') return true;
  if (e.errorType === 'unavailable') return true;
  const s = e.status;
  return s !== undefined && (s >= 500 || s === 401 || s === 403 || s === 407 || s === 429);
}

/** The banner's failure, or undefined when the panels say their own errors. */
export function serverFailure(outcomes: readonly Settled[]): ServerFailure | undefined {
  const errors = outcomes.flatMap((o) => (o.status === 'error' && o.error ? [o.error] : []));
  if (errors.length === 0) return undefined;
  const wide = errors.filter(isServerWide);
  const finished = outcomes.filter((o) => o.status !== 'pending').length;
  let pick: Error | undefined;
  if (wide.length > 0) {
    // The most frequent server-wide error: refused connections, say, not the one 502 among them.
    pick = mostFrequent(wide);
  } else if (finished >= 2 && errors.length === finished) {
    const sig = errorSignature(errors[0]!);
    if (errors.every((e) => errorSignature(e) === sig)) pick = errors[0];
  }
  if (!pick) return undefined;
  const sigs = new Set(
    (wide.length > 0 ? wide : errors).map((e) => errorSignature(e)).concat(errorSignature(pick)),
  );
  return {
    message: pick.message,
    covers: (e) => e !== undefined && sigs.has(errorSignature(e)),
  };
}

function mostFrequent(errors: readonly Error[]): Error {
  const counts = new Map<string, { n: number; e: Error }>();
  for (const e of errors) {
    const sig = errorSignature(e);
    const c = counts.get(sig) ?? { n: 0, e };
    c.n++;
    counts.set(sig, c);
  }
  return [...counts.values()].sort((a, b) => b.n - a.n)[0]!.e;
}
