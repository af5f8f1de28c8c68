/**
 * react-query hooks over a PrometheusSource. Each key holds the connection, the query and the
 * exact window (start, end, step), so a new range is a new query and the old one, left without an
 * observer, is cancelled: react-query aborts the `signal` it handed to the source, which hands it
 * to the platform port, which aborts the host's HTTP call.
 */
import { keepPreviousData, useQuery, type UseQueryResult } from '@tanstack/react-query';

import type {
  BuildInfo,
  Labels,
  MatrixSeries,
  PromResult,
  PrometheusSource,
  RangeParams,
} from './PrometheusSource.js';

export const prometheusKeys = {
  all: (connectionId: string) => ['prometheus', connectionId] as const,
  range: (connectionId: string, query: string, p: RangeParams) =>
    ['prometheus', connectionId, 'range', query, p.start, p.end, p.step] as const,
  instant: (connectionId: string, query: string, time: number | undefined) =>
    ['prometheus', connectionId, 'instant', query, time ?? 'now'] as const,
  labelValues: (connectionId: string, label: string, match: readonly string[]) =>
    ['prometheus', connectionId, 'labelValues', label, ...match] as const,
  series: (connectionId: string, match: readonly string[], start?: number, end?: number) =>
    ['prometheus', connectionId, 'series', start ?? null, end ?? null, ...match] as const,
  buildinfo: (connectionId: string) => ['prometheus', connectionId, 'buildinfo'] as const,
};

/** Label names and values change when targets come and go, not every second. */
export const METADATA_STALE_MS = 5 * 60_000;

/**
 * A range query. While a new window loads, the previous one's data stays on screen
 * (`isPlaceholderData`), so a refresh does not blank the charts.
 */
export function usePrometheusRange(
  source: PrometheusSource | undefined,
  query: string | undefined,
  params: RangeParams | undefined,
): UseQueryResult<PromResult<MatrixSeries[]>, Error> {
  return useQuery(rangeQueryOptions(source, query, params));
}

/** The options behind usePrometheusRange, shared with tests that drive a QueryObserver. */
export function rangeQueryOptions(
  source: PrometheusSource | undefined,
  query: string | undefined,
  params: RangeParams | undefined,
) {
  const enabled = source !== undefined && query !== undefined && params !== undefined;
  return {
    queryKey: enabled
      ? prometheusKeys.range(source.connectionId, query, params)
      : (['prometheus', 'disabled'] as const),
    queryFn: ({ signal }: { signal: AbortSignal }) => source!.range(query!, params!, signal),
    enabled,
    placeholderData: keepPreviousData,
    // A failed query is shown as failed at once; the user's refresh or range change retries.
    retry: false,
    // A window's data never changes once fetched; a refresh is a new window (a new key).
    staleTime: Number.POSITIVE_INFINITY,
  } as const;
}

export function usePrometheusLabelValues(
  source: PrometheusSource | undefined,
  label: string,
  match: readonly string[],
  enabled = true,
): UseQueryResult<PromResult<string[]>, Error> {
  const on = enabled && source !== undefined;
  return useQuery({
    queryKey: on
      ? prometheusKeys.labelValues(source.connectionId, label, match)
      : ['prometheus', 'disabled'],
    queryFn: ({ signal }) => source!.labelValues(label, match, signal),
    enabled: on,
    staleTime: METADATA_STALE_MS,
    retry: false,
  });
}

export function usePrometheusSeries(
  source: PrometheusSource | undefined,
  match: readonly string[],
  window?: { start: number; end: number },
): UseQueryResult<PromResult<Labels[]>, Error> {
  const on = source !== undefined && match.length > 0;
  return useQuery({
    queryKey: on
      ? prometheusKeys.series(source.connectionId, match, window?.start, window?.end)
      : ['prometheus', 'disabled'],
    queryFn: ({ signal }) => source!.series(match, window, signal),
    enabled: on,
    staleTime: METADATA_STALE_MS,
    retry: false,
  });
}

export function usePrometheusBuildInfo(
  source: PrometheusSource | undefined,
): UseQueryResult<PromResult<BuildInfo>, Error> {
  return useQuery({
    queryKey: source ? prometheusKeys.buildinfo(source.connectionId) : ['prometheus', 'disabled'],
    queryFn: ({ signal }) => source!.buildinfo(signal),
    enabled: source !== undefined,
    staleTime: METADATA_STALE_MS,
    retry: false,
  });
}
