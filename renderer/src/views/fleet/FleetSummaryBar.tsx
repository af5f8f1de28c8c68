/** The cluster summary above the heatmap: health counts, utilization, device memory, power. */
import { HEALTH_COLORS } from './colorScale.js';
import { count } from './count.js';
import { HEALTH_LABEL } from './fleetMetrics.js';
import {
  healthText,
  staleNote,
  type FleetSummary,
  type SummaryStat,
} from './prepareFleetSummary.js';
import type { Health } from './types.js';

const SHOWN_HEALTH: readonly Health[] = ['ok', 'warning', 'error', 'critical'];

export function FleetSummaryBar({ summary }: { summary: FleetSummary }) {
  const n = (v: number) => v.toLocaleString('en');
  return (
    <section className="fleet-summary" aria-label="Cluster summary" data-testid="fleet-summary">
      <div className="stat stat-health" data-testid="summary-health">
        <div className="stat-label">Devices by health</div>
        <ul className="health-counts">
          {SHOWN_HEALTH.map((h) => {
            const stale = staleNote(summary, h);
            return (
              <li
                key={h}
                className={summary.health[h] > 0 && h !== 'ok' ? 'attention' : undefined}
                aria-label={healthText(summary, h)}
              >
                <span className="health-dot" style={{ background: HEALTH_COLORS[h] }} aria-hidden />
                <span className="health-count" data-health={h}>
                  {n(summary.health[h])}
                </span>
                <span className="health-name">{HEALTH_LABEL[h]}</span>
                {stale === undefined ? null : (
                  <span className="health-stale" data-testid={`summary-stale-${h}`}>
                    {stale}
                  </span>
                )}
              </li>
            );
          })}
        </ul>
        <div className="stat-sub" data-testid="summary-devices">
          {count(summary.devices, 'device')} on {count(summary.nodes, 'node')}
          {summary.health.unknown === 0
            ? ''
            : ` · ${n(summary.health.unknown)} without health data`}
        </div>
      </div>
      <Stat label="Mean utilization" stat={summary.utilization} testId="summary-utilization" />
      <Stat label="HBM used" stat={summary.memory} testId="summary-memory" />
      <Stat label="Power" stat={summary.power} testId="summary-power" />
    </section>
  );
}

function Stat({ label, stat, testId }: { label: string; stat: SummaryStat; testId: string }) {
  return (
    <div className="stat" data-testid={testId}>
      <div className="stat-label">{label}</div>
      <div className={stat.withData === 0 ? 'stat-value no-data' : 'stat-value'}>{stat.text}</div>
      {stat.detail ? <div className="stat-sub">{stat.detail}</div> : null}
      <div className="stat-sub">
        {stat.noData === 0
          ? `all ${count(stat.withData, 'device')}`
          : `${stat.withData.toLocaleString('en')} of ${count(stat.withData + stat.noData, 'device')}`}
      </div>
    </div>
  );
}
