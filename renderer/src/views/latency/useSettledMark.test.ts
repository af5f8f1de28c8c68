import { describe, expect, it } from 'vitest';

import { isSettled } from './useSettledMark.js';

describe('isSettled', () => {
  it('waits for every panel, and counts errors and "no data" as settled', () => {
    expect(isSettled(['ready', 'loading'])).toBe(false);
    expect(isSettled(['ready', 'error', 'empty', 'unavailable'])).toBe(true);
    expect(isSettled([])).toBe(false);
  });
});
