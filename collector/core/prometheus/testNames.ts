/** Metric names a vLLM ≥ 0.11 server exposes (contracts §1.3), shared by the core's unit tests. */
export const HIST = (base: string): string[] => [`${base}_bucket`, `${base}_sum`, `${base}_count`];

export const VLLM_NEW_NAMES: readonly string[] = [
  'vllm:num_requests_running',
  'vllm:num_requests_waiting',
  'vllm:kv_cache_usage_perc',
  'vllm:num_preemptions_total',
  'vllm:prompt_tokens_total',
  'vllm:generation_tokens_total',
  'vllm:prefix_cache_queries_total',
  'vllm:prefix_cache_hits_total',
  'vllm:request_success_total',
  ...HIST('vllm:time_to_first_token_seconds'),
  ...HIST('vllm:inter_token_latency_seconds'),
  ...HIST('vllm:e2e_request_latency_seconds'),
  ...HIST('vllm:request_queue_time_seconds'),
  ...HIST('vllm:request_prefill_time_seconds'),
  ...HIST('vllm:request_decode_time_seconds'),
];
