import { describe, expect, it } from 'vitest';

import { RingBuffer } from './RingBuffer.js';

describe('RingBuffer', () => {
  it('keeps the newest points up to its capacity, oldest first', () => {
    const ring = new RingBuffer(3);
    for (let t = 1; t <= 5; t++) ring.push(t * 1000, t * 10);
    expect(ring.length).toBe(3);
    expect(ring.toPoints()).toEqual([
      [3000, 30],
      [4000, 40],
      [5000, 50],
    ]);
    expect(ring.lastTime()).toBe(5000);
  });

  it('keeps absent values as no data, distinct from 0', () => {
    const ring = new RingBuffer(4);
    ring.push(1, 0);
    ring.push(2, null);
    expect(ring.valueAt(0)).toBe(0);
    expect(Number.isNaN(ring.valueAt(1))).toBe(true);
    expect(ring.toPoints()).toEqual([
      [1, 0],
      [2, null],
    ]);
  });

  it('drops older points and replaces a point at the same time (backlog re-sent on reconnect)', () => {
    const ring = new RingBuffer(10);
    ring.push(1000, 1);
    ring.push(2000, 2);
    expect(ring.push(1500, 9)).toBe(false);
    expect(ring.push(2000, 3)).toBe(true);
    expect(ring.toPoints()).toEqual([
      [1000, 1],
      [2000, 3],
    ]);
  });

  it('grows its storage past the first allocation without losing order', () => {
    const ring = new RingBuffer(200);
    for (let t = 0; t < 250; t++) ring.push(t, t);
    expect(ring.length).toBe(200);
    expect(ring.timeAt(0)).toBe(50);
    expect(ring.timeAt(199)).toBe(249);
  });

  it('filters by time', () => {
    const ring = new RingBuffer(10);
    for (let t = 1; t <= 5; t++) ring.push(t, t);
    expect(ring.toPoints(4).map(([t]) => t)).toEqual([4, 5]);
  });

  it('refuses a capacity that is not a positive integer', () => {
    expect(() => new RingBuffer(0)).toThrow(/positive integer, got 0/);
  });
});
