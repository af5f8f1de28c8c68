/**
 * The time controls' state for one view: the reducer, the auto-refresh clock (a relative range
 * re-anchored every interval; nothing for an absolute one), and the range resolved to ms.
 */
import { useQueryClient } from '@tanstack/react-query';
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
  const queryClient = useQueryClient();
  // A tick moves the window only when "now" crosses into the next step; inside the same step the
  // keys stay the same and their cached answers (staleTime: Infinity) would be shown again, so a
  // refresh the user asked for also refetches the windows on screen, once React has re-rendered.
  const refreshNow = useCallback(() => {
    dispatch({ type: 'tick', now: Date.now() });
    setTimeout(() => {
      void queryClient.invalidateQueries({
        predicate: (q) => q.queryKey[0] === 'prometheus' && q.queryKey[2] === 'range',
        refetchType: 'active',
      });
    }, 0);
  }, [queryClient]);
  return { state, resolved, setRange, setRefresh, zoom, back, refreshNow };
}
