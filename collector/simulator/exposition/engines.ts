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
import { addNim, addRayVllm, addTgi } from './engineFlavours.js';
import { FLAVOURS } from './flavours.js';
import { histogramLines, labelText, sample, type Families, type Labels } from './promText.js';

export type { VllmNames } from './engineNames.js';

/** sglang:num_retractions' bounds (retractions per request; srt/metrics/collector.py). */
const RETRACTION_BOUNDS = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 15, 20, 25, 30, 40, 50, 75, 100];

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

/**
 * One engine in its flavour (--engine-flavours), or as before: vLLM in the `names` generation or
 * SGLang.
 */
export function addEngine(
  f: Families,
  spec: EngineSpec,
  s: EngineState,
  fallbackNames: VllmNames,
  target: Labels,
): void {
  if (s.down || !s.counters) return;
  const flavour = spec.flavour ? FLAVOURS[spec.flavour] : undefined;
  if (flavour?.family === 'ray_vllm') return addRayVllm(f, spec, s, target);
  if (flavour?.family === 'nim') return addNim(f, spec, s, target);
  if (flavour?.family === 'tgi') return addTgi(f, spec, s, target);
  // Without a flavour both engines follow --vllm-names (SGLang renamed its ITL histogram too).
  const names = flavour?.names ?? fallbackNames;
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
  if (spec.framework === 'sglang') addRetractions(f, s.kvUsage, c.preemptions, c.success, labels);
  if (spec.framework === 'vllm') {
    const [name, help] = VLLM.success;
    const lines = f.family(name, help, 'counter');
    lines.push(sample(name, `finished_reason="stop",${labels}`, c.success.stop));
    lines.push(sample(name, `finished_reason="length",${labels}`, c.success.length));
    // vLLM's third reason (contracts §1.3); whole requests, as the wire's counter sends them.
    lines.push(sample(name, `finished_reason="abort",${labels}`, Math.floor(c.success.abort)));
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

/**
 * SGLang's retractions (its preemptions): the `sglang:num_retractions` histogram of retractions
 * per finished request — every retraction on a request of its own, so `_sum` is the count of
 * retractions and `_count` the finished requests — and the older gauge `sglang:num_retracted_reqs`
 * (requests retracted at the last step), here the simulation's retraction rate at the engine's
 * KV-cache usage (engineSim.ts: (usage − 97 %) × 0.8 per second), rounded.
 */
function addRetractions(
  f: Families,
  kvUsage: number,
  retractions: number,
  success: { stop: number; length: number },
  labels: string,
): void {
  const finished = success.stop + success.length;
  const once = Math.min(retractions, finished);
  const cumulative = [
    ...RETRACTION_BOUNDS.map((b) => (b < 1 ? finished - once : finished)),
    finished,
  ];
  const [hName, hHelp] = SGLANG.retractions;
  histogramLines(
    f.family(hName, hHelp, 'histogram'),
    hName,
    labels,
    RETRACTION_BOUNDS,
    cumulative,
    retractions,
    finished,
  );
  const [gName, gHelp] = SGLANG.retracted;
  const now = kvUsage > 97 ? Math.round((kvUsage - 97) * 0.8) : 0;
  f.family(gName, gHelp, 'gauge').push(sample(gName, labels, now));
}
