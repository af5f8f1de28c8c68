/**
 * The overview of one machine: its accelerators as a heatmap and a table, its host resources as
 * charts. Reads the store only, through the pure prepare functions.
 */
import { useMemo, useState } from 'react';

import { useNow } from '../../hooks/useNow.js';
import type { LiveStore } from '../../store/LiveStore.js';
import { DeviceHeatmap } from './DeviceHeatmap.js';
import { DeviceTable } from './DeviceTable.js';
import { HostCharts } from './HostCharts.js';
import { prepareDeviceTable } from './prepareDeviceTable.js';
import { prepareHeatmap, type HeatmapMetric } from './prepareHeatmap.js';
import { prepareHostCharts } from './prepareHostCharts.js';

export interface OverviewViewProps {
  store: LiveStore;
  /** The store's version; a new one means new data. */
  version: number;
}

export function OverviewView({ store, version }: OverviewViewProps) {
  const [metric, setMetric] = useState<HeatmapMetric>('device.utilization');
  const now = useNow(1000);
  // `version` is what changes when the store does; the store object itself stays the same.
  const heatmap = useMemo(() => prepareHeatmap(store, metric, now), [store, metric, now, version]);
  const rows = useMemo(() => prepareDeviceTable(store, now), [store, now, version]);
  const node = store.nodes()[0]?.node;
  const charts = useMemo(
    () => (node === undefined ? [] : prepareHostCharts(store, node)),
    [store, node, version],
  );

  return (
    <div className="overview">
      <DeviceHeatmap model={heatmap} onMetricChange={setMetric} />
      {rows.length > 0 ? (
        <section className="panel" aria-labelledby="device-table-title">
          <header className="panel-header">
            <h2 id="device-table-title">Device values</h2>
          </header>
          <div className="panel-body table-body">
            <DeviceTable rows={rows} />
          </div>
        </section>
      ) : null}
      {charts.length > 0 ? <HostCharts charts={charts} /> : null}
    </div>
  );
}
