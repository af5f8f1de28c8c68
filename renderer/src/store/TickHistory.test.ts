import { describe, expect, it } from 'vitest';

import { NodeTicks } from './NodeTicks.js';
import { TickHistory } from './TickHistory.js';

function history(capacity: number) {
  const ticks = new NodeTicks(capacity);
  const h = new TickHistory(ticks, 0, new Float64Array(capacity));
  const put = (ts: number, v: number | null) => {
    const tick = ticks.advance(ts);
    if (tick >= 0) h.write(tick, v ?? Number.NaN);
    return tick;
  };
  return { ticks, h, put };
}

describe('NodeTicks and TickHistory', () => {
  it('keep the newest points up to the capacity, oldest first', () => {
    const { h, put } = history(3);
    for (let t = 1; t <= 5; t++) put(t * 1000, t * 10);
    expect(h.length).toBe(3);
    expect(h.toPoints()).toEqual([
      [3000, 30],
      [4000, 40],
      [5000, 50],
    ]);
    expect(h.lastTime()).toBe(5000);
  });

  it('keep absent values as no data, distinct from 0', () => {
    const { h, put } = history(4);
    put(1, 0);
    put(2, null);
    expect(h.valueAt(0)).toBe(0);
    expect(Number.isNaN(h.valueAt(1))).toBe(true);
    expect(h.toPoints()).toEqual([
      [1, 0],
      [2, null],
    ]);
  });

  it('drop older messages and replace a point at the same time (backlog re-sent on reconnect)', () => {
    const { h, put } = history(10);
    put(1000, 1);
    put(2000, 2);
    expect(put(1500, 9)).toBe(-1);
    expect(put(2000, 3)).toBe(1);
    expect(h.toPoints()).toEqual([
      [1000, 1],
      [2000, 3],
    ]);
  });

  it('read ticks a series missed as absent, even after the ring wrapped over older values', () => {
    const ticks = new NodeTicks(4);
    const a = new TickHistory(ticks, 0, new Float64Array(4));
    for (let t = 0; t < 4; t++) a.write(ticks.advance(t), 7);
    // Five ticks without `a`, then one with it: no 7 from the previous lap may show through.
    for (let t = 4; t < 9; t++) ticks.advance(t);
    a.write(ticks.advance(9), 8);
    expect(a.toPoints()).toEqual([
      [6, null],
      [7, null],
      [8, null],
      [9, 8],
    ]);
  });

  it('start a late series at its first tick and end it at the node’s newest', () => {
    const ticks = new NodeTicks(10);
    ticks.advance(1);
    ticks.advance(2);
    const late = new TickHistory(ticks, ticks.advance(3), new Float32Array(10));
    late.write(2, 0.5);
    ticks.advance(4);
    expect(late.toPoints()).toEqual([
      [3, 0.5],
      [4, null],
    ]);
    expect(late.toPoints(4)).toEqual([[4, null]]);
  });

  it('refuse a capacity that is not a positive integer', () => {
    expect(() => new NodeTicks(0)).toThrow(/positive integer, got 0/);
  });
});
