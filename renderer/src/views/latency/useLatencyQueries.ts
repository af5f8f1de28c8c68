/**
 * Runs the page's range queries (one react-query per PromQL text and window) and hands back each
 * panel's outcomes. A new window means new keys: the old queries lose their observers and are
 * cancelled, their signals aborting the host's HTTP calls.
 */
import { useQueries } from '@tanstack/react-query';
import { useMemo, useState } from 'react';

import type { PanelQuery } from '../../../../collector/core/prometheus/latencyQueries.js';
import type { PrometheusSource, RangeParams } from '../../sources/prometheus/PrometheusSource.js';
import { rangeQueryOptions } from '../../sources/prometheus/queries.js';
import type { QueryOutcome } from './preparePanel.js';
import type { LatencyPanel } from './types.js';

export function useLatencyQueries(
  source: PrometheusSource,
  panels: ReadonlyMap<LatencyPanel, PanelQuery[]>,
  params: RangeParams | undefined,
): Map<LatencyPanel, QueryOutcome[]> {
  const flat = useMemo(() => [...panels.values()].flat(), [panels]);
  const results = useQueries({
    queries: flat.map((q) => rangeQueryOptions(source, q.query, params)),
  });
  // The last answer per PromQL text: a relative range's refresh is a new window (a new key), and
  // when that fetch fails react-query has no data for it; the panel keeps what it held instead.
  const [lastGood] = useState(() => new Map<string, QueryOutcome['data']>());
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
      }
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
