import { describe, expect, it } from 'vitest';

import { discover } from './discovery.js';
import { latencyPlan, rateWindowS, type PanelQuery } from './latencyQueries.js';
import { HIST, VLLM_NEW_NAMES } from './testNames.js';

// A server mid-upgrade also holds the old KV-cache name.
const VLLM = [...VLLM_NEW_NAMES, 'vllm:gpu_cache_usage_perc'];
const byKey = (qs: PanelQuery[], key: string) => qs.find((q) => q.key === key)?.query;

describe('rateWindowS', () => {
  it('is the larger of 4 steps and 4 scrape intervals', () => {
    expect(rateWindowS(15, 15)).toBe(60);
    expect(rateWindowS(300, 15)).toBe(1200);
    expect(rateWindowS(1, 30)).toBe(120);
  });
});

describe('latencyPlan (vLLM)', () => {
  const plan = latencyPlan(
    discover(VLLM),
    'vllm',
    { models: ['Qwen/Qwen3-32B'], engines: ['0'], instances: ['h1:8000', 'h2:8000'] },
    { stepS: 15, scrapeIntervalS: 15 },
  )!;
  const sel = 'model_name="Qwen/Qwen3-32B",instance=~"h1:8000|h2:8000",engine="0"';

  it('builds percentiles with sum by (le) over the rate of the buckets', () => {
    expect(plan.window).toBe('1m');
    expect(byKey(plan.queries, 'ttft:p99')).toBe(
      `histogram_quantile(0.99, sum by (le) (rate(vllm:time_to_first_token_seconds_bucket{${sel}}[1m])))`,
    );
    expect(byKey(plan.queries, 'queue:p50')).toContain('vllm:request_queue_time_seconds_bucket');
    expect(plan.queries.filter((q) => q.panel === 'stages')).toHaveLength(9);
    expect(plan.queries.filter((q) => q.panel === 'heatmap').map((q) => q.stage)).toEqual([
      'queue',
      'prefill',
      'decode',
      'ttft',
      'inter_token',
      'e2e',
    ]);
    expect(byKey(plan.queries, 'heatmap:e2e')).toBe(
      `sum by (le) (rate(vllm:e2e_request_latency_seconds_bucket{${sel}}[1m]))`,
    );
  });

  it('covers throughput, queue depth, KV cache, preemptions, prefix cache and finish reasons', () => {
    expect(byKey(plan.queries, 'tokens:prompt')).toBe(
      `sum (rate(vllm:prompt_tokens_total{${sel}}[1m]))`,
    );
    expect(byKey(plan.queries, 'requests:waiting')).toBe(`sum (vllm:num_requests_waiting{${sel}})`);
    // both KV names on this server: or'ed, the current one first
    expect(byKey(plan.queries, 'kvCache:mean')).toBe(
      `100 * avg (vllm:kv_cache_usage_perc{${sel}} or vllm:gpu_cache_usage_perc{${sel}})`,
    );
    expect(byKey(plan.queries, 'preemptions')).toBe(
      `sum (rate(vllm:num_preemptions_total{${sel}}[1m]))`,
    );
    expect(byKey(plan.queries, 'prefixCache:hitRate')).toBe(
      `100 * sum (rate(vllm:prefix_cache_hits_total{${sel}}[1m])) / sum (rate(vllm:prefix_cache_queries_total{${sel}}[1m]))`,
    );
    expect(byKey(plan.queries, 'finishReasons')).toBe(
      `sum by (finished_reason) (rate(vllm:request_success_total{${sel}}[1m]))`,
    );
    expect(plan.unavailable).toEqual([]);
    expect(new Set(plan.queries.map((q) => q.key)).size).toBe(plan.queries.length);
  });

  it('keeps labels apart when asked and escapes hostile label values', () => {
    const p = latencyPlan(
      discover(VLLM),
      'vllm',
      { models: ['x"}) or vector(1) #\n\\'], labels: { cluster: 'east' } },
      { stepS: 60, quantiles: [0.9], by: ['instance'] },
    )!;
    expect(p.window).toBe('4m');
    expect(byKey(p.queries, 'e2e:p90')).toBe(
      'histogram_quantile(0.9, sum by (le, instance) (rate(vllm:e2e_request_latency_seconds_bucket{cluster="east",model_name="x\\"}) or vector(1) #\\n\\\\"}[4m])))',
    );
  });

  it('ors both inter-token names for a mixed fleet', () => {
    const p = latencyPlan(
      discover([...VLLM, ...HIST('vllm:time_per_output_token_seconds')]),
      'vllm',
      {},
      { stepS: 15 },
    )!;
    expect(p.generation).toBe('both');
    expect(byKey(p.queries, 'inter_token:p50')).toBe(
      'histogram_quantile(0.5, sum by (le) (rate(vllm:inter_token_latency_seconds_bucket[1m]) or rate(vllm:time_per_output_token_seconds_bucket[1m])))',
    );
  });
});

describe('latencyPlan (SGLang)', () => {
  it('uses its names, has no engine label, and lists what it cannot show', () => {
    const names = [
      'sglang:num_running_reqs',
      'sglang:num_queue_reqs',
      'sglang:token_usage',
      'sglang:cache_hit_rate',
      'sglang:prompt_tokens_total',
      'sglang:generation_tokens_total',
      ...HIST('sglang:time_to_first_token_seconds'),
      ...HIST('sglang:inter_token_latency_seconds'),
      ...HIST('sglang:e2e_request_latency_seconds'),
    ];
    const p = latencyPlan(
      discover(names),
      'sglang',
      { models: ['m'], engines: ['0'] },
      { stepS: 15 },
    )!;
    expect(byKey(p.queries, 'requests:running')).toBe(
      'sum (sglang:num_running_reqs{model_name="m"})',
    );
    expect(byKey(p.queries, 'kvCache:mean')).toBe('100 * avg (sglang:token_usage{model_name="m"})');
    expect(byKey(p.queries, 'prefixCache:hitRate')).toBe(
      '100 * avg (sglang:cache_hit_rate{model_name="m"})',
    );
    const reasons = p.unavailable.map((u) => `${u.panel}: ${u.reason}`);
    expect(reasons).toEqual([
      'stages: no queue histogram: SGLang exposes TTFT, inter-token, e2e and (newer versions) queue time only',
      'stages: no prefill histogram: SGLang exposes TTFT, inter-token, e2e and (newer versions) queue time only',
      'stages: no decode histogram: SGLang exposes TTFT, inter-token, e2e and (newer versions) queue time only',
      'preemptions: SGLang exposes no preemption counter',
      'finishReasons: no finished-request counter',
    ]);
    expect(latencyPlan(discover(names), 'vllm', {}, { stepS: 15 })).toBeUndefined();
  });
});
