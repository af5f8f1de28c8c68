/**
 * Log-normal distributions: the known shapes every simulated latency is drawn from, so a later
 * check can compare Prometheus histogram_quantile() (or the wire's p50/p90/p99) with the truth.
 * X ~ LogNormal(mu, sigma) means ln X ~ Normal(mu, sigma): median e^mu, mean e^(mu + sigma²/2),
 * quantile q at e^(mu + sigma·z_q).
 */
export interface LogNormal {
  mu: number;
  sigma: number;
}

export function logNormal(median: number, sigma: number): LogNormal {
  return { mu: Math.log(median), sigma };
}

/** Standard-normal quantiles of the three percentiles the wire carries. */
export const Z = { p50: 0, p90: 1.2815515655446004, p99: 2.3263478740408408 } as const;
export type Percentile = keyof typeof Z;
export const PERCENTILES = Object.keys(Z) as readonly Percentile[];

export function quantile(d: LogNormal, p: Percentile): number {
  return Math.exp(d.mu + d.sigma * Z[p]);
}

export function mean(d: LogNormal): number {
  return Math.exp(d.mu + (d.sigma * d.sigma) / 2);
}

/** P(X ≤ x). */
export function cdf(d: LogNormal, x: number): number {
  if (x <= 0) return 0;
  if (!Number.isFinite(x)) return 1;
  return 0.5 * erfc(-(Math.log(x) - d.mu) / (d.sigma * Math.SQRT2));
}

/** One draw, given a standard-normal deviate. */
export function draw(d: LogNormal, z: number): number {
  return Math.exp(d.mu + d.sigma * z);
}

/** Complementary error function, Abramowitz & Stegun 7.1.26 (absolute error < 1.5e-7). */
export function erfc(x: number): number {
  const ax = Math.abs(x);
  const t = 1 / (1 + 0.3275911 * ax);
  const poly =
    t *
    (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const r = poly * Math.exp(-ax * ax);
  return x >= 0 ? r : 2 - r;
}
