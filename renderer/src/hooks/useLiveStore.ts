import { useCallback, useSyncExternalStore } from 'react';

import type { LiveStore, LiveStoreSnapshot } from '../store/LiveStore.js';

/**
 * The store at its current version, re-read at most every `minIntervalMs`: ingest runs once per
 * frame, but charts need not redraw more than a few times a second (DESIGN.md, "Store and
 * rendering").
 */
export function useLiveStore(store: LiveStore, minIntervalMs = 250): LiveStoreSnapshot {
  const subscribe = useCallback(
    (notify: () => void) => {
      let last = 0;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const unsubscribe = store.subscribe(() => {
        const now = performance.now();
        if (now - last >= minIntervalMs) {
          last = now;
          notify();
        } else {
          timer ??= setTimeout(
            () => {
              timer = undefined;
              last = performance.now();
              notify();
            },
            minIntervalMs - (now - last),
          );
        }
      });
      return () => {
        unsubscribe();
        if (timer !== undefined) clearTimeout(timer);
      };
    },
    [store, minIntervalMs],
  );
  return useSyncExternalStore(subscribe, store.getSnapshot);
}
