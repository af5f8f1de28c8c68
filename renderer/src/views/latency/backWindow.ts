/**
 * "Back" returns to the window that was on screen, not to the same span re-anchored at now. The
 * time reducer re-anchors a relative range on Back (timeState.ts), and every query key holds the
 * exact window, so "last 6 h" after a zoom and Back was a new window: all panels refetched (39 s
 * at 643 instances) though their answers sat in the cache. Here the view remembers the window
 * each zoom left and, on Back, reads that window again — the same keys, answered from the cache
 * at once — as long as it is recent (MAX_REUSE_MS); an older one is re-anchored as before, since
 * "last 1 h" should not show an hour-old hour.
 */
import type { ResolvedRange, TimeRange } from '../../time/timeRange.js';
import type { TimeState } from '../../time/timeState.js';

/** A remembered window older than this is not reused: Back then re-reads "now". */
export const MAX_REUSE_MS = 10 * 60_000;

interface Shown {
  range: TimeRange;
  resolved: ResolvedRange;
  /** The reducer's anchor when it was on screen. */
  anchor: number;
}

export interface BackMemory {
  /** The window each zoom left, newest last (parallel to the reducer's zoom stack). */
  stack: readonly Shown[];
  /** The window shown now. */
  shown: Shown | undefined;
  depth: number;
  /** A restored window, valid while the reducer's anchor stays the one Back set. */
  restored?: Shown;
}

export const EMPTY_BACK_MEMORY: BackMemory = { stack: [], shown: undefined, depth: 0 };

const sameRange = (a: TimeRange, b: TimeRange): boolean =>
  a.kind === 'absolute' && b.kind === 'absolute'
    ? a.from === b.from && a.to === b.to
    : a.kind === 'relative' && b.kind === 'relative' && a.span === b.span;

/** The memory after the reducer moved to `state` (whose own resolution is `resolved`). */
export function nextBackMemory(
  mem: BackMemory,
  state: TimeState,
  resolved: ResolvedRange,
): BackMemory {
  const depth = state.zoomStack.length;
  let stack = mem.stack;
  let restored = mem.restored;
  if (depth > mem.depth && mem.shown) {
    stack = [...stack, mem.shown].slice(-depth);
    restored = undefined;
  } else if (depth < mem.depth) {
    const top = stack.at(-1);
    stack = stack.slice(0, depth);
    restored =
      depth === mem.depth - 1 &&
      top !== undefined &&
      sameRange(top.range, state.range) &&
      state.anchor - top.anchor <= MAX_REUSE_MS
        ? { ...top, anchor: state.anchor }
        : undefined;
  }
  // A tick, a refresh or a new range moves the anchor: from then on the reducer's window rules.
  if (restored && (restored.anchor !== state.anchor || !sameRange(restored.range, state.range)))
    restored = undefined;
  const window = restored ? restored.resolved : resolved;
  return {
    stack,
    depth,
    shown: { range: state.range, resolved: window, anchor: state.anchor },
    ...(restored ? { restored } : {}),
  };
}

/** The window to read: the restored one after Back, else the reducer's. */
export function windowOf(mem: BackMemory, resolved: ResolvedRange): ResolvedRange {
  return mem.restored ? mem.restored.resolved : resolved;
}

/**
 * The memory kept across renders: advanced once per reducer state (a render that repeats with the
 * same state, as React's strict mode does, changes nothing).
 */
export class BackWindowTracker {
  private mem: BackMemory = EMPTY_BACK_MEMORY;
  private state: TimeState | undefined;

  windowFor(state: TimeState, resolved: ResolvedRange): ResolvedRange {
    if (state !== this.state) {
      this.mem = nextBackMemory(this.mem, state, resolved);
      this.state = state;
    }
    return windowOf(this.mem, resolved);
  }
}
