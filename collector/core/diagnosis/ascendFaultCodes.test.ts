// The core's code never touches files; its tests read their fixtures.
import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import {
  ASCEND_FAULT_CODES,
  ASCEND_LEVELS,
  ascendFault,
  normalizeAscendCode,
} from './ascendFaultCodes.js';

const json = JSON.parse(
  readFileSync(new URL('./fixtures/catalogs/faultCode.json', import.meta.url), 'utf8'),
) as Record<string, string[]>;

describe('the Ascend fault dictionary', () => {
  it('equals mind-cluster’s faultCode.json level for level, code for code', () => {
    expect(ASCEND_FAULT_CODES).toEqual(json);
    expect(Object.values(json).flat()).toHaveLength(804);
  });

  it('describes every level of the JSON, and only those', () => {
    expect(ASCEND_LEVELS.map((l) => l.level).sort()).toEqual(Object.keys(json).sort());
  });

  it('finds each code’s level from the JSON’s own lists', () => {
    for (const [level, codes] of Object.entries(json)) {
      for (const code of codes) {
        const listed = Object.entries(json)
          .filter(([, c]) => c.includes(code))
          .map(([l]) => l);
        if (listed.length > 1) continue;
        expect(ascendFault(`0x${code.toLowerCase()}`)?.level, code).toBe(level);
      }
    }
  });

  it('gives a code listed under two levels the more severe one (A2301001)', () => {
    expect(json.RestartBusinessCodes).toContain('A2301001');
    expect(json.SeparateNPUCodes).toContain('A2301001');
    expect(ascendFault('A2301001')?.level).toBe('SeparateNPUCodes');
  });

  it('normalizes codes and refuses what is not hex', () => {
    expect(normalizeAscendCode('80e24e00')).toBe('0x80E24E00');
    expect(normalizeAscendCode('0x110001024')).toBe('0x110001024');
    expect(normalizeAscendCode('zz')).toBeUndefined();
    expect(ascendFault('0xDEADBEEF')).toBeUndefined();
  });
});
