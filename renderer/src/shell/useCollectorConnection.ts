/**
 * The connection to the collector the platform names: asks the platform for the endpoint
 * (react-query: once, retried only where retrying can help), then runs the source the local
 * factory makes (a CollectorSource) into a LiveStore and a flight recorder (for "save the last N
 * minutes") for as long as the endpoint stays the same.
 */
import { useQuery } from '@tanstack/react-query';
import { useEffect, useMemo } from 'react';

import type { Platform } from '../platform/Platform.js';
import { FlightRecorder } from '../recording/FlightRecorder.js';
import type { Source } from '../sources/Source.js';
import type { LocalSourceFactory } from '../sources/SourceFactory.js';
import { LiveStore } from '../store/LiveStore.js';

export interface CollectorConnection {
  source: Source;
  store: LiveStore;
  recorder: FlightRecorder;
}

export type ConnectionState =
  | { kind: 'resolving' }
  | { kind: 'failed'; message: string }
  | ({ kind: 'ready' } & CollectorConnection);

export function useCollectorConnection(
  platform: Platform,
  factory: LocalSourceFactory,
): ConnectionState {
  const endpoint = useQuery({
    queryKey: ['collector-endpoint', platform.kind],
    queryFn: () => platform.getCollectorEndpoint(),
    staleTime: Number.POSITIVE_INFINITY,
    // The desktop shell may still be starting its collector; a missing web token stays missing.
    retry: platform.kind === 'desktop' ? 5 : false,
  });
  const url = endpoint.data?.url;
  const token = endpoint.data?.token;
  const connection = useMemo<CollectorConnection | undefined>(() => {
    if (url === undefined || token === undefined) return undefined;
    const source = factory.create({ url, token });
    const store = new LiveStore();
    source.subscribe((batch) => store.ingest(batch));
    const recorder = new FlightRecorder();
    source.subscribe(recorder.ingest);
    return { source, store, recorder };
  }, [factory, url, token]);

  useEffect(() => {
    if (!connection) return undefined;
    connection.source.start();
    return () => connection.source.stop();
  }, [connection]);

  if (endpoint.error) return { kind: 'failed', message: endpoint.error.message };
  if (!connection) return { kind: 'resolving' };
  return { kind: 'ready', ...connection };
}
