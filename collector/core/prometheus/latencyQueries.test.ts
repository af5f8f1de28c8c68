import { describe, expect, it } from 'vitest';

import { discover } from './discovery.js';
import { latencyPlan, rateWindowS, type PanelQuery } from './latencyQueries.js';
import { HIST, NIM_NAMES, RAY_VLLM_NAMES, TGI_NAMES, VLLM_NEW_NAMES } from './testNames.js';

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
      'preemptions: this SGLang exposes no retractions (sglang:num_retractions, sglang:num_retracted_reqs)',
      'finishReasons: no finished-request counter',
    ]);
    expect(latencyPlan(discover(names), 'vllm', {}, { stepS: 15 })).toBeUndefined();
  });
});

describe('latencyPlan (the other flavours)', () => {
  it("Ray Serve vLLM: vLLM's plan under ray_vllm:, matching whatever labels Ray adds", () => {
    const p = latencyPlan(
      discover(RAY_VLLM_NAMES),
      'ray_vllm',
      { models: ['m'], engines: ['0'] },
      { stepS: 15 },
    )!;
    expect(byKey(p.queries, 'ttft:p99')).toBe(
      'histogram_quantile(0.99, sum by (le) (rate(ray_vllm:time_to_first_token_seconds_bucket{model_name="m",engine="0"}[1m])))',
    );
    expect(byKey(p.queries, 'finishReasons')).toBe(
      'sum by (finished_reason) (rate(ray_vllm:request_success_total{model_name="m",engine="0"}[1m]))',
    );
    // Ray's WorkerId / ReplicaId / deployment / application are neither required nor dropped.
    expect(p.queries.every((q) => !/WorkerId|ReplicaId|deployment|application/.test(q.query))).toBe(
      true,
    );
    expect(p.unavailable).toEqual([]);
  });

  it('NIM: finish reasons from request_finish_total, no engine label, what it lacks named', () => {
    const p = latencyPlan(
      discover(NIM_NAMES),
      'nim',
      { models: ['meta/llama-3.1-8b-instruct'], engines: ['0'] },
      { stepS: 15 },
    )!;
    const sel = 'model_name="meta/llama-3.1-8b-instruct"';
    expect(byKey(p.queries, 'finishReasons')).toBe(
      `sum by (finished_reason) (rate(request_finish_total{${sel}}[1m]))`,
    );
    expect(p.queries.find((q) => q.key === 'finishReasons')!.label).toBe('{{finished_reason}}');
    expect(byKey(p.queries, 'inter_token:p50')).toBe(
      `histogram_quantile(0.5, sum by (le) (rate(time_per_output_token_seconds_bucket{${sel}}[1m])))`,
    );
    expect(byKey(p.queries, 'kvCache:max')).toBe(`100 * max (gpu_cache_usage_perc{${sel}})`);
    expect(p.unavailable.map((u) => `${u.panel}: ${u.reason}`)).toEqual([
      'stages: no queue histogram: NIM exposes TTFT, time per output token and end-to-end histograms only',
      'stages: no prefill histogram: NIM exposes TTFT, time per output token and end-to-end histograms only',
      'stages: no decode histogram: NIM exposes TTFT, time per output token and end-to-end histograms only',
      'preemptions: NIM exposes no preemption counter',
      'prefixCache: NIM exposes no prefix-cache counters',
    ]);
  });

  it('SGLang: retractions where vLLM shows preemptions (a rate, or the gauge as a count)', () => {
    const base = ['sglang:num_running_reqs', ...HIST('sglang:time_to_first_token_seconds')];
    const counter = latencyPlan(
      discover([...base, ...HIST('sglang:num_retractions')]),
      'sglang',
      {},
      { stepS: 15 },
    )!;
    const q = counter.queries.find((x) => x.panel === 'preemptions')!;
    expect(q).toMatchObject({
      query: 'sum (rate(sglang:num_retractions_sum[1m]))',
      unit: 'per second',
      label: 'retractions',
    });
    const gauge = latencyPlan(
      discover([...base, 'sglang:num_retracted_reqs']),
      'sglang',
      {},
      { stepS: 15 },
    )!;
    expect(gauge.queries.find((x) => x.panel === 'preemptions')).toMatchObject({
      query: 'sum (sglang:num_retracted_reqs)',
      unit: 'count',
      label: 'retracted (last step)',
    });
  });

  it('TGI: no model label, tokens from histogram sums, TTFT missing and said so', () => {
    const p = latencyPlan(
      discover(TGI_NAMES),
      'tgi',
      { models: ['ignored'], instances: ['tgi:80'] },
      { stepS: 15 },
    )!;
    expect(byKey(p.queries, 'e2e:p90')).toBe(
      'histogram_quantile(0.9, sum by (le) (rate(tgi_request_duration_bucket{instance="tgi:80"}[1m])))',
    );
    expect(byKey(p.queries, 'tokens:generation')).toBe(
      'sum (rate(tgi_request_generated_tokens_sum{instance="tgi:80"}[1m]))',
    );
    expect(byKey(p.queries, 'requests:waiting')).toBe('sum (tgi_queue_size{instance="tgi:80"})');
    expect(byKey(p.queries, 'finishReasons')).toBe(
      'sum (rate(tgi_request_success{instance="tgi:80"}[1m]))',
    );
    expect(p.queries.some((q) => q.stage === 'ttft')).toBe(false);
    expect(p.unavailable.map((u) => `${u.panel}: ${u.reason}`)).toEqual([
      'stages: no prefill histogram: TGI exposes queue, mean time per token and end-to-end histograms only',
      'stages: no decode histogram: TGI exposes queue, mean time per token and end-to-end histograms only',
      'ttft: no ttft histogram: TGI exposes no time-to-first-token histogram',
      'kvCache: TGI exposes no KV-cache usage',
      'preemptions: TGI exposes no preemption counter',
      'prefixCache: TGI exposes no prefix-cache counters',
      'finishReasons: TGI does not label finish reasons: total only',
    ]);
  });
});
