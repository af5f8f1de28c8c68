/**
 * Serving engines as vLLM and SGLang expose them (names and HELP texts from contracts: vLLM's
 * vllm/v1/metrics/loggers.py, SGLang's srt/metrics/collector.py, and their real /metrics dumps in
 * fixtures/). Two vLLM naming generations:
 * - `new` (0.11+): vllm:kv_cache_usage_perc, vllm:prefix_cache_{queries,hits}_total (tokens),
 *   vllm:inter_token_latency_seconds;
 * - `old` (0.8-era V1): vllm:gpu_cache_usage_perc, vllm:gpu_prefix_cache_{queries,hits}_total
 *   (blocks of 16 tokens), vllm:time_per_output_token_seconds.
 * SGLang follows the same switch for its inter-token histogram (inter_token_latency_seconds vs
 * time_per_output_token_seconds). Counters carry prometheus_client's `_total`. Labels: model_name,
 * and `engine` = the engine's id within its node (vLLM's own label, here naming the instance).
 */
import { BUCKETS } from '../buckets.js';
import type { EngineState } from '../engineSim.js';
import type { EngineSpec } from '../fleet.js';
import type { LatencyStage } from '../latency.js';
import { histogramLines, sample, type Families, type Labels } from './promText.js';

export type VllmNames = 'new' | 'old';

type Named = readonly [name: string, help: string];

const BLOCK_TOKENS = 16;

const VLLM_HIST: Readonly<Record<VllmNames, Readonly<Record<LatencyStage, Named>>>> = {
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

const SGLANG_HIST: Readonly<Record<VllmNames, Partial<Record<LatencyStage, Named>>>> = {
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

function put(
  f: Families,
  [name, help]: Named,
  type: 'gauge' | 'counter',
  labels: Labels,
  v: number,
): void {
  f.family(name, help, type).push(sample(name, labels, v));
}

export function addEngine(
  f: Families,
  spec: EngineSpec,
  s: EngineState,
  names: VllmNames,
  target: Labels,
): void {
  if (s.down || !s.counters) return;
  const c = s.counters;
  const labels: Labels = [['model_name', spec.model.name], ['engine', spec.id], ...target];
  if (spec.framework === 'vllm') {
    const old = names === 'old';
    put(
      f,
      [
        'vllm:num_requests_running',
        old
          ? 'Number of requests currently running on GPU.'
          : 'Number of requests in model execution batches.',
      ],
      'gauge',
      labels,
      s.running,
    );
    put(
      f,
      ['vllm:num_requests_waiting', 'Number of requests waiting to be processed.'],
      'gauge',
      labels,
      s.waiting,
    );
    put(
      f,
      old
        ? ['vllm:gpu_cache_usage_perc', 'GPU KV-cache usage. 1 means 100 percent usage.']
        : ['vllm:kv_cache_usage_perc', 'KV-cache usage. 1 means 100 percent usage.'],
      'gauge',
      labels,
      s.kvUsage / 100,
    );
    put(
      f,
      ['vllm:num_preemptions_total', 'Cumulative number of preemption from the engine.'],
      'counter',
      labels,
      c.preemptions,
    );
    put(
      f,
      ['vllm:prompt_tokens_total', 'Number of prefill tokens processed.'],
      'counter',
      labels,
      c.promptTokens,
    );
    put(
      f,
      ['vllm:generation_tokens_total', 'Number of generation tokens processed.'],
      'counter',
      labels,
      c.generationTokens,
    );
    if (old) {
      put(
        f,
        [
          'vllm:gpu_prefix_cache_queries_total',
          'GPU prefix cache queries, in terms of number of queried blocks.',
        ],
        'counter',
        labels,
        Math.floor(c.prefixQueries / BLOCK_TOKENS),
      );
      put(
        f,
        [
          'vllm:gpu_prefix_cache_hits_total',
          'GPU prefix cache hits, in terms of number of cached blocks.',
        ],
        'counter',
        labels,
        Math.floor(c.prefixHits / BLOCK_TOKENS),
      );
    } else {
      put(
        f,
        [
          'vllm:prefix_cache_queries_total',
          'Prefix cache queries, in terms of number of queried tokens.',
        ],
        'counter',
        labels,
        c.prefixQueries,
      );
      put(
        f,
        ['vllm:prefix_cache_hits_total', 'Prefix cache hits, in terms of number of cached tokens.'],
        'counter',
        labels,
        c.prefixHits,
      );
    }
    const success = f.family(
      'vllm:request_success_total',
      'Count of successfully processed requests.',
      'counter',
    );
    success.push(
      sample(
        'vllm:request_success_total',
        [['finished_reason', 'stop'], ...labels],
        c.success.stop,
      ),
    );
    success.push(
      sample(
        'vllm:request_success_total',
        [['finished_reason', 'length'], ...labels],
        c.success.length,
      ),
    );
    addHistograms(f, spec, s, VLLM_HIST[names], labels);
    return;
  }
  put(f, ['sglang:num_running_reqs', 'The number of running requests'], 'gauge', labels, s.running);
  put(
    f,
    ['sglang:num_queue_reqs', 'The number of requests in the waiting queue'],
    'gauge',
    labels,
    s.waiting,
  );
  put(f, ['sglang:token_usage', 'The token usage'], 'gauge', labels, Math.round(s.kvUsage) / 100);
  put(f, ['sglang:cache_hit_rate', 'The cache hit rate'], 'gauge', labels, s.prefixHitRate / 100);
  put(
    f,
    ['sglang:gen_throughput', 'The generate throughput (token/s)'],
    'gauge',
    labels,
    Math.round(s.generationTps * 10) / 10,
  );
  put(
    f,
    ['sglang:prompt_tokens_total', 'Number of prefill tokens processed.'],
    'counter',
    labels,
    c.promptTokens,
  );
  put(
    f,
    ['sglang:generation_tokens_total', 'Number of generation tokens processed.'],
    'counter',
    labels,
    c.generationTokens,
  );
  addHistograms(f, spec, s, SGLANG_HIST[names], labels);
}

function addHistograms(
  f: Families,
  spec: EngineSpec,
  s: EngineState,
  table: Partial<Record<LatencyStage, Named>>,
  labels: Labels,
): void {
  for (const [stage, named] of Object.entries(table) as [LatencyStage, Named][]) {
    const h = s.counters?.histograms[stage];
    const bounds = BUCKETS[spec.framework][stage];
    if (!h || !bounds) continue;
    const lines = f.family(named[0], named[1], 'histogram');
    lines.push(...histogramLines(named[0], labels, bounds, h.cumulative(), h.sum, h.count));
  }
}
