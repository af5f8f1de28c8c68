/**
 * The page of one cluster connection: its state and problems in the header, why it is not live
 * in a banner, and the cluster's views (Fleet heatmap, Engines table) of its store.
 */
import { useLiveStore } from '../hooks/useLiveStore.js';
import { useSourceStatus } from '../hooks/useSourceStatus.js';
import { useStoreClock } from '../hooks/useStoreClock.js';
import { useWallClockDriver } from '../hooks/useWallClockDriver.js';
import { RecordControls } from '../recording/RecordControls.js';
import { OSPREY_VERSION } from '../recording/recordVersion.js';
import { originOf, type SaveFile } from '../recording/recordSnapshot.js';
import type { PrometheusSource } from '../sources/prometheus/PrometheusSource.js';
import { Header } from '../shell/Header.js';
import { StatusBanner } from '../shell/StatusBanner.js';
import { ClusterTabs } from '../views/fleet/ClusterTabs.js';
import type { ClusterConnection } from './ConnectionManager.js';
import { clusterPageFeatures } from './sourceFeatures.js';

export function ClusterMain({
  connection,
  onEdit,
  prometheus,
  save,
}: {
  connection: ClusterConnection;
  onEdit: () => void;
  /** History for the Latency tab and the device drawer, when the connection has a Prometheus. */
  prometheus?: PrometheusSource | undefined;
  /** Platform.saveFile, for the Record controls. */
  save?: SaveFile | undefined;
}) {
  const { config, source, store, recorder } = connection;
  const status = useSourceStatus(source);
  const live = useLiveStore(store);
  // A cluster's NATS feed is a live source: the shell ticks its store with the wall clock.
  useWallClockDriver(store);
  const now = useStoreClock(store);
  const { presence } = status;
  const features = clusterPageFeatures(connection.capabilities, source !== undefined);
  return (
    <main className="main">
      <Header
        status={status}
        node={undefined}
        title={config.name}
        lastReceivedAt={store.lastReceivedAt}
        lagMs={store.lagMs}
        backlog={store.backlog}
        storeProblems={store.problems()}
        now={now}
        actions={
          source && features.record ? (
            <RecordControls
              source={source}
              recorder={recorder}
              origin={originOf(config, OSPREY_VERSION)}
              save={save}
              connectionId={config.id}
              now={now}
            />
          ) : null
        }
      />
      <StatusBanner presence={presence} />
      <div className="content">
        {presence.state === 'error' ? (
          <div className="fatal" role="alert">
            <div className="fatal-title">Not connected</div>
            <div className="fatal-message">{presence.message ?? 'stopped'}</div>
            <p className="fatal-hint">
              Osprey does not retry this on its own: correct the connection and save it, and it
              connects again.
            </p>
            <button type="button" className="button" onClick={onEdit}>
              Edit connection
            </button>
          </div>
        ) : null}
        <ClusterTabs
          live={live}
          presence={presence.state}
          prometheus={prometheus}
          onEdit={onEdit}
          tabs={features.tabs}
        />
      </div>
    </main>
  );
}
