/**
 * The window's traffic per instance (traffic.ts), asked first: ahead of every panel in the
 * connection's queue, and cached by window like the panels' answers, so Back reuses it.
 */
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';

import type { PrometheusSource } from '../../sources/prometheus/PrometheusSource.js';
import { prometheusKeys } from '../../sources/prometheus/queries.js';
import { limiterFor } from './queryLimiter.js';
import { rankTraffic, type TrafficRanking } from './traffic.js';
import { GC_MS } from './useLatencyQueries.js';

export interface TrafficState {
  /** Undefined while loading, when it failed, or when no query could be built. */
  ranking: TrafficRanking | undefined;
  /** The ranking to show meanwhile: this window's, else the previous window's while loading. */
  shown: TrafficRanking | undefined;
  pending: boolean;
  error: Error | undefined;
}

/** Ahead of every panel: the panels of a large fleet wait for it. */
const TRAFFIC_PRIORITY = -1;

export function useTraffic(
  source: PrometheusSource,
  query: string | undefined,
  timeMs: number,
): TrafficState {
  const on = query !== undefined;
  const result = useQuery({
    queryKey: on
      ? prometheusKeys.instant(source.connectionId, query, timeMs)
      : ['prometheus', 'disabled'],
    queryFn: ({ signal }) =>
      limiterFor(source.connectionId).schedule({
        run: () => source.instant(query!, timeMs, signal),
        priority: () => TRAFFIC_PRIORITY,
        signal,
      }),
    enabled: on,
    // The scope line keeps its words while the next window's answer loads (no flicker).
    placeholderData: keepPreviousData,
    staleTime: Number.POSITIVE_INFINITY,
    gcTime: GC_MS,
    retry: false,
  });
  const shown = useMemo(
    () => (result.data ? rankTraffic(result.data.data) : undefined),
    [result.data],
  );
  const pending = on && (result.isPending || result.isPlaceholderData);
  return {
    ranking: pending ? undefined : shown,
    shown,
    pending,
    error: result.error ?? undefined,
  };
}
