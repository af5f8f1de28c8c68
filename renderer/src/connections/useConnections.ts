/** The cluster connections of a platform, kept running while the console is open. */
import { useEffect, useState, useSyncExternalStore } from 'react';

import type { Platform } from '../platform/Platform.js';
import type { NatsSourceFactory, PrometheusFleetSourceFactory } from '../sources/SourceFactory.js';
import { ConnectionManager, type ConnectionsSnapshot } from './ConnectionManager.js';

export function useConnections(
  platform: Platform,
  factory: NatsSourceFactory,
  prometheusFleet?: PrometheusFleetSourceFactory,
): {
  manager: ConnectionManager;
  snapshot: ConnectionsSnapshot;
} {
  const [manager] = useState(() =>
    prometheusFleet
      ? new ConnectionManager(platform, factory, { factory: prometheusFleet, port: platform })
      : new ConnectionManager(platform, factory),
  );
  useEffect(() => {
    void manager.load();
    return () => manager.dispose();
  }, [manager]);
  const snapshot = useSyncExternalStore(manager.subscribe, manager.getSnapshot);
  return { manager, snapshot };
}
