/**
 * The overview of one machine: its accelerators as a heatmap and a table, its host resources as
 * charts. Reads the store only, through the pure prepare functions.
 */
import { useMemo, useState } from 'react';

import { useStoreClock } from '../../hooks/useStoreClock.js';
import type { LiveStoreSnapshot } from '../../store/LiveStore.js';
import { DeviceHeatmap } from './DeviceHeatmap.js';
import { DeviceTable } from './DeviceTable.js';
import { EventList } from './EventList.js';
import { HostCharts } from './HostCharts.js';
import { prepareDeviceTable } from './prepareDeviceTable.js';
import { prepareEvents } from './prepareEvents.js';
import { prepareHeatmap, type HeatmapMetric } from './prepareHeatmap.js';
import { prepareHostCharts } from './prepareHostCharts.js';

export interface OverviewViewProps {
  /** The store at its current version: a new object means new data. */
  live: LiveStoreSnapshot;
}

export function OverviewView({ live }: OverviewViewProps) {
  const [metric, setMetric] = useState<HeatmapMetric>('device.utilization');
  const now = useStoreClock(live.store);
  const heatmap = useMemo(() => prepareHeatmap(live.store, metric, now), [live, metric, now]);
  const rows = useMemo(() => prepareDeviceTable(live.store, now), [live, now]);
  const charts = useMemo(() => {
    const node = live.store.nodes()[0]?.node;
    return node === undefined ? [] : prepareHostCharts(live.store, node);
  }, [live]);
  const events = useMemo(() => prepareEvents(live.store), [live]);

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
      {events.length > 0 ? <EventList rows={events} /> : null}
    </div>
  );
}
