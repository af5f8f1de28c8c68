import { describe, expect, it } from 'vitest';

import { behindText } from './behindText.js';

const none = { messages: 0, bytes: 0, oldestAt: undefined };

describe('behindText', () => {
  it('says the store lag alone while nothing waits', () => {
    expect(behindText(27_000, none, 100_000)).toBe('27 s behind');
    expect(behindText(500, none, 100_000)).toBeUndefined();
    expect(behindText(undefined, undefined, 100_000)).toBeUndefined();
  });

  it('counts how long the oldest waiting message has waited, and what waits', () => {
    const backlog = { messages: 3412, bytes: 14_200_000, oldestAt: 73_000 };
    expect(behindText(1000, backlog, 100_000)).toBe('27 s behind · 3,412 messages (14 MB) waiting');
    // The store's lag wins when it is the larger.
    expect(behindText(40_000, backlog, 100_000)).toBe(
      '40 s behind · 3,412 messages (14 MB) waiting',
    );
  });

  it('keeps quiet about a frame’s worth of waiting messages', () => {
    expect(
      behindText(0, { messages: 17, bytes: 61_000, oldestAt: 99_990 }, 100_000),
    ).toBeUndefined();
    expect(behindText(0, { messages: 1, bytes: 900, oldestAt: 97_000 }, 100_000)).toBe(
      '3.0 s behind · 1 message (1 kB) waiting',
    );
  });
});
