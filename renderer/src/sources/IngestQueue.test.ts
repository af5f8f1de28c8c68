import { describe, expect, it } from 'vitest';

import { ManualScheduler } from '../testing/ManualScheduler.js';
import { IngestQueue, type IngestQueueOptions } from './IngestQueue.js';
import type { Backlog } from './Source.js';

interface Item {
  id: string;
  /** Milliseconds processing it takes on the fake clock. */
  cost: number;
}

function setup(opts: Partial<IngestQueueOptions<Item>> = {}) {
  const scheduler = new ManualScheduler();
  const clock = { t: 0 };
  const slices: Array<{ processed: string[]; backlog: Backlog }> = [];
  const dropped: string[] = [];
  let current: string[] = [];
  const queue = new IngestQueue<Item>({
    scheduler,
    now: () => scheduler.now,
    clock: () => clock.t,
    process: (item) => {
      clock.t += item.cost;
      current.push(item.id);
    },
    endSlice: (backlog) => {
      slices.push({ processed: current, backlog });
      current = [];
    },
    dropped: (item) => dropped.push(item.id),
    ...opts,
  });
  return { scheduler, clock, queue, slices, dropped };
}

const items = (prefix: string, n: number, cost = 1) =>
  Array.from({ length: n }, (_, i) => ({ id: `${prefix}${i}`, cost }));

describe('IngestQueue', () => {
  it('works a flood off in slices of at most the time budget, each reporting what still waits', () => {
    const { scheduler, queue, slices } = setup({ slice: { ms: 8, messages: 1000, bytes: 1e9 } });
    for (const item of items('m', 10, 3)) queue.push(item, 100, true);
    expect(queue.backlog).toEqual({ messages: 10, bytes: 1000, oldestAt: 0 });
    scheduler.runFrames();
    // 3 ms a message: the third reaches 9 ms ≥ 8 ms, and the slice ends there.
    expect(slices).toEqual([
      { processed: ['m0', 'm1', 'm2'], backlog: { messages: 7, bytes: 700, oldestAt: 0 } },
    ]);
    scheduler.advance(0);
    expect(slices.map((s) => s.processed.length)).toEqual([3, 3, 3, 1]);
    expect(slices.at(-1)?.backlog).toEqual({ messages: 0, bytes: 0, oldestAt: undefined });
    expect(queue.slices).toBe(4);
  });

  it('stops a slice at its message and byte budgets when the clock says no time passed', () => {
    const byCount = setup({ slice: { ms: 8, messages: 4, bytes: 1e9 } });
    for (const item of items('m', 10, 0)) byCount.queue.push(item, 10, true);
    byCount.scheduler.runFrames();
    byCount.scheduler.advance(0);
    expect(byCount.slices.map((s) => s.processed.length)).toEqual([4, 4, 2]);

    const byBytes = setup({ slice: { ms: 8, messages: 100, bytes: 250 } });
    for (const item of items('m', 10, 0)) byBytes.queue.push(item, 100, true);
    byBytes.scheduler.runFrames();
    byBytes.scheduler.advance(0);
    expect(byBytes.slices.map((s) => s.processed.length)).toEqual([3, 3, 3, 1]);
  });

  it('says when the oldest waiting message arrived', () => {
    const { scheduler, queue, slices } = setup({ slice: { ms: 100, messages: 1, bytes: 1e9 } });
    queue.push({ id: 'a', cost: 0 }, 1, true);
    scheduler.advance(400);
    queue.push({ id: 'b', cost: 0 }, 1, false);
    expect(queue.backlog.oldestAt).toBe(0);
    scheduler.runFrames();
    expect(slices[0]).toEqual({
      processed: ['a'],
      backlog: { messages: 1, bytes: 1, oldestAt: 400 },
    });
  });

  it('keeps arrival order across droppable and kept messages', () => {
    const { scheduler, queue, slices } = setup();
    queue.push({ id: 'inv', cost: 0 }, 1, false);
    queue.push({ id: 'm1', cost: 0 }, 1, true);
    queue.push({ id: 'ev', cost: 0 }, 1, false);
    queue.push({ id: 'm2', cost: 0 }, 1, true);
    scheduler.runFrames();
    expect(slices[0]?.processed).toEqual(['inv', 'm1', 'ev', 'm2']);
  });

  it('when full drops the oldest metrics first, and inventories or events only when none are left', () => {
    const { scheduler, queue, slices, dropped } = setup({
      limits: { maxMessages: 3, maxBytes: 1e9 },
    });
    queue.push({ id: 'inv', cost: 0 }, 1, false);
    queue.push({ id: 'm1', cost: 0 }, 1, true);
    queue.push({ id: 'm2', cost: 0 }, 1, true);
    queue.push({ id: 'm3', cost: 0 }, 1, true);
    expect(dropped).toEqual(['m1']);
    queue.push({ id: 'ev1', cost: 0 }, 1, false);
    queue.push({ id: 'ev2', cost: 0 }, 1, false);
    expect(dropped).toEqual(['m1', 'm2', 'm3']);
    // Only kept messages wait: a new metrics message is the one dropped, not them.
    queue.push({ id: 'm4', cost: 0 }, 1, true);
    expect(dropped).toEqual(['m1', 'm2', 'm3', 'm4']);
    queue.push({ id: 'ev3', cost: 0 }, 1, false);
    expect(dropped).toEqual(['m1', 'm2', 'm3', 'm4', 'inv']);
    scheduler.runFrames();
    expect(slices[0]?.processed).toEqual(['ev1', 'ev2', 'ev3']);
  });

  it('bounds the bytes waiting, and drops a message larger than the whole queue', () => {
    const { queue, dropped } = setup({ limits: { maxMessages: 100, maxBytes: 1000 } });
    queue.push({ id: 'a', cost: 0 }, 600, true);
    queue.push({ id: 'b', cost: 0 }, 600, true);
    expect(dropped).toEqual(['a']);
    queue.push({ id: 'huge', cost: 0 }, 5000, true);
    expect(dropped).toEqual(['a', 'b', 'huge']);
    expect(queue.backlog).toEqual({ messages: 0, bytes: 0, oldestAt: undefined });
  });

  it('slices in a hidden tab on a timer when no frame comes, and clear() stops everything', () => {
    const { scheduler, queue, slices } = setup();
    queue.push({ id: 'a', cost: 0 }, 1, true);
    scheduler.advance(1000);
    expect(slices).toHaveLength(1);
    queue.push({ id: 'b', cost: 0 }, 1, true);
    queue.clear();
    scheduler.runFrames();
    scheduler.advance(5000);
    expect(slices).toHaveLength(1);
    expect(scheduler.pendingTimers).toBe(0);
  });
});
