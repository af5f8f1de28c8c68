/**
 * What a connection's Prometheus holds (families, naming generation, exact series names) and how
 * often its engines are scraped, asked once per connection and kept for minutes: metric names
 * change when exporters are deployed or upgraded, not between two charts.
 */
import { useQuery, type UseQueryResult } from '@tanstack/react-query';

import { discover, type Discovery } from '../../../../collector/core/prometheus/discovery.js';
import { ENGINE_FAMILY_IDS } from '../../../../collector/core/prometheus/families.js';
import type { PrometheusSource } from './PrometheusSource.js';
import { METADATA_STALE_MS } from './queries.js';

export interface ServerDiscovery {
  discovery: Discovery;
  /** Seconds between scrapes of the engines (estimated), or undefined when unknown. */
  scrapeIntervalS?: number;
}

/** The window scrapes are counted over; 2 min holds 8 samples even at a 15 s interval. */
const COUNT_WINDOW_S = 120;

export async function discoverServer(
  source: PrometheusSource,
  signal: AbortSignal,
): Promise<ServerDiscovery> {
  const names = await source.labelValues('__name__', undefined, signal);
  const discovery = discover(names.data);
  const gauge = firstEngineGauge(discovery);
  if (!gauge) return { discovery };
  // Samples per window → the interval; a finer step than that only repeats samples.
  const counted = await source
    .instant(`max(count_over_time(${gauge}[${COUNT_WINDOW_S}s]))`, undefined, signal)
    .catch((error: unknown) => {
      if (signal.aborted) throw error;
      return undefined;
    });
  const n = counted?.data[0]?.value;
  if (n === undefined || !(n >= 2)) return { discovery };
  return { discovery, scrapeIntervalS: Math.max(1, Math.round(COUNT_WINDOW_S / n)) };
}

function firstEngineGauge(d: Discovery): string | undefined {
  for (const f of ENGINE_FAMILY_IDS) {
    const name = d.engines[f]?.quantities.running?.names[0];
    if (name) return name;
  }
  return undefined;
}

export function useDiscovery(
  source: PrometheusSource | undefined,
): UseQueryResult<ServerDiscovery, Error> {
  return useQuery({
    queryKey: ['prometheus', source?.connectionId ?? 'none', 'discovery'],
    queryFn: ({ signal }) => discoverServer(source!, signal),
    enabled: source !== undefined,
    staleTime: METADATA_STALE_MS,
    retry: false,
  });
}
