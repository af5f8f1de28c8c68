/**
 * Runs the page's range queries (one react-query per PromQL text and window) and hands back each
 * panel's outcomes, each panel as soon as its own answers are in. The queries wait their turn in
 * the connection's QueryLimiter (a few in flight, the visible panels first). A new window means
 * new keys: the old queries lose their observers and are cancelled, their signals aborting the
 * host's HTTP calls (or taking them out of the queue before they start). A window once fetched
 * stays cached for GC_MS, so Back to it (backWindow.ts) draws at once without a request.
 */
import { useQueries } from '@tanstack/react-query';
import { useMemo, useState } from 'react';

import type { PanelQuery } from '../../../../collector/core/prometheus/latencyQueries.js';
import type { PrometheusSource, RangeParams } from '../../sources/prometheus/PrometheusSource.js';
import { rangeQueryOptions } from '../../sources/prometheus/queries.js';
import type { QueryOutcome } from './preparePanel.js';
import { limiterFor } from './queryLimiter.js';
import type { LatencyPanel } from './types.js';

/** How long a window's answers stay cached without an observer: Back within this is instant. */
export const GC_MS = 30 * 60_000;

/** A panel's place in the queue: lower leaves first (visible panels, then page order). */
export type PanelPriority = (panel: LatencyPanel) => number;

export function useLatencyQueries(
  source: PrometheusSource,
  panels: ReadonlyMap<LatencyPanel, PanelQuery[]>,
  params: RangeParams | undefined,
  priority: PanelPriority,
): Map<LatencyPanel, QueryOutcome[]> {
  const flat = useMemo(() => [...panels.values()].flat(), [panels]);
  const limiter = limiterFor(source.connectionId);
  const results = useQueries({
    queries: flat.map((q) => ({
      ...rangeQueryOptions(source, q.query, params),
      queryFn: ({ signal }: { signal: AbortSignal }) =>
        limiter.schedule({
          run: () => source.range(q.query, params!, signal),
          priority: () => priority(q.panel),
          signal,
        }),
      gcTime: GC_MS,
    })),
  });
  // The last answer per PromQL text: a relative range's refresh is a new window (a new key), and
  // when that fetch fails react-query has no data for it; the panel keeps what it held instead.
  const [lastGood] = useState(() => new Map<string, QueryOutcome['data']>());
  // The last answer per line (`ttft:p99`), whatever its window: drawn, marked loading, while a
  // new window's queries wait (for the traffic answer, or in the queue) and have no placeholder.
  const [lastShown] = useState(() => new Map<string, QueryOutcome['data']>());
  const out = new Map<LatencyPanel, QueryOutcome[]>();
  flat.forEach((q, i) => {
    const r = results[i]!;
    const outcome: QueryOutcome = {
      query: q,
      // Data of the previous window stays drawn while this one loads, but the panel says loading.
      status: r.isError ? 'error' : r.isPlaceholderData || r.isPending ? 'pending' : 'success',
    };
    if (r.data) {
      outcome.data = r.data.data;
      outcome.warnings = r.data.warnings;
      if (r.isSuccess && !r.isPlaceholderData) {
        lastGood.set(q.query, r.data.data);
        lastShown.set(q.key, r.data.data);
      }
    } else if (outcome.status === 'pending') {
      const shown = lastShown.get(q.key);
      if (shown) outcome.data = shown;
    } else if (r.isError) {
      const held = lastGood.get(q.query);
      if (held) outcome.data = held;
    }
    if (r.error) outcome.error = r.error;
    const list = out.get(q.panel) ?? [];
    list.push(outcome);
    out.set(q.panel, list);
  });
  return out;
}
