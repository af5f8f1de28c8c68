import { describe, expect, it } from 'vitest';

import { parseInterval, parsePort, parseReplay } from './options.js';

describe('CLI option parsing', () => {
  it('accepts good values', () => {
    expect(parsePort('0')).toBe(0);
    expect(parseInterval('500')).toBe(500);
    expect(parseReplay('nvidia-smi=a.csv')).toEqual([{ tool: 'nvidia-smi', file: 'a.csv' }]);
    expect(parseReplay('npu-smi=b=c.txt', [{ tool: 'nvidia-smi', file: 'a' }])).toHaveLength(2);
  });

  it('rejects bad values naming them', () => {
    expect(() => parsePort('70000')).toThrow('"70000" is not a TCP port');
    expect(() => parseInterval('10')).toThrow(
      '"10" is not an interval in milliseconds (100–60000)',
    );
    expect(() => parseReplay('rocm-smi=x')).toThrow(
      'unknown tool "rocm-smi" (expected nvidia-smi or npu-smi)',
    );
    expect(() => parseReplay('nvidia-smi')).toThrow('is not TOOL=FILE');
    expect(() => parseReplay('nvidia-smi=b', [{ tool: 'nvidia-smi', file: 'a' }])).toThrow(
      'replayed twice',
    );
  });
});
