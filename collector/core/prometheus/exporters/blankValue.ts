/**
 * DCGM writes a "blank" sentinel near 2^63 (9223372036854775794 in its README) for a field the GPU
 * does not support (contracts §2.2); Prometheus stores it as a number. It, NaN and ±Inf are no
 * reading, never a value to draw.
 */
export const DCGM_BLANK_MIN = 9.22e18;

export function isReading(v: number): boolean {
  return Number.isFinite(v) && Math.abs(v) < DCGM_BLANK_MIN;
}
