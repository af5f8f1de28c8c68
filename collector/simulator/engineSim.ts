/**
 * One serving engine from tick to tick. Arrivals λ = load × capacity; the latency model
 * (latency.ts) gives each stage's distribution; Little's law turns λ and the stage means into
 * requests running and waiting (running capped at vLLM's default max_num_seqs, 256, the rest
 * queue). KV-cache usage follows the running batch (≈95 % when saturated), preemptions happen when
 * it is nearly full, prefix-cache hits drift around a per-engine level and fall a little with load.
 * With `histograms` on, each tick also feeds the /metrics histograms and counters from a separate
 * random stream, so serving /metrics never changes what goes on the wire.
 */
import { BUCKETS } from './buckets.js';
import type { EngineSpec } from './fleet.js';
import { Histogram } from './Histogram.js';
import {
  LATENCY_STAGES,
  latencyModel,
  occupancy,
  type LatencyModel,
  type LatencyStage,
} from './latency.js';
import type { Rng } from './prng.js';

const MAX_NUM_SEQS = 256;

export interface EngineCounters {
  promptTokens: number;
  generationTokens: number;
  prefixQueries: number;
  prefixHits: number;
  preemptions: number;
  success: { stop: number; length: number };
  histograms: Partial<Record<LatencyStage, Histogram>>;
}

export interface EngineState {
  /** A device under it fell off the bus: the process is gone, nothing is reported. */
  down: boolean;
  load: number;
  running: number;
  waiting: number;
  kvUsage: number;
  prefixHitRate: number;
  promptTps: number;
  generationTps: number;
  preemptions: number;
  latency: LatencyModel;
  prefixBase: number;
  prefixWalk: number;
  runningAtFull: number;
  counters: EngineCounters | undefined;
}

function inputs(spec: EngineSpec, load: number, slowdown: number) {
  return {
    prefillS: spec.model.prefillS / spec.speed,
    interTokenS: spec.model.interTokenS / spec.speed,
    outputTokens: spec.model.outputTokens,
    load,
    slowdown,
  };
}

export function initialEngine(spec: EngineSpec, rng: Rng, histograms: boolean): EngineState {
  const full = latencyModel(inputs(spec, 1, 1));
  const counters: EngineCounters | undefined = histograms
    ? {
        promptTokens: 0,
        generationTokens: 0,
        prefixQueries: 0,
        prefixHits: 0,
        preemptions: 0,
        success: { stop: 0, length: 0 },
        histograms: Object.fromEntries(
          Object.entries(BUCKETS[spec.framework]).map(([stage, b]) => [stage, new Histogram(b)]),
        ),
      }
    : undefined;
  return {
    down: false,
    load: 0,
    running: 0,
    waiting: 0,
    kvUsage: 0,
    prefixHitRate: 0,
    promptTps: 0,
    generationTps: 0,
    preemptions: 0,
    latency: latencyModel(inputs(spec, 0, 1)),
    prefixBase: rng.range(15, 65),
    prefixWalk: 0,
    runningAtFull: occupancy(full, spec.capacityRps).running,
    counters,
  };
}

export function stepEngine(
  spec: EngineSpec,
  s: EngineState,
  nodeLoad: number,
  slowdown: number,
  dt: number,
  rng: Rng,
  histRng: Rng | undefined,
): void {
  if (s.down) return;
  const load = nodeLoad * spec.weight;
  const arrivals = load * spec.capacityRps;
  s.load = load;
  s.latency = latencyModel(inputs(spec, load, slowdown));
  const occ = occupancy(s.latency, arrivals);
  let running = rng.poisson(occ.running);
  let waiting = rng.poisson(occ.waiting);
  if (running > MAX_NUM_SEQS) {
    waiting += running - MAX_NUM_SEQS;
    running = MAX_NUM_SEQS;
  }
  s.running = running;
  s.waiting = waiting;
  s.kvUsage = clamp((100 * running) / (1.05 * s.runningAtFull) + rng.normal(), 0, 100);
  const preempted = s.kvUsage > 97 ? rng.poisson((s.kvUsage - 97) * 0.8 * dt) : 0;
  s.preemptions += preempted;
  s.prefixWalk += (-s.prefixWalk * dt) / 60 + 0.8 * Math.sqrt(dt) * rng.normal();
  s.prefixHitRate = clamp(s.prefixBase + s.prefixWalk - 8 * Math.min(load, 1.2), 0, 95);
  s.promptTps = Math.max(0, arrivals * spec.model.promptTokens * (1 + 0.05 * rng.normal()));
  s.generationTps = Math.max(0, arrivals * spec.model.outputTokens * (1 + 0.05 * rng.normal()));
  if (s.counters && histRng) feedCounters(s, s.counters, arrivals, preempted, dt, histRng);
}

function feedCounters(
  s: EngineState,
  c: EngineCounters,
  arrivals: number,
  preempted: number,
  dt: number,
  rng: Rng,
): void {
  const prompt = Math.round(s.promptTps * dt);
  const generated = Math.round(s.generationTps * dt);
  c.promptTokens += prompt;
  c.generationTokens += generated;
  c.prefixQueries += prompt;
  c.prefixHits += Math.round((prompt * s.prefixHitRate) / 100);
  c.preemptions += preempted;
  const finished = rng.poisson(arrivals * dt);
  const length = Math.round(finished * 0.1);
  c.success.stop += finished - length;
  c.success.length += length;
  for (const stage of LATENCY_STAGES) {
    const h = c.histograms[stage];
    if (!h) continue;
    // One inter-token gap per generated token; one observation per finished request otherwise.
    h.observeMany(s.latency[stage], stage === 'inter_token' ? generated : finished, rng);
  }
}

function clamp(x: number, lo: number, hi: number): number {
  return x < lo ? lo : x > hi ? hi : x;
}
