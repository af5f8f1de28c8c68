import { useCallback, useSyncExternalStore } from 'react';

import type { Source, SourceStatus } from '../sources/Source.js';

export function useSourceStatus(source: Source): SourceStatus {
  const subscribe = useCallback((notify: () => void) => source.subscribeStatus(notify), [source]);
  const snapshot = useCallback(() => source.status, [source]);
  return useSyncExternalStore(subscribe, snapshot);
}
