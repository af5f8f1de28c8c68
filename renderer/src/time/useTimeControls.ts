/**
 * The time controls' state for one view: the reducer, the auto-refresh clock (a relative range
 * re-anchored every interval; nothing for an absolute one), and the range resolved to ms.
 */
import { useCallback, useEffect, useMemo, useReducer } from 'react';

import { resolveRange, zoomRange, type ResolvedRange, type TimeRange } from './timeRange.js';
import {
  initialTimeState,
  refreshIntervalMs,
  timeReducer,
  type RefreshId,
  type TimeState,
} from './timeState.js';

export interface TimeControls {
  state: TimeState;
  resolved: ResolvedRange;
  setRange(range: TimeRange): void;
  setRefresh(refresh: RefreshId): void;
  /** A drag on a chart: from and to in ms, in either order. */
  zoom(a: number, b: number): void;
  back(): void;
  /** Re-anchor a relative range at now (the refresh button). */
  refreshNow(): void;
}

export function useTimeControls(initial?: TimeRange): TimeControls {
  const [state, dispatch] = useReducer(timeReducer, undefined, () => {
    const s = initialTimeState(Date.now());
    return initial ? { ...s, range: initial } : s;
  });
  const interval = refreshIntervalMs(state);
  useEffect(() => {
    if (interval === 0) return undefined;
    const timer = setInterval(() => dispatch({ type: 'tick', now: Date.now() }), interval);
    return () => clearInterval(timer);
  }, [interval]);
  const resolved = useMemo(() => resolveRange(state.range, state.anchor), [state]);
  const setRange = useCallback(
    (range: TimeRange) => dispatch({ type: 'set', range, now: Date.now() }),
    [],
  );
  const setRefresh = useCallback(
    (refresh: RefreshId) => dispatch({ type: 'refresh', refresh }),
    [],
  );
  const zoom = useCallback((a: number, b: number) => {
    const range = zoomRange(a, b);
    if (range) dispatch({ type: 'zoom', range });
  }, []);
  const back = useCallback(() => dispatch({ type: 'back', now: Date.now() }), []);
  const refreshNow = useCallback(() => dispatch({ type: 'tick', now: Date.now() }), []);
  return { state, resolved, setRange, setRefresh, zoom, back, refreshNow };
}
