/** The engines on an incident's node, the minute before it against the minute after. */
import type { ImpactRow } from './impactText.js';

export function ImpactTable({ rows }: { rows: readonly ImpactRow[] }) {
  if (rows.length === 0) return null;
  return (
    <div className="health-impact-scroll">
      <table className="data-table health-impact-table">
        <thead>
          <tr>
            <th scope="col">Engine</th>
            <th scope="col">Model</th>
            <th scope="col">After the incident</th>
            <th scope="col" className="num">
              Running
            </th>
            <th scope="col" className="num">
              Waiting
            </th>
            <th scope="col" className="num">
              TTFT p50
            </th>
            <th scope="col" className="num">
              TTFT p99
            </th>
            <th
              scope="col"
              className="num"
              title="Aborted and errored requests as a share of those finished (vLLM finish reasons), the minute before → after"
            >
              Error rate
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.engine} data-engine={r.engine} data-impact={r.state}>
              <th scope="row" className="mono">
                {r.engine}
                {r.prometheus ? (
                  <span
                    className="impact-source"
                    title={r.prometheus}
                    data-testid="impact-from-prometheus"
                  >
                    from Prometheus
                  </span>
                ) : null}
              </th>
              <td className="impact-model" title={r.model}>
                {r.model}
              </td>
              <td className={`impact-state impact-${r.state}`}>{r.stateWord}</td>
              <td className="num">{r.running}</td>
              <td className="num">{r.waiting}</td>
              <td className="num">{r.ttftP50}</td>
              <td className="num">{r.ttftP99}</td>
              <td
                className={r.errorRateNoData ? 'num no-data' : 'num'}
                data-testid="impact-error-rate"
              >
                {r.errorRate}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
