import { describe, expect, it } from 'vitest';

import { discover } from '../../../../collector/core/prometheus/discovery.js';
import { latencyPlan } from '../../../../collector/core/prometheus/latencyQueries.js';
import type { InstantSample } from '../../sources/prometheus/PrometheusSource.js';
import { rankTraffic, scopedSelection, topScope, trafficQuery } from './traffic.js';

const HIST = (base: string) => [`${base}_bucket`, `${base}_sum`, `${base}_count`];
const VLLM = [
  ...HIST('vllm:time_to_first_token_seconds'),
  ...HIST('vllm:e2e_request_latency_seconds'),
  'vllm:num_requests_running',
];

const sample = (metric: Record<string, string>, value: number): InstantSample => ({
  metric,
  time: 0,
  value,
});

describe('trafficQuery', () => {
  it('counts finished requests per instance over the whole window, one query for the fleet', () => {
    expect(trafficQuery(discover(VLLM), 'vllm', { models: ['m'] }, 6 * 3600)).toBe(
      'sum by (instance, node, engine) (increase(vllm:e2e_request_latency_seconds_count{model_name="m"}[6h]))',
    );
  });

  it("reads a histogram's +Inf bucket where it has no _count", () => {
    const q = trafficQuery(discover(['vllm:time_to_first_token_seconds_bucket']), 'vllm', {}, 90);
    expect(q).toBe(
      'sum by (instance, node, engine) (increase(vllm:time_to_first_token_seconds_bucket{le="+Inf"}[90s]))',
    );
  });

  it('has nothing to ask of a family the server does not hold', () => {
    expect(trafficQuery(discover(VLLM), 'sglang', {}, 60)).toBeUndefined();
  });
});

describe('rankTraffic and topScope', () => {
  const fleet = Array.from({ length: 643 }, (_, i) =>
    sample({ instance: `10.0.${Math.floor(i / 250)}.${i % 250}:8000`, engine: '0' }, i % 97),
  );

  it('takes the k busiest by the label that tells instances apart, busiest first', () => {
    const r = rankTraffic(fleet)!;
    expect(r.label).toBe('instance');
    expect(r.ranked).toHaveLength(643);
    const scope = topScope(r, 3)!;
    expect(scope.total).toBe(643);
    // 96 is the largest value (i % 97): i = 96, 193, 290, 387, … carry it; ties in label order.
    expect(scope.values).toEqual(['10.0.0.193:8000', '10.0.0.96:8000', '10.0.1.137:8000']);
    expect(r.ranked.slice(0, 3).map((x) => x.requests)).toEqual([96, 96, 96]);
  });

  it('ranks engines behind one endpoint by node, summing their engines, NaN as none', () => {
    const r = rankTraffic([
      sample({ instance: 'sim:9400', node: 'n1', engine: 'vllm-0' }, 5),
      sample({ instance: 'sim:9400', node: 'n1', engine: 'vllm-1' }, 6),
      sample({ instance: 'sim:9400', node: 'n2', engine: 'vllm-0' }, 10),
      sample({ instance: 'sim:9400', node: 'n3', engine: 'vllm-0' }, NaN),
    ])!;
    expect(r.label).toBe('node');
    expect(r.ranked).toEqual([
      { value: 'n1', requests: 11 },
      { value: 'n2', requests: 10 },
      { value: 'n3', requests: 0 },
    ]);
    expect(topScope(r, 2)).toEqual({ label: 'node', values: ['n1', 'n2'], total: 3 });
  });

  it('reads the whole fleet at once when it has no more than k', () => {
    expect(topScope(rankTraffic(fleet.slice(0, 10)), 10)).toBeUndefined();
    expect(rankTraffic([sample({ instance: 'a:1' }, 3)])).toBeUndefined();
  });
});

describe('scopedSelection', () => {
  const plan = (sel: Parameters<typeof latencyPlan>[2]) =>
    latencyPlan(discover(VLLM), 'vllm', sel, { stepS: 15, scrapeIntervalS: 15 })!;

  it('filters every panel query to exactly the scope, one query per line as for the fleet', () => {
    const sel = scopedSelection(
      { models: ['m'] },
      { label: 'instance', values: ['a:1', 'b:1'], total: 643 },
    );
    const p = plan(sel);
    const ttft = p.queries.find((q) => q.key === 'ttft:p99')!.query;
    expect(ttft).toBe(
      'histogram_quantile(0.99, sum by (le) (rate(vllm:time_to_first_token_seconds_bucket{model_name="m",instance=~"a:1|b:1"}[1m])))',
    );
    expect(p.queries.length).toBe(plan({ models: ['m'] }).queries.length);
  });

  it('puts node and engine scopes where the query builder reads them', () => {
    const byNode = plan(scopedSelection({}, { label: 'node', values: ['n1', 'n2'], total: 9 }));
    expect(byNode.queries[0]!.query).toContain('{node=~"n1|n2"}');
    const byEngine = plan(scopedSelection({}, { label: 'engine', values: ['e1', 'e2'], total: 9 }));
    expect(byEngine.queries[0]!.query).toContain('{engine=~"e1|e2"}');
  });
});
