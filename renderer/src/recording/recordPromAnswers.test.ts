import { QueryClient, QueryObserver } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import { recordPromAnswers } from './recordPromAnswers.js';

const key = (id: string, query: string, start: number) =>
  ['prometheus', id, 'range', query, start, start + 60_000, 15] as const;

describe('recordPromAnswers', () => {
  it('returns the active range queries of the connection with their data, not inactive or other connections’', async () => {
    const client = new QueryClient();
    const data = { status: 'success', data: [] };
    const watch = (k: readonly unknown[]) => {
      const observer = new QueryObserver(client, { queryKey: k, queryFn: () => data });
      return observer.subscribe(() => undefined);
    };
    watch(key('c1', 'up', 1000));
    watch(key('c2', 'up', 1000));
    client.setQueryData(key('c1', 'idle', 1000), data);
    await new Promise((r) => setTimeout(r, 0));
    expect(recordPromAnswers(client, 'c1')).toEqual([
      { query: 'up', range: { start: 1000, end: 61_000, step: 15 }, body: data },
    ]);
  });
});
