/**
 * Seeded fuzzing of nvidia-smi's throttle-reason mask text (issue 10, deliverable 7): any text gives
 * a 32-bit mask or undefined, never a throw, and every mask decodes to named reasons.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { decodeThrottleReasons, parseThrottleMask } from './throttle.js';

const RUNS = { seed: 0x05b7e7, numRuns: 2000 };

describe('throttle mask under fuzzing (seeded)', () => {
  it('reads any text as a 32-bit mask or nothing, and decodes every mask', () => {
    const text = fc.oneof(
      fc.string({ maxLength: 24 }),
      fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }).map((n) => `0x${n.toString(16)}`),
      fc.constantFrom('0x', '0x-1', '0xFFFFFFFFFFFFFFFFF', '[N/A]', ' 0x1 ', 'NaN'),
    );
    fc.assert(
      fc.property(text, (t) => {
        const mask = parseThrottleMask(t);
        if (mask === undefined) return;
        expect(Number.isInteger(mask) && mask >= 0 && mask <= 0xffffffff).toBe(true);
        for (const reason of decodeThrottleReasons(mask)) {
          expect(reason.label.length).toBeGreaterThan(0);
        }
      }),
      RUNS,
    );
  });
});
