import { describe, expect, it } from 'vitest';
import { H100, inventory, metrics } from '../testing/messages.js';
import { splitByReceiveTime } from './sourceBatches.js';

describe('splitByReceiveTime', () => {
  const inv = inventory([H100], undefined, { node: 'a', ts: 1000 });
  const m1 = metrics(1000, [], { node: 'a' });
  const m2 = metrics(5000, [], { node: 'b' });
  const m3 = metrics(9000, [], { node: 'c' });

  it('makes one batch per receipt time, in order, each received at its own time', () => {
    const batches = splitByReceiveTime({
      messages: [inv, m1, m2, m3],
      receiveTimes: [1000, 1000, 5000, 9000],
      receivedAt: 10_000,
      seek: true,
    });
    expect(batches).toEqual([
      { messages: [inv, m1], receivedAt: 1000 },
      { messages: [m2], receivedAt: 5000 },
      { messages: [m3], receivedAt: 9000 },
    ]);
  });

  it('an empty batch makes no batches', () => {
    expect(
      splitByReceiveTime({ messages: [], receiveTimes: [], receivedAt: 1, seek: true }),
    ).toEqual([]);
  });
});
