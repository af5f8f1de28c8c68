import { describe, expect, it } from 'vitest';

import { checkNatsMessage } from './natsMessages.js';

describe('checkNatsMessage', () => {
  // Found by natsMessages.fuzz.test.ts: the key that groups repeats held the whole token.
  it('keeps the problem key and message short for a 5,000-character subject token', () => {
    const token = 'x'.repeat(5000);
    const foreign = checkNatsMessage(token, '{}');
    const osprey = checkNatsMessage(`osprey.v1.metrics.${token}.box`, '{');
    expect(foreign).toMatchObject({ ok: false, key: `subject:${'x'.repeat(100)}…` });
    expect(osprey).toMatchObject({ ok: false, key: `not-json:metrics.${'x'.repeat(92)}…` });
    if (osprey.ok) return;
    expect(osprey.message.startsWith(`not JSON on osprey.v1.metrics.${'x'.repeat(182)}…: `)).toBe(
      true,
    );
  });
});
