/**
 * Asks the connection's Prometheus for the incidents whose minute before or after the live store
 * no longer holds (impactHistory.ts impactAsk): one react-query per PromQL text and evaluation
 * time (impactQueries.ts), through the page's PrometheusSource — the Latency view's client and
 * keys. A window once answered never changes (staleTime ∞); a failed one is not retried, the
 * rows keep the store's dashes.
 */
import { useQueries } from '@tanstack/react-query';
import { useMemo } from 'react';

import type { InstantSample, PrometheusSource } from '../../sources/prometheus/PrometheusSource.js';
import { prometheusKeys } from '../../sources/prometheus/queries.js';
import { historyFromAnswers, type EngineHistory, type ImpactAsk } from './impactHistory.js';
import { impactQueries } from '../../../../collector/core/prometheus/impactQueries.js';

/** How long an answer stays cached without an observer (the card scrolled away and back). */
const GC_MS = 30 * 60_000;

export function useImpactHistory(
  source: PrometheusSource | undefined,
  asks: readonly ImpactAsk[],
  now: number,
): Map<string, Map<string, EngineHistory>> {
  // The after window ends at `now` only during the incident's first minute; past it, the plan
  // (and the query keys) no longer change with the clock.
  const plans = useMemo(
    () =>
      source === undefined
        ? []
        : asks.flatMap((a) => {
            const plan = impactQueries(a.node, a.engines, a.ts, now);
            return plan ? [{ key: a.key, plan }] : [];
          }),
    [source, asks, now],
  );
  const flat = plans.flatMap((p) => p.plan.queries);
  const results = useQueries({
    queries: flat.map((q) => ({
      queryKey: prometheusKeys.instant(source!.connectionId, q.query, q.time),
      queryFn: ({ signal }: { signal: AbortSignal }) => source!.instant(q.query, q.time, signal),
      staleTime: Number.POSITIVE_INFINITY,
      gcTime: GC_MS,
      retry: false,
    })),
  });
  // A new map only when an answer arrived: the view's model is memoized on it.
  const stamp = results.map((r) => r.dataUpdatedAt).join(',');
  return useMemo(() => {
    const out = new Map<string, Map<string, EngineHistory>>();
    let i = 0;
    for (const { key, plan } of plans) {
      const answers: (readonly InstantSample[] | undefined)[] = plan.queries.map(
        () => results[i++]?.data?.data,
      );
      const h = historyFromAnswers(plan, answers);
      if (h.size > 0) out.set(key, h);
    }
    return out;
    // `results` is a new array every render; `stamp` says when its answers changed.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [plans, stamp]);
}
