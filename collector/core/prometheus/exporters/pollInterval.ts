/**
 * How often a Prometheus-only fleet refreshes: at the scrape interval of the targets its series
 * come from (asking faster only re-reads the same samples, slower shows values older than they
 * need be), read from `/api/v1/targets`; 15 s, Prometheus's default `scrape_interval`, where the
 * server does not say; never faster than 1 s.
 */
import type { ScrapeTarget } from '../payloads.js';

export const DEFAULT_SCRAPE_INTERVAL_MS = 15_000;
export const MIN_POLL_INTERVAL_MS = 1000;

/**
 * The shortest scrape interval among the targets of `jobs` (all targets while no job is known
 * yet), clamped to ≥ 1 s; the default when none says.
 */
export function pollInterval(
  targets: readonly ScrapeTarget[] | undefined,
  jobs?: ReadonlySet<string>,
): number {
  let best = Number.POSITIVE_INFINITY;
  for (const t of targets ?? []) {
    if (jobs && jobs.size > 0 && !jobs.has(t.labels.job ?? '')) continue;
    if (t.scrapeIntervalMs !== undefined && t.scrapeIntervalMs < best) best = t.scrapeIntervalMs;
  }
  if (!Number.isFinite(best)) return DEFAULT_SCRAPE_INTERVAL_MS;
  return Math.max(MIN_POLL_INTERVAL_MS, best);
}
