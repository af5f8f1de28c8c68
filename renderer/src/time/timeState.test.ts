import { describe, expect, it } from 'vitest';

import { initialTimeState, refreshIntervalMs, timeReducer, type TimeState } from './timeState.js';

const T0 = 1_000_000_000;
const zoomed = (from: number, to: number) => ({ kind: 'absolute' as const, from, to });
const INITIAL = initialTimeState(T0);

describe('timeReducer', () => {
  it('starts at the last hour without auto-refresh, anchored at the given now', () => {
    expect(INITIAL.range).toEqual({ kind: 'relative', span: '1h' });
    expect(INITIAL.anchor).toBe(T0);
    expect(refreshIntervalMs(INITIAL)).toBe(0);
  });

  it('zooms in steps and goes back through them in reverse', () => {
    let s: TimeState = INITIAL;
    s = timeReducer(s, { type: 'zoom', range: zoomed(1000, 60_000) });
    s = timeReducer(s, { type: 'zoom', range: zoomed(2000, 30_000) });
    expect(s.range).toEqual(zoomed(2000, 30_000));
    s = timeReducer(s, { type: 'back', now: T0 + 1 });
    expect(s.range).toEqual(zoomed(1000, 60_000));
    s = timeReducer(s, { type: 'back', now: T0 + 2 });
    expect(s.range).toEqual({ kind: 'relative', span: '1h' });
    expect(s.anchor).toBe(T0 + 2);
    expect(s.zoomStack).toEqual([]);
    expect(timeReducer(s, { type: 'back', now: T0 + 3 })).toBe(s);
  });

  it('takes the same selection reported by several linked charts as one step', () => {
    let s = timeReducer(INITIAL, { type: 'zoom', range: zoomed(1000, 60_000) });
    s = timeReducer(s, { type: 'zoom', range: zoomed(1000, 60_000) });
    expect(s.zoomStack).toHaveLength(1);
  });

  it('forgets the zoom history when a range is picked directly, and re-anchors', () => {
    let s = timeReducer(INITIAL, { type: 'zoom', range: zoomed(1000, 60_000) });
    s = timeReducer(s, { type: 'set', range: { kind: 'relative', span: '6h' }, now: T0 + 50 });
    expect(s.zoomStack).toEqual([]);
    expect(s.range).toEqual({ kind: 'relative', span: '6h' });
    expect(s.anchor).toBe(T0 + 50);
  });

  it('keeps at most 20 zoom steps', () => {
    let s: TimeState = INITIAL;
    for (let i = 0; i < 30; i++) {
      s = timeReducer(s, { type: 'zoom', range: zoomed(i * 1000, i * 1000 + 60_000) });
    }
    expect(s.zoomStack).toHaveLength(20);
    expect(s.zoomStack.at(-1)).toEqual(zoomed(28_000, 88_000));
  });

  it('moves the anchor on a tick only while the range is relative', () => {
    const ticked = timeReducer(INITIAL, { type: 'tick', now: T0 + 5000 });
    expect(ticked.anchor).toBe(T0 + 5000);
    const fixed = timeReducer(INITIAL, { type: 'zoom', range: zoomed(0, 60_000) });
    expect(timeReducer(fixed, { type: 'tick', now: T0 + 5000 })).toBe(fixed);
  });
});

describe('refreshIntervalMs', () => {
  it('refreshes a relative range at the chosen interval', () => {
    const s = timeReducer(INITIAL, { type: 'refresh', refresh: '10s' });
    expect(refreshIntervalMs(s)).toBe(10_000);
    expect(refreshIntervalMs({ ...s, refresh: '1m' })).toBe(60_000);
  });

  it('never refreshes an absolute range, whatever is chosen', () => {
    let s = timeReducer(INITIAL, { type: 'refresh', refresh: '5s' });
    s = timeReducer(s, { type: 'zoom', range: zoomed(0, 60_000) });
    expect(s.refresh).toBe('5s');
    expect(refreshIntervalMs(s)).toBe(0);
    expect(refreshIntervalMs(timeReducer(s, { type: 'back', now: T0 }))).toBe(5_000);
  });
});
