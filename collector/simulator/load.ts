/**
 * A node's offered load over time, as a share of what its engines sustain (1 = saturated):
 *
 *   load(t) = base + walk(t) + wave(t) + spike(t), clamped to [0.03, 1.3]
 *
 * - walk: Ornstein–Uhlenbeck drift (reverts with τ = 120 s, stationary sd ≈ 0.08);
 * - wave: the "diurnal" swing, 0.18·sin(2πt/day + phase) with the phase shared by a cluster (its
 *   users share a time zone) and `day` short by default (10 min) so a demo shows it;
 * - spike: bursts arriving as a Poisson process (one per node every ~5 min), each adding 0.3–0.6
 *   that decays with τ = 20 s — the moments queues build and KV caches fill.
 */
import type { Rng } from './prng.js';

export interface LoadShape {
  base: number;
  phase: number;
  daySeconds: number;
}

const WALK_TAU_S = 120;
const WALK_SIGMA = 0.0103;
const WAVE = 0.18;
const SPIKES_PER_S = 1 / 300;
const SPIKE_TAU_S = 20;

export class LoadProcess {
  private walk = 0;
  private spike = 0;

  constructor(private readonly shape: LoadShape) {}

  step(rng: Rng, tSeconds: number, dtSeconds: number): number {
    this.walk +=
      (-this.walk * dtSeconds) / WALK_TAU_S + WALK_SIGMA * Math.sqrt(dtSeconds) * rng.normal();
    this.spike *= Math.exp(-dtSeconds / SPIKE_TAU_S);
    if (rng.chance(SPIKES_PER_S * dtSeconds)) this.spike += rng.range(0.3, 0.6);
    const wave =
      WAVE * Math.sin((2 * Math.PI * tSeconds) / this.shape.daySeconds + this.shape.phase);
    const load = this.shape.base + this.walk + wave + this.spike;
    return Math.min(1.3, Math.max(0.03, load));
  }
}
