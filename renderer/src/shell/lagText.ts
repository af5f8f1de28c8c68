/** The header's lag in words (LiveStore.lagMs). */

/** Below 2 s a lag is delivery and batching noise at 2 Hz, not news. */
export const LAG_SHOWN_MS = 2000;

/**
 * "2.5 s behind", "26 s behind", "300 s behind"; undefined below LAG_SHOWN_MS or not a number.
 * Always seconds: the store caps lag at its skew limit (5 min), and tests read the number.
 */
export function lagText(lagMs: number | undefined): string | undefined {
  if (lagMs === undefined || !Number.isFinite(lagMs) || lagMs < LAG_SHOWN_MS) return undefined;
  return `${(lagMs / 1000).toFixed(lagMs < 10_000 ? 1 : 0)} s behind`;
}
