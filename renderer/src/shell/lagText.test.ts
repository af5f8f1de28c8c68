import { describe, expect, it } from 'vitest';

import { lagText } from './lagText.js';

describe('lagText', () => {
  it('says nothing below 2 s, nor for a lag that is not a number', () => {
    expect([lagText(undefined), lagText(1999), lagText(Number.NaN), lagText(Infinity)]).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });

  it('writes seconds, with a decimal below 10 s', () => {
    expect([lagText(2500), lagText(26_400), lagText(300_000)]).toEqual([
      '2.5 s behind',
      '26 s behind',
      '300 s behind',
    ]);
  });
});
