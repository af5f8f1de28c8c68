/**
 * Playback speeds. The ladder is what the menu and the `[` `]` keys step through; any speed within
 * its ends is accepted from code (a test, a URL), anything else is refused with the reason.
 */
export const SPEEDS = [0.25, 0.5, 1, 2, 4, 8, 16] as const;
export const MIN_SPEED = 0.25;
export const MAX_SPEED = 16;

/** Throws a RangeError naming the speed when it is not a number within 0.25×–16×. */
export function checkSpeed(speed: number): number {
  if (!Number.isFinite(speed) || speed < MIN_SPEED || speed > MAX_SPEED) {
    throw new RangeError(
      `playback speed ${String(speed)} is not allowed: it must be within ${MIN_SPEED}× and ${MAX_SPEED}×`,
    );
  }
  return speed;
}

/** The next rung of the ladder up (`direction` 1) or down (-1); the same speed at either end. */
export function stepSpeed(speed: number, direction: 1 | -1): number {
  if (direction > 0) return SPEEDS.find((s) => s > speed) ?? speed;
  return [...SPEEDS].reverse().find((s) => s < speed) ?? speed;
}

/** "0.25×", "1×", "16×". */
export const speedLabel = (speed: number): string => `${speed}×`;
