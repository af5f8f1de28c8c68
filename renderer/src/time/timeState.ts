/**
 * The time controls' state as a reducer: the range, auto-refresh, and the zoom stack ("back"
 * returns to the range before the last zoom). Auto-refresh only runs for relative ranges: an
 * absolute range's data does not change, so refetching it would only cost the server.
 */
import type { RelativeSpan, TimeRange } from './timeRange.js';

export const REFRESH_OPTIONS = [
  { id: 'off', label: 'Off', ms: 0 },
  { id: '5s', label: '5s', ms: 5_000 },
  { id: '10s', label: '10s', ms: 10_000 },
  { id: '30s', label: '30s', ms: 30_000 },
  { id: '1m', label: '1m', ms: 60_000 },
] as const;

export type RefreshId = (typeof REFRESH_OPTIONS)[number]['id'];

export interface TimeState {
  range: TimeRange;
  refresh: RefreshId;
  /** Ranges before each zoom, newest last; cleared when the user picks a range directly. */
  zoomStack: readonly TimeRange[];
  /**
   * The "now" a relative range is resolved against (ms). It moves only on a range change, an
   * auto-refresh tick or a manual refresh, so the queries' keys stay put between them.
   */
  anchor: number;
}

export type TimeAction =
  | { type: 'set'; range: TimeRange; now: number }
  | { type: 'zoom'; range: TimeRange & { kind: 'absolute' } }
  | { type: 'back'; now: number }
  | { type: 'refresh'; refresh: RefreshId }
  | { type: 'tick'; now: number };

/** Deep zoom sessions stay bounded; 20 steps back is more than anyone clicks. */
const MAX_ZOOM_STACK = 20;

/** The range a history view opens on. */
export const DEFAULT_SPAN: RelativeSpan = '1h';

export function initialTimeState(now: number): TimeState {
  return {
    range: { kind: 'relative', span: DEFAULT_SPAN },
    refresh: 'off',
    zoomStack: [],
    anchor: now,
  };
}

const same = (a: TimeRange, b: TimeRange): boolean =>
  a.kind === 'absolute' && b.kind === 'absolute'
    ? a.from === b.from && a.to === b.to
    : a.kind === 'relative' && b.kind === 'relative' && a.span === b.span;

export function timeReducer(state: TimeState, action: TimeAction): TimeState {
  switch (action.type) {
    case 'set':
      return { ...state, range: action.range, zoomStack: [], anchor: action.now };
    case 'zoom':
      // Linked charts may each report the same selection; the second is not a new step.
      if (same(action.range, state.range)) return state;
      return {
        ...state,
        range: action.range,
        zoomStack: [...state.zoomStack, state.range].slice(-MAX_ZOOM_STACK),
      };
    case 'back': {
      const previous = state.zoomStack.at(-1);
      if (!previous) return state;
      return {
        ...state,
        range: previous,
        zoomStack: state.zoomStack.slice(0, -1),
        anchor: action.now,
      };
    }
    case 'refresh':
      return { ...state, refresh: action.refresh };
    case 'tick':
      return state.range.kind === 'relative' ? { ...state, anchor: action.now } : state;
  }
}

/** Milliseconds between refetches, or 0 when nothing should refetch (off, or absolute range). */
export function refreshIntervalMs(state: Pick<TimeState, 'range' | 'refresh'>): number {
  if (state.range.kind === 'absolute') return 0;
  return REFRESH_OPTIONS.find((o) => o.id === state.refresh)?.ms ?? 0;
}
