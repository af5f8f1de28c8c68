import { describe, expect, it } from 'vitest';

import { DCGM_BLANK_MIN, isBlankValue, withoutBlanks } from './blank.js';

describe('isBlankValue', () => {
  it('reads DCGM’s blank sentinels as missing (README sample 9223372036854775794)', () => {
    expect(isBlankValue(Number('9223372036854775794'))).toBe(true);
    // DCGM_INT64_BLANK (0x7ffffffffffffff0) itself, as Prometheus parses it into a float64.
    expect(isBlankValue(Number(0x7ffffffffffffff0n))).toBe(true);
    expect(isBlankValue(9.22e18)).toBe(true);
    expect(DCGM_BLANK_MIN).toBeLessThan(Number(0x7ffffffffffffff0n));
  });

  it('reads NaN and both infinities as missing', () => {
    expect(isBlankValue(Number.NaN)).toBe(true);
    expect(isBlankValue(Number.POSITIVE_INFINITY)).toBe(true);
    expect(isBlankValue(Number.NEGATIVE_INFINITY)).toBe(true);
  });

  it('keeps real values, including large counters and negatives', () => {
    expect(isBlankValue(0)).toBe(false);
    expect(isBlankValue(-3)).toBe(false);
    expect(isBlankValue(631.95)).toBe(false);
    // An energy counter in mJ after years of 700 W: ~1.3e14, far below the sentinel.
    expect(isBlankValue(1.3e14)).toBe(false);
    expect(isBlankValue(9.2e18)).toBe(false);
  });
});

describe('withoutBlanks', () => {
  it('filters the selector with the same threshold', () => {
    expect(withoutBlanks('DCGM_FI_DEV_GPU_TEMP{gpu="0"}')).toBe(
      'DCGM_FI_DEV_GPU_TEMP{gpu="0"} < 9.22e18',
    );
    expect(Number('9.22e18')).toBe(DCGM_BLANK_MIN);
  });
});
