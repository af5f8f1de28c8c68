/**
 * The time controls' state for one view: the reducer, the auto-refresh clock (a relative range
 * re-anchored every interval; nothing for an absolute one), and the range resolved to ms. "Now"
 * is the store clock's (StoreClock: the wall clock's time as the shell ticks it for a live
 * source, recording time for a recording), never read from the wall clock here.
 */
import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useReducer } from 'react';

import { readNavigation } from '../shell/navigation/location.js';
import { useNavigationSync } from '../shell/navigation/useNavigation.js';
import type { StoreClock } from '../store/StoreClock.js';
import { resolveRange, zoomRange, type ResolvedRange, type TimeRange } from './timeRange.js';
import {
  DEFAULT_SPAN,
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

export function useTimeControls(
  clock: Pick<StoreClock, 'currentTime'>,
  initial?: TimeRange,
): TimeControls {
  const [state, dispatch] = useReducer(timeReducer, undefined, () => {
    const s = initialTimeState(clock.currentTime);
    // The URL's range (a reload or a pasted link) when none is given: absolute, or relative.
    const { from, to, span } = readNavigation();
    const linked: TimeRange | undefined =
      span !== undefined
        ? { kind: 'relative', span }
        : from !== undefined && to !== undefined
          ? { kind: 'absolute', from, to }
          : undefined;
    const range = initial ?? linked;
    return range ? { ...s, range } : s;
  });
  // Both kinds are a place: an absolute range pins from/to, a relative one moves with now
  // (`from=now-1h&to=now`); the default (initialTimeState's) stays out of the URL.
  const absolute = state.range.kind === 'absolute' ? state.range : undefined;
  const relative =
    state.range.kind === 'relative' && state.range.span !== DEFAULT_SPAN
      ? state.range.span
      : undefined;
  useNavigationSync({ from: absolute?.from, to: absolute?.to, span: relative });
  const interval = refreshIntervalMs(state);
  useEffect(() => {
    if (interval === 0) return undefined;
    const timer = setInterval(() => dispatch({ type: 'tick', now: clock.currentTime }), interval);
    return () => clearInterval(timer);
  }, [interval, clock]);
  const resolved = useMemo(() => resolveRange(state.range, state.anchor), [state]);
  const setRange = useCallback(
    (range: TimeRange) => dispatch({ type: 'set', range, now: clock.currentTime }),
    [clock],
  );
  const setRefresh = useCallback(
    (refresh: RefreshId) => dispatch({ type: 'refresh', refresh }),
    [],
  );
  const zoom = useCallback((a: number, b: number) => {
    const range = zoomRange(a, b);
    if (range) dispatch({ type: 'zoom', range });
  }, []);
  const back = useCallback(() => dispatch({ type: 'back', now: clock.currentTime }), [clock]);
  const queryClient = useQueryClient();
  // A tick moves the window only when "now" crosses into the next step; inside the same step the
  // keys stay the same and their cached answers (staleTime: Infinity) would be shown again, so a
  // refresh the user asked for also refetches the windows on screen, once React has re-rendered.
  const refreshNow = useCallback(() => {
    dispatch({ type: 'tick', now: clock.currentTime });
    setTimeout(() => {
      void queryClient.invalidateQueries({
        predicate: (q) => q.queryKey[0] === 'prometheus' && q.queryKey[2] === 'range',
        refetchType: 'active',
      });
    }, 0);
  }, [queryClient, clock]);
  return { state, resolved, setRange, setRefresh, zoom, back, refreshNow };
}
