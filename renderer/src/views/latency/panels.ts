/**
 * The panels of the latency view, in page order: title, unit, and which engine quantities feed
 * each (for the "from vllm:… (vLLM ≥0.11)" caption).
 */
import type { EngineQuantity } from '../../../../collector/core/prometheus/families.js';
import type { LatencyPanel } from './types.js';
import type { LatencyUnit } from './units.js';

export interface PanelSpec {
  id: LatencyPanel;
  title: string;
  unit: LatencyUnit;
  quantities: readonly EngineQuantity[];
  /** Takes the row's full width (the heatmap). */
  wide?: boolean;
}

export const PANELS: readonly PanelSpec[] = [
  { id: 'ttft', title: 'Time to first token', unit: 'seconds', quantities: ['ttft'] },
  { id: 'inter_token', title: 'Inter-token latency', unit: 'seconds', quantities: ['inter_token'] },
  { id: 'e2e', title: 'End-to-end latency', unit: 'seconds', quantities: ['e2e'] },
  {
    id: 'stages',
    title: 'Request stages',
    unit: 'seconds',
    quantities: ['queue', 'prefill', 'decode'],
  },
  { id: 'heatmap', title: 'Latency distribution', unit: 'requests/s', quantities: [], wide: true },
  {
    id: 'tokens',
    title: 'Token throughput',
    unit: 'tokens/s',
    quantities: ['promptTokens', 'generationTokens'],
  },
  {
    id: 'requests',
    title: 'Requests running / waiting',
    unit: 'count',
    quantities: ['running', 'waiting'],
  },
  { id: 'kvCache', title: 'KV-cache usage', unit: 'percent', quantities: ['kvUsage'] },
  { id: 'preemptions', title: 'Preemptions', unit: 'per-second', quantities: ['preemptions'] },
  {
    id: 'prefixCache',
    title: 'Prefix-cache hit rate',
    unit: 'percent',
    quantities: ['prefixHits', 'prefixQueries', 'cacheHitRate'],
  },
  {
    id: 'finishReasons',
    title: 'Finished requests by reason',
    unit: 'requests/s',
    quantities: ['finished'],
  },
];

/** Names that changed between vLLM versions, with the versions that expose them (contracts §1.4). */
const GENERATION_NOTE: Readonly<Record<string, string>> = {
  'vllm:inter_token_latency_seconds': 'vLLM ≥0.11',
  'vllm:time_per_output_token_seconds': 'vLLM <0.11',
  'vllm:kv_cache_usage_perc': 'vLLM ≥0.9',
  'vllm:gpu_cache_usage_perc': 'vLLM <0.9',
  'vllm:prefix_cache_hits': 'vLLM ≥0.9',
  'vllm:prefix_cache_queries': 'vLLM ≥0.9',
  'vllm:gpu_prefix_cache_hits': 'vLLM <0.9',
  'vllm:gpu_prefix_cache_queries': 'vLLM <0.9',
  'sglang:inter_token_latency_seconds': 'newer SGLang',
  'sglang:time_per_output_token_seconds': 'older SGLang',
};

/** "vllm:inter_token_latency_seconds (vLLM ≥0.11)": one entry per series name read. */
export function captionFor(names: readonly string[]): string {
  const base = (n: string) => n.replace(/_total$/, '');
  return names
    .map((n) => {
      const note = GENERATION_NOTE[base(n)];
      return note ? `${n} (${note})` : n;
    })
    .join(', ');
}
