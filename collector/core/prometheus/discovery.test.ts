import { describe, expect, it } from 'vitest';

import { detectFamilies, discover, isEngineFamily } from './discovery.js';
import { ENGINE_FAMILIES, ENGINE_FAMILY_IDS, FAMILY_MARKERS, markerText } from './families.js';
import { HIST, NIM_NAMES, RAY_VLLM_NAMES, TGI_NAMES, VLLM_NEW_NAMES } from './testNames.js';

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
          'ray_vllm:num_requests_running',
          'tgi_queue_size',
          'nvidia_smi_gpu_info',
          'time_to_first_token_seconds_bucket',
          'num_requests_running',
        ]),
      ),
    ).toEqual([
      'vllm',
      'ray_vllm',
      'nim',
      'sglang',
      'tgi',
      'dcgm',
      'nvidia_gpu_exporter',
      'npu',
      'node_exporter',
      'osprey',
    ]);
    expect(detectFamilies(new Set(['node_custom_thing', 'up']))).toEqual([]);
  });

  it('claims NIM only for its pair of unprefixed names, not for either alone', () => {
    expect(detectFamilies(new Set(['num_requests_running', 'up']))).toEqual([]);
    expect(detectFamilies(new Set(['time_to_first_token_seconds_bucket']))).toEqual([]);
    expect(detectFamilies(new Set(NIM_NAMES))).toEqual(['nim']);
    // Ray Serve's names are not vLLM's (`ray_vllm:` does not start with `vllm:`), nor NIM's.
    expect(detectFamilies(new Set(RAY_VLLM_NAMES))).toEqual(['ray_vllm']);
    expect(detectFamilies(new Set(TGI_NAMES))).toEqual(['tgi']);
  });

  it('takes every engine marker from the one family table', () => {
    for (const id of ENGINE_FAMILY_IDS) {
      expect(isEngineFamily(id)).toBe(true);
      expect(FAMILY_MARKERS[id]).toBe(ENGINE_FAMILIES[id].marker);
    }
    expect(isEngineFamily('dcgm')).toBe(false);
    expect(markerText(ENGINE_FAMILIES.nim.marker)).toBe(
      'time_to_first_token_seconds_bucket + num_requests_running',
    );
    expect(markerText(ENGINE_FAMILIES.ray_vllm.marker)).toBe('ray_vllm:…');
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

describe('discover: every engine flavour', () => {
  it("Ray Serve vLLM: vLLM's quantities under ray_vllm:, generation and all", () => {
    const d = discover(RAY_VLLM_NAMES).engines.ray_vllm!;
    expect(d.generation).toBe('new');
    expect(d.missing).toEqual([]);
    expect(d.quantities.ttft!.names).toEqual(['ray_vllm:time_to_first_token_seconds']);
    expect(d.quantities.running!.names).toEqual(['ray_vllm:num_requests_running']);
    expect(d.quantities.preemptions!.names).toEqual(['ray_vllm:num_preemptions_total']);
    expect(d.quantities.finished).toEqual({
      kind: 'counter',
      names: ['ray_vllm:request_success_total'],
      reasonLabel: 'finished_reason',
    });
    expect(discover(RAY_VLLM_NAMES).engines.vllm).toBeUndefined();
  });

  it('NIM: unprefixed names, its finish-reason counter before request_success', () => {
    const d = discover(NIM_NAMES).engines.nim!;
    expect(d.generation).toBe('old');
    expect(d.quantities.inter_token!.names).toEqual(['time_per_output_token_seconds']);
    expect(d.quantities.kvUsage!.names).toEqual(['gpu_cache_usage_perc']);
    expect(d.quantities.promptTokens!.names).toEqual(['prompt_tokens_total']);
    expect(d.quantities.finished).toEqual({
      kind: 'counter',
      names: ['request_finish_total'],
      reasonLabel: 'finished_reason',
    });
    const plain = discover(NIM_NAMES.filter((n) => n !== 'request_finish_total')).engines.nim!;
    expect(plain.quantities.finished).toEqual({
      kind: 'counter',
      names: ['request_success_total'],
    });
    expect(d.missing).toEqual([]);
  });

  it('SGLang retractions as preemptions: counter, else the histogram sum, else the gauge', () => {
    const base = ['sglang:num_running_reqs'];
    const pre = (names: string[]) => discover([...base, ...names]).engines.sglang!.quantities;
    expect(
      pre([
        'sglang:num_retracted_requests_total',
        ...HIST('sglang:num_retractions'),
        'sglang:num_retracted_reqs',
      ]).preemptions,
    ).toEqual({ kind: 'counter', names: ['sglang:num_retracted_requests_total'] });
    expect(
      pre([...HIST('sglang:num_retractions'), 'sglang:num_retracted_reqs']).preemptions,
    ).toEqual({ kind: 'counter', names: ['sglang:num_retractions_sum'] });
    expect(pre(['sglang:num_retracted_reqs']).preemptions).toEqual({
      kind: 'gauge',
      names: ['sglang:num_retracted_reqs'],
    });
    expect(discover(base).engines.sglang!.missing).toContain('preemptions');
  });

  it('TGI: its gauges and histograms, token counters from histogram sums, no TTFT', () => {
    const d = discover(TGI_NAMES).engines.tgi!;
    expect(d.quantities.running!.names).toEqual(['tgi_batch_current_size']);
    expect(d.quantities.waiting!.names).toEqual(['tgi_queue_size']);
    expect(d.quantities.e2e!.names).toEqual(['tgi_request_duration']);
    expect(d.quantities.inter_token!.names).toEqual(['tgi_request_mean_time_per_token_duration']);
    expect(d.quantities.queue!.names).toEqual(['tgi_request_queue_duration']);
    expect(d.quantities.finished!.names).toEqual(['tgi_request_success']);
    expect(d.quantities.generationTokens!.names).toEqual(['tgi_request_generated_tokens_sum']);
    expect(d.quantities.promptTokens!.names).toEqual(['tgi_request_input_length_sum']);
    expect(d.quantities.ttft).toBeUndefined();
    expect(d.missing).toEqual([]);
    expect(ENGINE_FAMILIES.tgi.quantities.ttft).toBeUndefined();
    expect(ENGINE_FAMILIES.tgi.absent?.ttft).toBe('TGI exposes no time-to-first-token histogram');
  });

  it('counts the name prefixes the server holds, for the nothing-found hint', () => {
    const d = discover([
      ...Array.from({ length: 5 }, (_, i) => `myengine_thing_${i}`),
      'myengine:x',
      'up',
    ]);
    expect(d.families).toEqual([]);
    expect(d.seen!.top).toEqual([
      { prefix: 'myengine_', count: 5 },
      { prefix: 'myengine:', count: 1 },
      { prefix: 'up', count: 1 },
    ]);
  });
});
