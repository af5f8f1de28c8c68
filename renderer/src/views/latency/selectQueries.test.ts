import { describe, expect, it } from 'vitest';

import { discover } from '../../../../collector/core/prometheus/discovery.js';
import { latencyPlan } from '../../../../collector/core/prometheus/latencyQueries.js';
import { heatmapStages, selectQueries, unavailableReason } from './selectQueries.js';

const VLLM = [
  'vllm:request_queue_time_seconds_bucket',
  'vllm:request_prefill_time_seconds_bucket',
  'vllm:request_decode_time_seconds_bucket',
  'vllm:time_to_first_token_seconds_bucket',
  'vllm:inter_token_latency_seconds_bucket',
  'vllm:e2e_request_latency_seconds_bucket',
  'vllm:num_requests_running',
  'vllm:num_requests_waiting',
  'vllm:kv_cache_usage_perc',
];

describe('selectQueries', () => {
  const plan = latencyPlan(discover(VLLM), 'vllm', { models: ['m'] }, { stepS: 15 })!;

  it('runs one stage percentile and one heatmap stage, and every other query', () => {
    const map = selectQueries(plan, { stageQuantile: 0.99, heatmapStage: 'e2e' });
    expect(map.get('stages')!.map((q) => q.label)).toEqual([
      'queue p99',
      'prefill p99',
      'decode p99',
    ]);
    expect(map.get('heatmap')!.map((q) => q.stage)).toEqual(['e2e']);
    expect(map.get('ttft')!.map((q) => q.label)).toEqual(['p50', 'p90', 'p99']);
    expect(map.get('requests')!.map((q) => q.key)).toEqual([
      'requests:running',
      'requests:waiting',
    ]);
  });

  it('lists the heatmap stages the server holds and why panels are missing', () => {
    expect(heatmapStages(plan)).toEqual([
      'queue',
      'prefill',
      'decode',
      'ttft',
      'inter_token',
      'e2e',
    ]);
    expect(unavailableReason(plan, 'tokens')).toBe('no prompt/generation token counters');
    expect(unavailableReason(plan, 'ttft')).toBeUndefined();
  });

  it('tells SGLang has no stage histograms', () => {
    const sglang = latencyPlan(
      discover(['sglang:time_to_first_token_seconds_bucket', 'sglang:num_running_reqs']),
      'sglang',
      {},
      { stepS: 15 },
    )!;
    expect(
      selectQueries(sglang, { stageQuantile: 0.9, heatmapStage: 'ttft' }).get('stages'),
    ).toBeUndefined();
    const why = unavailableReason(sglang, 'stages')!;
    expect(why).toMatch(/^no queue, prefill, decode histogram: SGLang exposes /);
    expect(why.match(/SGLang/g)).toHaveLength(1);
  });
});
