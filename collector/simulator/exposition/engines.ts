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
import { SGLANG, SGLANG_HIST, VLLM, VLLM_HIST, type Named, type VllmNames } from './engineNames.js';
import { histogramLines, labelText, sample, type Families, type Labels } from './promText.js';

export type { VllmNames } from './engineNames.js';

/** vLLM 0.8 counted prefix-cache blocks (of 16 tokens), not tokens. */
const BLOCK_TOKENS = 16;

const cache = new WeakMap<EngineSpec, string>();

function engineLabels(spec: EngineSpec, target: Labels): string {
  let text = cache.get(spec);
  if (text === undefined) {
    text = labelText([['model_name', spec.model.name], ['engine', spec.id], ...target]);
    cache.set(spec, text);
  }
  return text;
}

type Row = readonly [Named, 'gauge' | 'counter', number];

export function addEngine(
  f: Families,
  spec: EngineSpec,
  s: EngineState,
  names: VllmNames,
  target: Labels,
): void {
  if (s.down || !s.counters) return;
  const c = s.counters;
  const labels = engineLabels(spec, target);
  const old = names === 'old';
  const blocks = (tokens: number): number => (old ? Math.floor(tokens / BLOCK_TOKENS) : tokens);
  const rows: Row[] =
    spec.framework === 'vllm'
      ? [
          [VLLM.running[names], 'gauge', s.running],
          [VLLM.waiting, 'gauge', s.waiting],
          [VLLM.kvUsage[names], 'gauge', Math.round(s.kvUsage * 10) / 1000],
          [VLLM.preemptions, 'counter', c.preemptions],
          [VLLM.promptTokens, 'counter', c.promptTokens],
          [VLLM.generationTokens, 'counter', c.generationTokens],
          [VLLM.prefixQueries[names], 'counter', blocks(c.prefixQueries)],
          [VLLM.prefixHits[names], 'counter', blocks(c.prefixHits)],
        ]
      : [
          [SGLANG.running, 'gauge', s.running],
          [SGLANG.waiting, 'gauge', s.waiting],
          [SGLANG.tokenUsage, 'gauge', Math.round(s.kvUsage) / 100],
          [SGLANG.cacheHitRate, 'gauge', Math.round(s.prefixHitRate * 10) / 1000],
          [SGLANG.genThroughput, 'gauge', Math.round(s.generationTps * 10) / 10],
          [SGLANG.promptTokens, 'counter', c.promptTokens],
          [SGLANG.generationTokens, 'counter', c.generationTokens],
        ];
  for (const [[name, help], type, value] of rows) {
    f.family(name, help, type).push(sample(name, labels, value));
  }
  if (spec.framework === 'vllm') {
    const [name, help] = VLLM.success;
    const lines = f.family(name, help, 'counter');
    lines.push(sample(name, `finished_reason="stop",${labels}`, c.success.stop));
    lines.push(sample(name, `finished_reason="length",${labels}`, c.success.length));
  }
  const table = spec.framework === 'vllm' ? VLLM_HIST[names] : SGLANG_HIST[names];
  for (const [stage, [name, help]] of Object.entries(table) as [LatencyStage, Named][]) {
    const h = c.histograms[stage];
    const bounds = BUCKETS[spec.framework][stage];
    if (!h || !bounds) continue;
    const lines = f.family(name, help, 'histogram');
    histogramLines(lines, name, labels, bounds, h.cumulative(), h.sum, h.count);
  }
}
