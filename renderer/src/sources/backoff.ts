/**
 * Reconnect delays: doubling from 0.5 s to at most 10 s, each randomised to 50–100 % of its step so
 * that consoles dropped by one collector restart do not all knock again at the same instant
 * ("equal jitter", https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/).
 */
export const BACKOFF_MIN_MS = 500;
export const BACKOFF_MAX_MS = 10_000;

/** Delay before reconnect attempt `attempt` (0 for the first retry); `random` returns [0, 1). */
export function backoffDelay(attempt: number, random: () => number = Math.random): number {
  const step = Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * 2 ** Math.max(0, attempt));
  return Math.round(step / 2 + (random() * step) / 2);
}
