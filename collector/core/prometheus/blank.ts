/**
 * Values that stand for "no value", in every Prometheus answer the console draws. DCGM writes a
 * field it cannot read as a blank sentinel near 2^63 (DCGM_INT64_BLANK 0x7ffffffffffffff0 and its
 * NOT_FOUND / NOT_SUPPORTED / NOT_PERMISSIONED neighbours; dcgm-exporter's README shows
 * `DCGM_FI_DEV_MEMORY_TEMP … 9223372036854775794`), so every value ≥ 9.22e18 is N/A (contracts
 * §2.2). NaN and ±Inf (histogram_quantile over no requests, 0/0 of a ratio) are not numbers to show
 * either. One rule, used by the PromQL the console sends and by what it draws from the answers.
 */

/** The smallest value read as DCGM's blank: below DCGM_INT64_BLANK (9223372036854775792). */
export const DCGM_BLANK_MIN = 9.22e18;

/** Whether a sample is missing rather than a number: DCGM's blank, NaN, +Inf or -Inf. */
export function isBlankValue(v: number): boolean {
  return !Number.isFinite(v) || v >= DCGM_BLANK_MIN;
}

/**
 * A vector selector without its blank samples, as PromQL: `x{…} < 9.22e18`. The comparison drops
 * NaN too (every comparison with NaN is false). Applied before any aggregation or scaling: max()
 * over a blank and a real value would return the blank, and a scaled blank (MiB → bytes, or
 * mJ → J) no longer sits at 9.22e18.
 */
export function withoutBlanks(selector: string): string {
  return `${selector} < 9.22e18`;
}
