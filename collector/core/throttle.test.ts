import { describe, expect, it } from 'vitest';

import { decodeThrottleReasons, parseThrottleMask } from './throttle.js';

describe('throttle reasons', () => {
  it('parses nvidia-smi hex masks, including the 64-bit width', () => {
    expect(parseThrottleMask('0x0000000000000004')).toBe(4);
    expect(parseThrottleMask(' 0x0000000000000045 ')).toBe(0x45);
    expect(parseThrottleMask('[N/A]')).toBeUndefined();
    expect(parseThrottleMask('12')).toBeUndefined();
  });

  it('decodes bits in order and flags unknown ones', () => {
    expect(decodeThrottleReasons(0x44).map((r) => r.id)).toEqual([
      'sw_power_cap',
      'hw_thermal_slowdown',
    ]);
    expect(decodeThrottleReasons(0).length).toBe(0);
    const unknown = decodeThrottleReasons(0x1000);
    expect(unknown).toEqual([expect.objectContaining({ id: 'unknown_0x1000', harmful: true })]);
  });
});
