import { useCallback, useRef, useSyncExternalStore } from 'react';

import type { StoreClock } from '../store/StoreClock.js';

/** A store (LiveStore) or a clock of its own. */
export type ClockHolder = { readonly clock: StoreClock } | StoreClock;

const clockOf = (holder: ClockHolder | undefined): StoreClock | undefined =>
  holder === undefined ? undefined : 'clock' in holder ? holder.clock : holder;

/**
 * The store clock's time (StoreClock): what views read ages, fades and time axes against, never
 * the wall clock. Re-read at most every `minIntervalMs` (1 s: ages are shown to the second, and a
 * fleet summary re-read on every batch's receipt would cost 4,096 devices × 5 reads each time),
 * except after a seek, which shows at once. 0 without a holder.
 */
export function useStoreClock(holder: ClockHolder | undefined, minIntervalMs = 1000): number {
  const clock = clockOf(holder);
  const shown = useRef(clock?.currentTime ?? 0);
  const subscribe = useCallback(
    (notify: () => void) => {
      if (clock === undefined) return () => undefined;
      let last = 0;
      let seeks = clock.seekCount;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const show = (): void => {
        last = performance.now();
        if (shown.current === clock.currentTime) return;
        shown.current = clock.currentTime;
        notify();
      };
      show();
      const unsubscribe = clock.subscribe(() => {
        const jumped = clock.seekCount !== seeks;
        seeks = clock.seekCount;
        const wait = minIntervalMs - (performance.now() - last);
        if (jumped || wait <= 0) {
          if (timer !== undefined) clearTimeout(timer);
          timer = undefined;
          show();
        } else {
          timer ??= setTimeout(() => {
            timer = undefined;
            show();
          }, wait);
        }
      });
      return () => {
        unsubscribe();
        if (timer !== undefined) clearTimeout(timer);
      };
    },
    [clock, minIntervalMs],
  );
  const snapshot = useCallback(() => shown.current, []);
  return useSyncExternalStore(subscribe, snapshot);
}
