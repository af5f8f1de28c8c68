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

/** vLLM's names as Ray Serve re-exports them (`ray_vllm:` instead of `vllm:`). */
export const RAY_VLLM_NAMES: readonly string[] = VLLM_NEW_NAMES.map((n) =>
  n.replace(/^vllm:/, 'ray_vllm:'),
);

/** NVIDIA NIM for LLMs (its observability page's table; unprefixed vLLM-era names). */
export const NIM_NAMES: readonly string[] = [
  'num_requests_running',
  'num_requests_waiting',
  'num_request_max',
  'gpu_cache_usage_perc',
  'prompt_tokens_total',
  'generation_tokens_total',
  'request_success_total',
  'request_finish_total',
  'request_failure_total',
  ...HIST('time_to_first_token_seconds'),
  ...HIST('time_per_output_token_seconds'),
  ...HIST('e2e_request_latency_seconds'),
  ...HIST('request_prompt_tokens'),
  ...HIST('request_generation_tokens'),
];

/** TGI (contracts §1.8): metrics-exporter-prometheus writes counters without `_total`. */
export const TGI_NAMES: readonly string[] = [
  'tgi_batch_current_max_tokens',
  'tgi_batch_current_size',
  'tgi_queue_size',
  'tgi_request_count',
  'tgi_request_success',
  'tgi_batch_inference_count',
  'tgi_batch_inference_success',
  ...HIST('tgi_request_duration'),
  ...HIST('tgi_request_queue_duration'),
  ...HIST('tgi_request_validation_duration'),
  ...HIST('tgi_request_inference_duration'),
  ...HIST('tgi_request_mean_time_per_token_duration'),
  ...HIST('tgi_request_generated_tokens'),
  ...HIST('tgi_request_input_length'),
  ...HIST('tgi_batch_forward_duration'),
];
