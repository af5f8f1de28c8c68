/**
 * One serving engine from tick to tick. Arrivals λ = load × capacity; the latency model
 * (latency.ts) gives each stage's distribution; Little's law turns λ and the stage means into
 * requests running and waiting (running capped at vLLM's default max_num_seqs, 256, the rest
 * queue). KV-cache usage follows the running batch (≈95 % when saturated), preemptions happen when
 * it is nearly full, prefix-cache hits drift around a per-engine level and fall a little with load.
 * Finished requests (the wire's engine.requests.finished, by vLLM's finish reasons) follow the
 * arrivals without a random draw, so adding them left every other number of a seeded run as it
 * was: 10 % stop at max_tokens (`length`), 0.5 % are aborted by clients that hang up (`abort`), the
 * rest `stop`. When a GPU under the engine is lost (Xid 79) the engine fails what it held —
 * the running batch and the queue count as aborted on that tick — and reports nothing after.
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
  /** By finish reason; `abort` is fractional (its share of a tick is below one request). */
  success: { stop: number; length: number; abort: number };
  histograms: Partial<Record<LatencyStage, Histogram>>;
}

/** Shares of finished requests by reason while serving (see the header). */
export const LENGTH_SHARE = 0.1;
export const ABORT_SHARE = 0.005;

/** vLLM's FinishReason values the simulator produces (contracts §1.3, older releases). */
export const FINISH_REASONS = ['stop', 'length', 'abort'] as const;
export type FinishReason = (typeof FINISH_REASONS)[number];

export interface EngineState {
  /** A device under it fell off the bus: the process is gone, nothing is reported. */
  down: boolean;
  /**
   * The tick it went down: it reports its finished counters once more (the batch and queue it
   * failed, as aborts), every other value missing.
   */
  dying: boolean;
  /** Requests finished since start by reason, fractional; the wire sends their floors. */
  finished: Record<FinishReason, number>;
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
        success: { stop: 0, length: 0, abort: 0 },
        histograms: Object.fromEntries(
          Object.entries(BUCKETS[spec.framework]).map(([stage, b]) => [stage, new Histogram(b)]),
        ),
      }
    : undefined;
  return {
    down: false,
    dying: false,
    finished: { stop: 0, length: 0, abort: 0 },
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
  const done = arrivals * dt;
  s.finished.stop += done * (1 - LENGTH_SHARE - ABORT_SHARE);
  s.finished.length += done * LENGTH_SHARE;
  s.finished.abort += done * ABORT_SHARE;
  if (s.counters && histRng) feedCounters(s, s.counters, arrivals, preempted, dt, histRng);
}

/**
 * The engine's devices were lost this tick: what it was running and what waited fail (counted as
 * aborts), and it stops. Called once, on the tick `down` turns true.
 */
export function loseEngine(s: EngineState): void {
  s.finished.abort += s.running + s.waiting;
  s.running = 0;
  s.waiting = 0;
  s.down = true;
  s.dying = true;
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
  const length = Math.round(finished * LENGTH_SHARE);
  // Whole aborted requests this tick; the fraction waits in `abort` (≤ finished − length).
  const whole = Math.floor(c.success.abort);
  c.success.abort += finished * ABORT_SHARE;
  c.success.stop += finished - length - (Math.floor(c.success.abort) - whole);
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
