import { InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';

import { parseBootTime, usageProblem, useColor } from './diagnose.js';

describe('osprey diagnose options', () => {
  it('needs at least one input, and at most one of them on standard input', () => {
    expect(usageProblem({ node: 'n' })).toMatch(/^diagnose needs an input: --kmsg FILE/);
    expect(usageProblem({ node: 'n', kmsg: '-' })).toBeUndefined();
    expect(usageProblem({ node: 'n', nvidiaSmi: 'smi.csv' })).toBeUndefined();
    expect(usageProblem({ node: 'n', kmsg: '-', npuSmi: '-' })).toBe(
      'only one input can be standard input (-)',
    );
  });

  it('--boot-time takes an ISO time or epoch seconds', () => {
    expect(parseBootTime('2025-01-21T04:00:00Z')).toBe(Date.UTC(2025, 0, 21, 4));
    expect(parseBootTime('1737432000')).toBe(1737432000_000);
    expect(() => parseBootTime('yesterday')).toThrow(InvalidArgumentError);
  });

  it('colours a terminal only: not a pipe, not with NO_COLOR, not on a dumb terminal', () => {
    expect(useColor({ isTTY: true }, {})).toBe(true);
    expect(useColor({ isTTY: false }, {})).toBe(false);
    expect(useColor({}, {})).toBe(false);
    expect(useColor({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(useColor({ isTTY: true }, { TERM: 'dumb' })).toBe(false);
  });
});
