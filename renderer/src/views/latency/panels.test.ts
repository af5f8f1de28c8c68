import { describe, expect, it } from 'vitest';

import { captionFor, PANELS } from './panels.js';

describe('panels', () => {
  it('covers every panel the query plan knows, once', () => {
    expect(PANELS.map((p) => p.id).sort()).toEqual(
      [
        'e2e',
        'finishReasons',
        'heatmap',
        'inter_token',
        'kvCache',
        'prefixCache',
        'preemptions',
        'requests',
        'stages',
        'tokens',
        'ttft',
      ].sort(),
    );
  });

  it('names the generation of renamed metrics in the caption', () => {
    expect(captionFor(['vllm:inter_token_latency_seconds'])).toBe(
      'vllm:inter_token_latency_seconds (vLLM ≥0.11)',
    );
    expect(captionFor(['vllm:gpu_cache_usage_perc', 'vllm:kv_cache_usage_perc'])).toBe(
      'vllm:gpu_cache_usage_perc (vLLM <0.9), vllm:kv_cache_usage_perc (vLLM ≥0.9)',
    );
    expect(captionFor(['vllm:prefix_cache_hits_total'])).toBe(
      'vllm:prefix_cache_hits_total (vLLM ≥0.9)',
    );
    expect(captionFor(['vllm:num_requests_running'])).toBe('vllm:num_requests_running');
  });
});
