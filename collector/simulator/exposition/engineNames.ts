/**
 * The names and HELP texts of the engines' metrics, by vLLM naming generation (see engines.ts).
 * HELP texts are the engines' own (contracts §1.3 and §1.7, and the real dumps in fixtures/).
 */
import type { LatencyStage } from '../latency.js';

export type VllmNames = 'new' | 'old';

export type Named = readonly [name: string, help: string];

export const VLLM_HIST: Readonly<Record<VllmNames, Readonly<Record<LatencyStage, Named>>>> = {
  new: {
    ttft: ['vllm:time_to_first_token_seconds', 'Histogram of time to first token in seconds.'],
    inter_token: [
      'vllm:inter_token_latency_seconds',
      'Histogram of inter-token latency in seconds.',
    ],
    e2e: ['vllm:e2e_request_latency_seconds', 'Histogram of e2e request latency in seconds.'],
    queue: [
      'vllm:request_queue_time_seconds',
      'Histogram of time spent in WAITING phase for request.',
    ],
    prefill: [
      'vllm:request_prefill_time_seconds',
      'Histogram of time spent in PREFILL phase for request.',
    ],
    decode: [
      'vllm:request_decode_time_seconds',
      'Histogram of time spent in DECODE phase for request.',
    ],
  },
  old: {
    ttft: ['vllm:time_to_first_token_seconds', 'Histogram of time to first token in seconds.'],
    inter_token: [
      'vllm:time_per_output_token_seconds',
      'Histogram of time per output token in seconds.',
    ],
    e2e: [
      'vllm:e2e_request_latency_seconds',
      'Histogram of end to end request latency in seconds.',
    ],
    queue: [
      'vllm:request_queue_time_seconds',
      'Histogram of time spent in WAITING phase for request.',
    ],
    prefill: [
      'vllm:request_prefill_time_seconds',
      'Histogram of time spent in PREFILL phase for request.',
    ],
    decode: [
      'vllm:request_decode_time_seconds',
      'Histogram of time spent in DECODE phase for request.',
    ],
  },
};

export const SGLANG_HIST: Readonly<Record<VllmNames, Partial<Record<LatencyStage, Named>>>> = {
  new: {
    ttft: ['sglang:time_to_first_token_seconds', 'Histogram of time to first token in seconds.'],
    inter_token: [
      'sglang:inter_token_latency_seconds',
      'Histogram of inter-token latency in seconds.',
    ],
    e2e: [
      'sglang:e2e_request_latency_seconds',
      'Histogram of End-to-end request latency in seconds',
    ],
  },
  old: {
    ttft: ['sglang:time_to_first_token_seconds', 'Histogram of time to first token in seconds.'],
    inter_token: [
      'sglang:time_per_output_token_seconds',
      'Histogram of time per output token in seconds.',
    ],
    e2e: [
      'sglang:e2e_request_latency_seconds',
      'Histogram of End-to-end request latency in seconds',
    ],
  },
};

/** vLLM's gauges and counters; where the generations differ, the old name second. */
export const VLLM = {
  running: {
    new: ['vllm:num_requests_running', 'Number of requests in model execution batches.'],
    old: ['vllm:num_requests_running', 'Number of requests currently running on GPU.'],
  },
  waiting: ['vllm:num_requests_waiting', 'Number of requests waiting to be processed.'],
  kvUsage: {
    new: ['vllm:kv_cache_usage_perc', 'KV-cache usage. 1 means 100 percent usage.'],
    old: ['vllm:gpu_cache_usage_perc', 'GPU KV-cache usage. 1 means 100 percent usage.'],
  },
  preemptions: ['vllm:num_preemptions_total', 'Cumulative number of preemption from the engine.'],
  promptTokens: ['vllm:prompt_tokens_total', 'Number of prefill tokens processed.'],
  generationTokens: ['vllm:generation_tokens_total', 'Number of generation tokens processed.'],
  prefixQueries: {
    new: [
      'vllm:prefix_cache_queries_total',
      'Prefix cache queries, in terms of number of queried tokens.',
    ],
    old: [
      'vllm:gpu_prefix_cache_queries_total',
      'GPU prefix cache queries, in terms of number of queried blocks.',
    ],
  },
  prefixHits: {
    new: [
      'vllm:prefix_cache_hits_total',
      'Prefix cache hits, in terms of number of cached tokens.',
    ],
    old: [
      'vllm:gpu_prefix_cache_hits_total',
      'GPU prefix cache hits, in terms of number of cached blocks.',
    ],
  },
  success: ['vllm:request_success_total', 'Count of successfully processed requests.'],
} as const;

export const SGLANG = {
  running: ['sglang:num_running_reqs', 'The number of running requests'],
  waiting: ['sglang:num_queue_reqs', 'The number of requests in the waiting queue'],
  tokenUsage: ['sglang:token_usage', 'The token usage'],
  cacheHitRate: ['sglang:cache_hit_rate', 'The cache hit rate'],
  genThroughput: ['sglang:gen_throughput', 'The generate throughput (token/s)'],
  promptTokens: ['sglang:prompt_tokens_total', 'Number of prefill tokens processed.'],
  generationTokens: ['sglang:generation_tokens_total', 'Number of generation tokens processed.'],
  retractions: ['sglang:num_retractions', 'Histogram of retraction counts per request.'],
  retracted: ['sglang:num_retracted_reqs', 'The number of retracted requests.'],
} as const;
