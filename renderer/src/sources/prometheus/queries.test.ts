import { QueryClient, QueryObserver } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';

import { FakePrometheusSource } from './FakePrometheusSource.js';
import { rangeQueryOptions } from './queries.js';

describe('range queries', () => {
  it('cancel the old window when the range changes, through to the source', async () => {
    // The source never answers on its own: only an abort ends a call.
    const source = new FakePrometheusSource(
      ({ signal }) =>
        new Promise((_, reject) =>
          signal.addEventListener('abort', () => reject(signal.reason as Error)),
        ),
      'conn-1',
    );
    const client = new QueryClient();
    const first = { start: 0, end: 3_600_000, step: 15 };
    const observer = new QueryObserver(client, rangeQueryOptions(source, 'up', first));
    const unsubscribe = observer.subscribe(() => {});
    await Promise.resolve();
    expect(source.calls).toHaveLength(1);
    expect(source.calls[0]!.params).toEqual(first);

    observer.setOptions(rangeQueryOptions(source, 'up', { start: 0, end: 7_200_000, step: 30 }));
    await Promise.resolve();
    expect(source.calls).toHaveLength(2);
    expect(source.calls[0]!.signal.aborted).toBe(true);
    expect(source.calls[1]!.signal.aborted).toBe(false);
    unsubscribe();
    client.clear();
  });

  it('key each window by connection, query, start, end and step', () => {
    const source = new FakePrometheusSource(() => [], 'conn-1');
    const key = rangeQueryOptions(source, 'up', { start: 1, end: 2, step: 3 }).queryKey;
    expect(key).toEqual(['prometheus', 'conn-1', 'range', 'up', 1, 2, 3]);
    expect(rangeQueryOptions(undefined, 'up', undefined).enabled).toBe(false);
  });
});
