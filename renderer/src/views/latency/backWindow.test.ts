import { describe, expect, it } from 'vitest';

import { planRange } from '../../../../collector/core/prometheus/step.js';
import { resolveRange } from '../../time/timeRange.js';
import { initialTimeState, timeReducer, type TimeState } from '../../time/timeState.js';
import { EMPTY_BACK_MEMORY, MAX_REUSE_MS, nextBackMemory, windowOf } from './backWindow.js';

/** Drives the real time reducer and the memory together, as LatencyView does. */
function session(now: number) {
  let state: TimeState = { ...initialTimeState(now), range: { kind: 'relative', span: '6h' } };
  let mem = nextBackMemory(EMPTY_BACK_MEMORY, state, resolveRange(state.range, state.anchor));
  const shown = () => windowOf(mem, resolveRange(state.range, state.anchor));
  const act = (a: Parameters<typeof timeReducer>[1]) => {
    state = timeReducer(state, a);
    mem = nextBackMemory(mem, state, resolveRange(state.range, state.anchor));
  };
  return { shown, act };
}

const T0 = Date.UTC(2026, 11, 3, 9, 0, 7);

describe('nextBackMemory', () => {
  it('Back after a zoom reads the window the zoom left, not the span re-anchored at now', () => {
    const s = session(T0);
    const before = s.shown();
    s.act({ type: 'zoom', range: { kind: 'absolute', from: T0 - 3_600_000, to: T0 - 1_800_000 } });
    expect(s.shown()).toEqual({ start: T0 - 3_600_000, end: T0 - 1_800_000 });
    s.act({ type: 'back', now: T0 + 95_000 });
    expect(s.shown()).toEqual(before);
    expect(s.shown().end).toBe(T0);
    // The same window gives the same step-aligned query window: the same keys, a cache hit.
    const plan = (w: { start: number; end: number }) =>
      planRange({ startMs: w.start, endMs: w.end, widthPx: 600, minStepS: 30 });
    expect(plan(s.shown())).toEqual(plan(before));
  });

  it('nests: two zooms, two Backs, each returns to its own window', () => {
    const s = session(T0);
    const first = s.shown();
    s.act({ type: 'zoom', range: { kind: 'absolute', from: T0 - 4e6, to: T0 - 2e6 } });
    const second = s.shown();
    s.act({ type: 'zoom', range: { kind: 'absolute', from: T0 - 3e6, to: T0 - 2.5e6 } });
    s.act({ type: 'back', now: T0 + 1000 });
    expect(s.shown()).toEqual(second);
    s.act({ type: 'back', now: T0 + 2000 });
    expect(s.shown()).toEqual(first);
  });

  it('re-reads now when the window left is older than MAX_REUSE_MS, or after a refresh', () => {
    const s = session(T0);
    s.act({ type: 'zoom', range: { kind: 'absolute', from: T0 - 4e6, to: T0 - 2e6 } });
    const late = T0 + MAX_REUSE_MS + 1;
    s.act({ type: 'back', now: late });
    expect(s.shown()).toEqual({ start: late - 6 * 3_600_000, end: late });

    const t = session(T0);
    t.act({ type: 'zoom', range: { kind: 'absolute', from: T0 - 4e6, to: T0 - 2e6 } });
    t.act({ type: 'back', now: T0 + 5000 });
    t.act({ type: 'tick', now: T0 + 60_000 });
    expect(t.shown()).toEqual({ start: T0 + 60_000 - 6 * 3_600_000, end: T0 + 60_000 });
  });

  it('a new range picked in the selector is read at now', () => {
    const s = session(T0);
    s.act({ type: 'set', range: { kind: 'relative', span: '1h' }, now: T0 + 20_000 });
    expect(s.shown()).toEqual({ start: T0 + 20_000 - 3_600_000, end: T0 + 20_000 });
  });
});
