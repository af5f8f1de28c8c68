/**
 * The page of one live source, whatever it is: This machine's collector or a cluster connection.
 * Its state and problems in the header (with Record where the source can be recorded), why it is
 * not live in a banner, what stopped it, and the views the source offers, from the registry.
 */
import { useCallback, useMemo, useState, type ReactNode } from 'react';

import { useLiveStore } from '../hooks/useLiveStore.js';
import { useSourceStatus } from '../hooks/useSourceStatus.js';
import { useStoreClock } from '../hooks/useStoreClock.js';
import { useWallClockDriver } from '../hooks/useWallClockDriver.js';
import { ProfileCaptureContext, type CapturePort } from '../profiles/captureProfile.js';
import type { FlightRecorder } from '../recording/FlightRecorder.js';
import { RecordControls } from '../recording/RecordControls.js';
import type { RecordingOrigin, SaveFile } from '../recording/recordSnapshot.js';
import { canCaptureProfiles } from '../sources/profileCapture.js';
import type { PrometheusSource } from '../sources/prometheus/PrometheusSource.js';
import type { Source } from '../sources/Source.js';
import type { LiveStore } from '../store/LiveStore.js';
import { Header } from './Header.js';
import { HealthCount } from './notices/HealthCount.js';
import { Toasts } from './notices/Toasts.js';
import { useNotices } from './notices/useNotices.js';
import { StatusBanner } from './StatusBanner.js';
import { ViewTabs } from './views/ViewTabs.js';
import type { ViewId } from './views/viewsFor.js';

export interface LivePageProps {
  /** The live feed; a Prometheus-only connection has none. */
  source: Source | undefined;
  /** The connection's id: its Health marks (acknowledge, resolve) are kept under it. */
  connectionId?: string | undefined;
  store: LiveStore;
  /** The page's name in the header; by default the single machine's node name. */
  title?: string | undefined;
  /** The views the source offers (viewsFor). */
  views: readonly ViewId[];
  /** Record controls: where the file says it came from, and the source's flight recorder. */
  record?:
    | { origin: RecordingOrigin; connectionId: string; recorder: FlightRecorder | undefined }
    | undefined;
  /** Platform.saveFile, for the Record controls. */
  save?: SaveFile | undefined;
  prometheus?: PrometheusSource | undefined;
  onEdit?: (() => void) | undefined;
  /** In place of the views' top when the source stopped for good: what the user can do. */
  stopped: (message: string) => ReactNode;
}

export function LivePage(props: LivePageProps) {
  const { source, store, title, views, record, save, prometheus, onEdit, stopped } = props;
  const connectionId = props.connectionId ?? record?.connectionId ?? source?.id ?? 'local';
  const status = useSourceStatus(source);
  const live = useLiveStore(store);
  // A live source: the shell ticks its store with the wall clock.
  useWallClockDriver(store);
  const now = useStoreClock(store);
  const { presence } = status;
  const nodes = store.nodes();
  // One machine is named by its node (and its host facts shown); a cluster by its connection.
  const node = title === undefined && nodes.length === 1 ? nodes[0] : undefined;
  const failed = presence.state === 'error';
  // A notice's link and the header's count open the Health view (at the incident, for a link).
  const notices = useNotices(live, connectionId, now);
  const [request, setRequest] = useState<{ view: ViewId; seq: number }>();
  const [healthFocus, setHealthFocus] = useState<{ key: string; seq: number }>();
  const openHealth = useCallback((incident?: string) => {
    setRequest((r) => ({ view: 'health', seq: (r?.seq ?? 0) + 1 }));
    if (incident !== undefined) {
      setHealthFocus((f) => ({ key: incident, seq: (f?.seq ?? 0) + 1 }));
    }
  }, []);
  // The source's profile capture, for the device drawer's "Profile 10 s" (capability `profiles`).
  const capture = useMemo<CapturePort | undefined>(
    () =>
      canCaptureProfiles(source)
        ? {
            connection: source.id === 'local' ? 'local' : source.displayName,
            capture: (target, request, call) => source.captureProfile(target, request, call),
          }
        : undefined,
    [source],
  );
  return (
    <main className="main">
      <Header
        status={status}
        node={node}
        title={title}
        lastReceivedAt={store.lastReceivedAt}
        lagMs={store.lagMs}
        backlog={store.backlog}
        storeProblems={store.problems()}
        now={now}
        actions={
          <>
            <HealthCount count={notices.attention} onOpen={() => openHealth()} />
            {source && record ? (
              <RecordControls
                source={source}
                recorder={record.recorder}
                origin={record.origin}
                save={save}
                connectionId={record.connectionId}
                prometheus={prometheus}
                now={now}
              />
            ) : null}
          </>
        }
      />
      <StatusBanner presence={presence} />
      <div className="content">
        {failed ? stopped(presence.message ?? 'stopped') : null}
        {/* Under a stopped source the views stay while there is something to show: what the
            store holds, or the connection's Prometheus history. */}
        {failed && nodes.length === 0 && !prometheus ? null : (
          <ProfileCaptureContext value={capture}>
            <ViewTabs
              views={views}
              live={live}
              presence={presence.state}
              {...(presence.message ? { presenceMessage: presence.message } : {})}
              prometheus={prometheus}
              onEdit={onEdit}
              connectionId={connectionId}
              healthFocus={healthFocus}
              request={request}
            />
          </ProfileCaptureContext>
        )}
      </div>
      <Toasts toasts={notices.toasts} onDismiss={notices.dismiss} onOpen={openHealth} />
    </main>
  );
}
