import { describe, expect, it } from 'vitest';

import { detectFamilies, discover } from './discovery.js';
import { HIST, VLLM_NEW_NAMES } from './testNames.js';

const VLLM_NEW = VLLM_NEW_NAMES;
const VLLM_OLD = VLLM_NEW.map((n) =>
  n
    .replace('kv_cache_usage_perc', 'gpu_cache_usage_perc')
    .replace('inter_token_latency_seconds', 'time_per_output_token_seconds')
    .replace('vllm:prefix_cache', 'vllm:gpu_prefix_cache'),
);

describe('detectFamilies', () => {
  it('finds each family by prefix or marker name, in a fixed order', () => {
    expect(
      detectFamilies(
        new Set([
          'osprey_device_utilization_ratio',
          'node_load1',
          'npu_chip_info_power',
          'DCGM_FI_DEV_GPU_UTIL',
          'sglang:token_usage',
          'vllm:num_requests_running',
        ]),
      ),
    ).toEqual(['vllm', 'sglang', 'dcgm', 'npu', 'node_exporter', 'osprey']);
    expect(detectFamilies(new Set(['node_custom_thing', 'up']))).toEqual([]);
  });
});

describe('discover', () => {
  it('resolves the new vLLM generation with _total counters and histogram bases', () => {
    const d = discover(VLLM_NEW).engines.vllm!;
    expect(d.generation).toBe('new');
    expect(d.missing).toEqual([]);
    expect(d.quantities.kvUsage).toEqual({ kind: 'gauge', names: ['vllm:kv_cache_usage_perc'] });
    expect(d.quantities.inter_token).toEqual({
      kind: 'histogram',
      names: ['vllm:inter_token_latency_seconds'],
      hasSumCount: true,
    });
    expect(d.quantities.preemptions!.names).toEqual(['vllm:num_preemptions_total']);
  });

  it('resolves the old generation and says so', () => {
    const d = discover(VLLM_OLD).engines.vllm!;
    expect(d.generation).toBe('old');
    expect(d.quantities.kvUsage!.names).toEqual(['vllm:gpu_cache_usage_perc']);
    expect(d.quantities.inter_token!.names).toEqual(['vllm:time_per_output_token_seconds']);
    expect(d.quantities.prefixHits!.names).toEqual(['vllm:gpu_prefix_cache_hits_total']);
  });

  it('reports "both" for a fleet mid-upgrade, newest name first', () => {
    const d = discover([...VLLM_NEW, ...VLLM_OLD]).engines.vllm!;
    expect(d.generation).toBe('both');
    expect(d.quantities.kvUsage!.names).toEqual([
      'vllm:kv_cache_usage_perc',
      'vllm:gpu_cache_usage_perc',
    ]);
    expect(d.quantities.ttft!.names).toEqual(['vllm:time_to_first_token_seconds']);
  });

  it('accepts counters stored without _total and needs _bucket for a histogram', () => {
    const d = discover([
      'vllm:num_preemptions',
      'vllm:e2e_request_latency_seconds_sum',
      'vllm:e2e_request_latency_seconds_count',
      'vllm:request_queue_time_seconds_bucket',
    ]).engines.vllm!;
    expect(d.quantities.preemptions!.names).toEqual(['vllm:num_preemptions']);
    expect(d.quantities.e2e).toBeUndefined();
    expect(d.missing).toContain('e2e');
    expect(d.quantities.queue).toEqual({
      kind: 'histogram',
      names: ['vllm:request_queue_time_seconds'],
      hasSumCount: false,
    });
    expect(d.generation).toBe('unknown');
  });

  it('maps SGLang onto the same quantities and lists what it lacks', () => {
    const d = discover([
      'sglang:num_running_reqs',
      'sglang:num_queue_reqs',
      'sglang:token_usage',
      'sglang:cache_hit_rate',
      'sglang:prompt_tokens_total',
      ...HIST('sglang:time_to_first_token_seconds'),
      ...HIST('sglang:time_per_output_token_seconds'),
    ]).engines.sglang!;
    expect(d.generation).toBe('old');
    expect(d.quantities.running!.names).toEqual(['sglang:num_running_reqs']);
    expect(d.quantities.waiting!.names).toEqual(['sglang:num_queue_reqs']);
    expect(d.quantities.kvUsage!.names).toEqual(['sglang:token_usage']);
    expect(d.missing).toEqual(expect.arrayContaining(['e2e', 'queue', 'generationTokens']));
    expect(d.quantities.prefill).toBeUndefined();
  });

  it('finds device families and the canonical quantities each one holds', () => {
    const d = discover([
      'DCGM_FI_DEV_GPU_UTIL',
      'DCGM_FI_DEV_FB_USED',
      'npu_chip_info_hbm_used_memory',
      'osprey_device_power_watts',
    ]);
    expect(Object.keys(d.devices.dcgm!.quantities)).toEqual([
      'device.utilization',
      'device.memory.used',
    ]);
    expect(d.devices.dcgm!.quantities['device.memory.used']).toEqual({
      name: 'DCGM_FI_DEV_FB_USED',
      scale: 1048576,
    });
    expect(d.devices.npu!.quantities['device.memory.used']!.name).toBe(
      'npu_chip_info_hbm_used_memory',
    );
    expect(d.devices.osprey!.quantities['device.power']).toEqual({
      name: 'osprey_device_power_watts',
      scale: 1,
    });
  });
});
