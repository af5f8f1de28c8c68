/**
 * The console's frame: connection list on the left, and the page of what is selected — This
 * machine, a cluster connection, or an opened recording — each through the same views. The
 * platform (desktop or web) is injected, so the same App runs in both.
 */
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useEffect, useState } from 'react';

import { useSourceStatus } from '../hooks/useSourceStatus.js';
import { useStoreClock } from '../hooks/useStoreClock.js';
import { useWallClockDriver } from '../hooks/useWallClockDriver.js';
import { useClusterNav, type ClusterNav } from '../connections/useClusterNav.js';
import type { Platform } from '../platform/Platform.js';
import { ProfileLibrary } from '../profiles/ProfileLibrary.js';
import { ProfilesContext, type ProfilesPort } from '../profiles/profilesContext.js';
import { OSPREY_VERSION } from '../recording/recordVersion.js';
import type { SaveFile } from '../recording/recordSnapshot.js';
import type { Recording } from '../recording/snapshotSource.js';
import { useRecordings, type Recordings } from '../recording/useRecordings.js';
import { defaultSourceFactories } from '../sources/defaultSourceFactories.js';
import type { LocalSourceFactory, SourceFactories } from '../sources/SourceFactory.js';
import type { SourceStatus } from '../sources/Source.js';
import { StoreClock } from '../store/StoreClock.js';
import { livePageFeatures } from '../connections/sourceFeatures.js';
import { FatalError } from './FatalError.js';
import { Header } from './Header.js';
import { LivePage } from './LivePage.js';
import { Sidebar, type SidebarProps } from './Sidebar.js';
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
  // One profile list per console: what is opened or captured on one page stays on every other.
  const [profiles] = useState<ProfilesPort>(() => ({
    library: new ProfileLibrary(),
    openFile: (options) => platform.openFile(options),
    saveFile: (name, data) => platform.saveFile(name, data),
  }));
  return (
    <QueryClientProvider client={client}>
      <ProfilesContext value={profiles}>
        <Console platform={platform} sources={sources} />
      </ProfilesContext>
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
  const clusterNav = useClusterNav(platform, sources.nats, sources.prometheusFleet);
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
        <Connected
          connection={connection}
          nav={nav}
          factory={sources.local}
          save={(name, bytes) => platform.saveFile(name, bytes)}
        />
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

/** Where "This machine" recordings say they came from (no secrets: a name, and its cluster). */
const LOCAL_CONNECTION_ID = 'local';

function Connected({
  connection,
  nav,
  factory,
  save,
}: {
  connection: CollectorConnection;
  nav: ClusterNav;
  factory: LocalSourceFactory;
  save: SaveFile;
}) {
  const { source, store, recorder } = connection;
  const status = useSourceStatus(source);
  // The sidebar's subtitle follows the store's node list, which the page below re-renders with.
  const node = store.nodes()[0];
  const features = livePageFeatures(factory.capabilities, true);
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
        <LivePage
          source={source}
          store={store}
          views={features.views}
          record={
            features.record
              ? {
                  origin: {
                    version: OSPREY_VERSION,
                    connection: source.displayName,
                    cluster: node?.cluster,
                  },
                  connectionId: LOCAL_CONNECTION_ID,
                  recorder,
                }
              : undefined
          }
          save={save}
          stopped={(message) => <FatalError message={message} />}
        />
      )}
      {nav.dialog}
    </div>
  );
}
