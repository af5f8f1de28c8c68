/** The header's lag in words (LiveStore.lagMs). */

/** Below 2 s a lag is delivery and batching noise at 2 Hz, not news. */
export const LAG_SHOWN_MS = 2000;

/** "2.5 s behind", "26 s behind", "4 min behind"; undefined below LAG_SHOWN_MS or not a number. */
export function lagText(lagMs: number | undefined): string | undefined {
  if (lagMs === undefined || !Number.isFinite(lagMs) || lagMs < LAG_SHOWN_MS) return undefined;
  if (lagMs < 10_000) return `${(lagMs / 1000).toFixed(1)} s behind`;
  if (lagMs < 120_000) return `${Math.round(lagMs / 1000)} s behind`;
  return `${Math.round(lagMs / 60_000)} min behind`;
}
