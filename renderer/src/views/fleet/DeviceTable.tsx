import { metricLabel } from './fleetMetrics.js';
import type { DeviceRow } from './prepareDeviceTable.js';

/**
 * Every device's current values as text: the heatmap's numbers, readable without a mouse. The
 * device label opens its drawer, as a click on its cell does.
 */
export function DeviceTable({
  rows,
  showNode,
  onSelect,
}: {
  rows: DeviceRow[];
  /** A column for the node, where the rows come from more than one. */
  showNode: boolean;
  onSelect: (node: string, device: string) => void;
}) {
  return (
    <table className="data-table" aria-label="Devices">
      <thead>
        <tr>
          {showNode ? <th scope="col">Node</th> : null}
          <th scope="col">Device</th>
          <th scope="col">Name</th>
          {rows[0]?.values.map((v) => (
            <th scope="col" className="num" key={v.metric}>
              {metricLabel(v.metric)}
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
            {showNode ? <td className="nowrap">{row.nodeName}</td> : null}
            <th scope="row">
              <button
                type="button"
                className="link-button"
                title="Open this device’s details"
                onClick={() => onSelect(row.node, row.device)}
              >
                {row.label}
              </button>
            </th>
            <td>
              <div>{row.name}</div>
              {row.uuid ? (
                <div className="sub uuid" title={row.uuid}>
                  {row.uuid}
                </div>
              ) : null}
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
