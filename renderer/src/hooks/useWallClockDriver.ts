import { useLayoutEffect, useMemo } from 'react';

/** What the shell's wall clock drives: a LiveStore (tick also trims and removes) or a StoreClock. */
export interface Tickable {
  readonly currentTime: number;
  tick(now: number): unknown;
}

/**
 * The shell's clock driver for a live source: ticks `target` with the platform's time at once
 * and every `everyMs`, so ages keep counting while nothing arrives. The one place the renderer
 * reads the wall clock for display (sources read it only to stamp receipt). A recorded source's
 * player drives its store instead (store/followPlayer.ts): pass undefined for it.
 */
export function useWallClockDriver(target: Tickable | undefined, everyMs = 1000): void {
  // A clock never set reads 0 (1970) until the first tick: set it as the driver mounts (memo: once
  // per target), so a view that anchors a time range on "now" as it mounts (useTimeControls)
  // gets the real time. Idempotent; nothing is subscribed to a clock that has never moved.
  useMemo(() => startClock(target), [target]);
  useLayoutEffect(() => {
    if (target === undefined) return undefined;
    target.tick(Date.now());
    const id = setInterval(() => target.tick(Date.now()), everyMs);
    return () => clearInterval(id);
  }, [target, everyMs]);
}

function startClock(target: Tickable | undefined): void {
  if (target !== undefined && target.currentTime === 0) target.tick(Date.now());
}
