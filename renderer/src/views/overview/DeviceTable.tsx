import { HEATMAP_METRIC_LABELS, type HeatmapMetric } from './prepareHeatmap.js';
import type { DeviceRow } from './prepareDeviceTable.js';

/** Every device's current values as text: the heatmap's numbers, readable without a mouse. */
export function DeviceTable({ rows }: { rows: DeviceRow[] }) {
  return (
    <table className="data-table" aria-label="Devices">
      <thead>
        <tr>
          <th scope="col">Device</th>
          <th scope="col">Name</th>
          {rows[0]?.values.map((v) => (
            <th scope="col" className="num" key={v.metric}>
              {HEATMAP_METRIC_LABELS[v.metric as HeatmapMetric]}
            </th>
          ))}
          <th scope="col" className="num">
            Updated
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.key} className={row.stale ? 'stale' : undefined}>
            <th scope="row">{row.label}</th>
            <td>
              <div>{row.name}</div>
              {row.uuid ? <div className="sub">{row.uuid}</div> : null}
            </td>
            {row.values.map((v) => (
              <td
                key={v.metric}
                className={v.value === null ? 'num no-data' : 'num'}
                data-metric={v.metric}
                title={v.noData ? `no data: ${v.noData}` : undefined}
              >
                <div className="value">{v.value === null ? 'no data' : v.text}</div>
                {v.metric === 'device.memory.usage' && row.memoryDetail ? (
                  <div className="sub">{row.memoryDetail}</div>
                ) : null}
                {v.metric === 'device.power' && v.value !== null && row.powerLimit ? (
                  <div className="sub">{row.powerLimit}</div>
                ) : null}
                {v.value === null && v.noData ? <div className="sub">{v.noData}</div> : null}
              </td>
            ))}
            <td className="num sub-cell">{row.updated}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
