import { describe, expect, it } from 'vitest';

import { impactQueries } from './impactQueries.js';

const TS = Date.UTC(2026, 11, 3, 14, 2, 11);
const LATER = TS + 3_600_000;

describe('impactQueries', () => {
  it('asks running and waiting (mean before, last after) and TTFT p50/p99 at the incident and a minute later', () => {
    const plan = impactQueries('node-017', ['llama-70b'], TS, LATER)!;
    expect(plan.before).toEqual({ start: TS - 60_000, end: TS });
    expect(plan.after).toEqual({ start: TS, end: TS + 60_000 });
    const node = 'engine="llama-70b",node="node-017"';
    const inst = 'engine="llama-70b",instance=~"node-017:[0-9]+"';
    const buckets = (w: string) =>
      `rate(vllm:time_to_first_token_seconds_bucket{${node}}[${w}]) or ` +
      `rate(vllm:time_to_first_token_seconds_bucket{${inst}}[${w}])`;
    expect(plan.queries).toEqual([
      {
        quantity: 'running',
        side: 'before',
        time: TS,
        query:
          `sum by (engine) (avg_over_time(vllm:num_requests_running{${node}}[1m]) or ` +
          `avg_over_time(vllm:num_requests_running{${inst}}[1m]))`,
      },
      {
        quantity: 'waiting',
        side: 'before',
        time: TS,
        query:
          `sum by (engine) (avg_over_time(vllm:num_requests_waiting{${node}}[1m]) or ` +
          `avg_over_time(vllm:num_requests_waiting{${inst}}[1m]))`,
      },
      {
        quantity: 'ttftP50',
        side: 'before',
        time: TS,
        query: `histogram_quantile(0.5, sum by (le, engine) (${buckets('1m')}))`,
      },
      {
        quantity: 'ttftP99',
        side: 'before',
        time: TS,
        query: `histogram_quantile(0.99, sum by (le, engine) (${buckets('1m')}))`,
      },
      {
        quantity: 'running',
        side: 'after',
        time: TS + 60_000,
        query:
          `sum by (engine) (last_over_time(vllm:num_requests_running{${node}}[1m]) or ` +
          `last_over_time(vllm:num_requests_running{${inst}}[1m]))`,
      },
      {
        quantity: 'waiting',
        side: 'after',
        time: TS + 60_000,
        query:
          `sum by (engine) (last_over_time(vllm:num_requests_waiting{${node}}[1m]) or ` +
          `last_over_time(vllm:num_requests_waiting{${inst}}[1m]))`,
      },
      {
        quantity: 'ttftP50',
        side: 'after',
        time: TS + 60_000,
        query: `histogram_quantile(0.5, sum by (le, engine) (${buckets('1m')}))`,
      },
      {
        quantity: 'ttftP99',
        side: 'after',
        time: TS + 60_000,
        query: `histogram_quantile(0.99, sum by (le, engine) (${buckets('1m')}))`,
      },
    ]);
  });

  it('asks for several engines of the node at once, as an escaped alternation, sorted', () => {
    const plan = impactQueries('node.1', ['b+1', 'a', 'a'], TS, LATER, {
      nodeLabel: 'kubernetes_node',
    })!;
    expect(plan.queries[0]!.query).toBe(
      'sum by (engine) (avg_over_time(vllm:num_requests_running{engine=~"a|b\\\\+1",kubernetes_node="node.1"}[1m]) or ' +
        'avg_over_time(vllm:num_requests_running{engine=~"a|b\\\\+1",instance=~"node\\\\.1:[0-9]+"}[1m]))',
    );
  });

  it('ends the after window at the console clock, in whole seconds', () => {
    const plan = impactQueries('n', ['e'], TS, TS + 42_700)!;
    expect(plan.after).toEqual({ start: TS, end: TS + 42_000 });
    const after = plan.queries.filter((q) => q.side === 'after');
    expect(after.map((q) => q.time)).toEqual([TS + 42_000, TS + 42_000, TS + 42_000, TS + 42_000]);
    expect(after[0]!.query).toContain('[42s]');
  });

  it('leaves the after window out while less than 15 s of it has passed', () => {
    const plan = impactQueries('n', ['e'], TS, TS + 14_999)!;
    expect(plan.after).toBeUndefined();
    expect(plan.queries.map((q) => q.side)).toEqual(['before', 'before', 'before', 'before']);
  });

  it('asks nothing without an engine', () => {
    expect(impactQueries('n', [], TS, LATER)).toBeUndefined();
  });
});
