/**
 * The Prometheus range answers on screen now: react-query's active queries of a connection
 * (sources/prometheus/queries.ts keys them `['prometheus', id, 'range', query, start, end, step]`),
 * with the data they hold (the parsed PromResult, as the Latency view draws it). Saved with a
 * snapshot so its Latency view works offline.
 */
import type { QueryClient } from '@tanstack/react-query';

import type { PromAnswer } from './recordSnapshot.js';

export function recordPromAnswers(client: QueryClient, connectionId: string): PromAnswer[] {
  const queries = client
    .getQueryCache()
    .findAll({ queryKey: ['prometheus', connectionId, 'range'], type: 'active' });
  const out: PromAnswer[] = [];
  for (const q of queries) {
    const [, , , query, start, end, step] = q.queryKey;
    const data: unknown = q.state.data;
    if (typeof query !== 'string' || data === undefined) continue;
    if (typeof start !== 'number' || typeof end !== 'number' || typeof step !== 'number') continue;
    out.push({ query, range: { start, end, step }, body: data });
  }
  return out;
}
