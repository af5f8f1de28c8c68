/**
 * The page of one cluster connection: the live page (LivePage.tsx) of its NATS feed, named by the
 * connection, with Record and the connection's Prometheus, and "Edit connection" when it stopped.
 */
import { OSPREY_VERSION } from '../recording/recordVersion.js';
import { originOf, type SaveFile } from '../recording/recordSnapshot.js';
import { LivePage } from '../shell/LivePage.js';
import type { PrometheusSource } from '../sources/prometheus/PrometheusSource.js';
import type { ClusterConnection } from './ConnectionManager.js';
import { livePageFeatures } from './sourceFeatures.js';

export function ClusterMain({
  connection,
  onEdit,
  prometheus,
  save,
}: {
  connection: ClusterConnection;
  onEdit: () => void;
  /** History for the Latency view and the device drawer, when the connection has a Prometheus. */
  prometheus?: PrometheusSource | undefined;
  /** Platform.saveFile, for the Record controls. */
  save?: SaveFile | undefined;
}) {
  const { config, source, store, recorder } = connection;
  const features = livePageFeatures(connection.capabilities, source !== undefined);
  return (
    <LivePage
      source={source}
      connectionId={config.id}
      store={store}
      title={config.name}
      views={features.views}
      record={
        features.record
          ? { origin: originOf(config, OSPREY_VERSION), connectionId: config.id, recorder }
          : undefined
      }
      save={save}
      prometheus={prometheus}
      onEdit={onEdit}
      stopped={(message) => (
        <div className="fatal" role="alert">
          <div className="fatal-title">Not connected</div>
          <div className="fatal-message">{message}</div>
          <p className="fatal-hint">
            Osprey does not retry this on its own: correct the connection and save it, and it
            connects again.
          </p>
          <button type="button" className="button" onClick={onEdit}>
            Edit connection
          </button>
        </div>
      )}
    />
  );
}
