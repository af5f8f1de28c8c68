/**
 * The latency model of a simulated engine: at any tick, each stage's latency is log-normal with
 * parameters set by the served model, the hardware and the engine's load ρ (arrivals relative to
 * what one replica sustains, capped at 0.97 so queueing stays finite). Every stage is its own
 * log-normal — TTFT is not computed as queue + prefill — so each one has a closed-form truth:
 *
 *   stage        median                                   sigma   why
 *   queue        0.003 + 2·P·ρ²/(1−ρ)                     1.1     M/M/1-like growth near saturation
 *   prefill      P·(1 + 0.5ρ)·s                           0.6     prompt lengths vary
 *   ttft         1.05·(median queue + median prefill)     0.8     plus tokenization
 *   inter_token  I·(1 + 0.8ρ)·s                           0.35    batch size grows with load
 *   decode       median inter_token · N_out               0.9     output lengths vary
 *   e2e          median ttft + median decode              0.85
 *
 * P = prefillS / speed, I = interTokenS / speed (ServedModel, HARDWARE_SPEED), N_out = the model's
 * typical output length, s = the slowdown of the engine's slowest device (max clock / current clock,
 * 1 unless throttled). Quantile q of a stage is median·e^(sigma·z_q) (lognormal.ts).
 */
import { logNormal, mean, type LogNormal } from './lognormal.js';

export const LATENCY_STAGES = ['ttft', 'inter_token', 'e2e', 'queue', 'prefill', 'decode'] as const;
export type LatencyStage = (typeof LATENCY_STAGES)[number];
export type LatencyModel = Record<LatencyStage, LogNormal>;

export const STAGE_SIGMA: Readonly<Record<LatencyStage, number>> = {
  queue: 1.1,
  prefill: 0.6,
  ttft: 0.8,
  inter_token: 0.35,
  decode: 0.9,
  e2e: 0.85,
};

export interface LatencyInputs {
  /** Seconds to prefill a typical prompt on this hardware, unloaded. */
  prefillS: number;
  interTokenS: number;
  outputTokens: number;
  load: number;
  slowdown: number;
}

export function latencyModel(x: LatencyInputs): LatencyModel {
  const rho = Math.min(Math.max(x.load, 0), 0.97);
  const queue = 0.003 + (2 * x.prefillS * rho * rho) / (1 - rho);
  const prefill = x.prefillS * (1 + 0.5 * rho) * x.slowdown;
  const ttft = 1.05 * (queue + prefill);
  const interToken = x.interTokenS * (1 + 0.8 * rho) * x.slowdown;
  const decode = interToken * x.outputTokens;
  const e2e = ttft + decode;
  return {
    queue: logNormal(queue, STAGE_SIGMA.queue),
    prefill: logNormal(prefill, STAGE_SIGMA.prefill),
    ttft: logNormal(ttft, STAGE_SIGMA.ttft),
    inter_token: logNormal(interToken, STAGE_SIGMA.inter_token),
    decode: logNormal(decode, STAGE_SIGMA.decode),
    e2e: logNormal(e2e, STAGE_SIGMA.e2e),
  };
}

/**
 * Requests in each phase by Little's law (L = λ·W with the stages' means): what the engine reports
 * as running (prefill + decode) and waiting (queue).
 */
export function occupancy(
  model: LatencyModel,
  arrivalsPerS: number,
): {
  running: number;
  waiting: number;
} {
  return {
    running: arrivalsPerS * (mean(model.prefill) + mean(model.decode)),
    waiting: arrivalsPerS * mean(model.queue),
  };
}
