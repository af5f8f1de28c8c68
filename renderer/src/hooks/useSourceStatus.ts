import { useCallback, useSyncExternalStore } from 'react';

import type { Source, SourceStatus } from '../sources/Source.js';

/** The status shown for a connection with no live source (Prometheus only, no NATS URL). */
export const NO_LIVE_SOURCE: SourceStatus = {
  presence: {
    state: 'closed',
    since: 0,
    message: 'no NATS URL: this connection shows Prometheus history only',
  },
  problems: [],
};

export function useSourceStatus(source: Source | undefined): SourceStatus {
  const subscribe = useCallback(
    (notify: () => void) => source?.subscribeStatus(notify) ?? (() => undefined),
    [source],
  );
  const snapshot = useCallback(() => source?.status ?? NO_LIVE_SOURCE, [source]);
  return useSyncExternalStore(subscribe, snapshot);
}
