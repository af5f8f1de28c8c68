/**
 * The console's frame: connection list on the left, header with the connection's state on top,
 * the overview below. The platform (desktop or web) is injected, so the same App runs in both.
 */
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useEffect, useState } from 'react';

import { useLiveStore } from '../hooks/useLiveStore.js';
import { useSourceStatus } from '../hooks/useSourceStatus.js';
import { useStoreClock } from '../hooks/useStoreClock.js';
import { useWallClockDriver } from '../hooks/useWallClockDriver.js';
import { useClusterNav, type ClusterNav } from '../connections/useClusterNav.js';
import type { Platform } from '../platform/Platform.js';
import type { Recording } from '../recording/snapshotSource.js';
import { useRecordings, type Recordings } from '../recording/useRecordings.js';
import { defaultSourceFactories } from '../sources/defaultSourceFactories.js';
import type { SourceFactories } from '../sources/SourceFactory.js';
import type { SourceStatus } from '../sources/Source.js';
import { StoreClock } from '../store/StoreClock.js';
import { OverviewView } from '../views/overview/OverviewView.js';
import { FatalError } from './FatalError.js';
import { Header } from './Header.js';
import { Sidebar, type SidebarProps } from './Sidebar.js';
import { StatusBanner } from './StatusBanner.js';
import { useCollectorConnection, type CollectorConnection } from './useCollectorConnection.js';

const DEFAULT_SOURCES = defaultSourceFactories();

export function App({
  platform,
  sources = DEFAULT_SOURCES,
}: {
  platform: Platform;
  /** What the console can show and open (SourceFactory.ts); tests inject fakes. */
  sources?: SourceFactories<Recording>;
}) {
  const [client] = useState(() => new QueryClient());
  return (
    <QueryClientProvider client={client}>
      <Console platform={platform} sources={sources} />
    </QueryClientProvider>
  );
}

/** "42.9 KiB", "1.4 GiB": a file's size in the sidebar. */
function sizeText(bytes: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${bytes} bytes` : `${value.toFixed(1)} ${units[unit]}`;
}

/** The cluster navigation with the opened recordings beside it: one sidebar, one page. */
function withRecordings(nav: ClusterNav, recordings: Recordings): ClusterNav {
  const sidebar: Omit<SidebarProps, 'connections'> = {
    ...nav.sidebar,
    activeId: recordings.selected ?? nav.sidebar.activeId,
    onSelect: (id) => {
      if (recordings.entries.some((e) => e.id === id)) return recordings.select(id);
      recordings.select(undefined);
      nav.sidebar.onSelect?.(id);
    },
    recordings: recordings.entries.map((e) => ({
      id: e.id,
      name: e.recording.name,
      detail: sizeText(e.recording.size),
      state: 'recording' as const,
    })),
    onOpenRecording: recordings.openDialog,
    recordingsError: recordings.error,
  };
  return { ...nav, sidebar, main: recordings.main ?? nav.main };
}

function Console({
  platform,
  sources,
}: {
  platform: Platform;
  sources: SourceFactories<Recording>;
}) {
  const connection = useCollectorConnection(platform, sources.local);
  const recordings = useRecordings(platform, sources.files);
  const clusterNav = useClusterNav(platform, sources.nats);
  // A cluster chosen elsewhere (saved from its dialog) replaces the recording on screen.
  const { select } = recordings;
  useEffect(() => select(undefined), [clusterNav.sidebar.activeId, select]);
  const nav = withRecordings(clusterNav, recordings);
  // No store before the collector's endpoint is known: the shell's own clock, on the wall's time.
  const [clock] = useState(() => new StoreClock());
  useWallClockDriver(clock);
  const now = useStoreClock(clock);
  if (connection.kind === 'ready') {
    return (
      <>
        <Connected connection={connection} nav={nav} />
        {recordings.overlay}
      </>
    );
  }
  // Before a source exists, the endpoint lookup is the connection's whole state.
  const status: SourceStatus = {
    presence:
      connection.kind === 'failed'
        ? { state: 'error', since: now, message: connection.message }
        : { state: 'connecting', since: now },
    problems: [],
  };
  return (
    <div className="app">
      <Sidebar
        connections={[{ id: 'local', name: 'This machine', state: status.presence.state }]}
        {...nav.sidebar}
      />
      {nav.main ?? (
        <main className="main">
          <Header status={status} node={undefined} lastReceivedAt={undefined} now={now} />
          {connection.kind === 'failed' ? (
            <div className="content">
              <FatalError message={connection.message} />
            </div>
          ) : null}
        </main>
      )}
      {nav.dialog}
      {recordings.overlay}
    </div>
  );
}

function Connected({ connection, nav }: { connection: CollectorConnection; nav: ClusterNav }) {
  const { source, store } = connection;
  const status = useSourceStatus(source);
  const live = useLiveStore(store);
  // The local collector is a live source: the shell ticks its store with the wall clock.
  useWallClockDriver(store);
  const now = useStoreClock(store);
  const node = store.nodes()[0];
  return (
    <div className="app">
      <Sidebar
        connections={[
          {
            id: source.id,
            name: source.displayName,
            state: status.presence.state,
            ...(node ? { detail: node.node } : {}),
          },
        ]}
        {...nav.sidebar}
      />
      {nav.main ?? (
        <main className="main">
          <Header
            status={status}
            node={node}
            lastReceivedAt={store.lastReceivedAt}
            lagMs={store.lagMs}
            backlog={store.backlog}
            storeProblems={store.problems()}
            now={now}
          />
          <StatusBanner presence={status.presence} />
          <div className="content">
            {status.presence.state === 'error' ? (
              <FatalError message={status.presence.message ?? 'stopped'} />
            ) : null}
            {status.presence.state === 'error' && store.nodes().length === 0 ? null : (
              <OverviewView live={live} />
            )}
          </div>
        </main>
      )}
      {nav.dialog}
    </div>
  );
}
