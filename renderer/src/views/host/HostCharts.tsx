/** CPU, memory, network and disk of one node, over the last minutes. */
import { useMemo } from 'react';

import { EChart } from '../../charts/EChart.js';
import { hostChartOption } from './hostChartOption.js';
import type { HostChart } from './prepareHostCharts.js';

const CHART_HEIGHT = 160;
const NOUN: Record<HostChart['id'], string> = {
  cpu: 'CPU',
  memory: 'memory',
  network: 'network',
  disk: 'disk',
};

export function HostCharts({ charts }: { charts: HostChart[] }) {
  return (
    <div className="host-charts">
      {charts.map((chart) => (
        <HostChartPanel key={chart.id} chart={chart} />
      ))}
    </div>
  );
}

function HostChartPanel({ chart }: { chart: HostChart }) {
  const option = useMemo(() => hostChartOption(chart), [chart]);
  const titleId = `host-${chart.id}-title`;
  return (
    <section className="panel" aria-labelledby={titleId}>
      <header className="panel-header">
        <h2 id={titleId}>{chart.title}</h2>
        <span className="panel-stat" data-testid={`host-${chart.id}-summary`}>
          {chart.summary}
        </span>
      </header>
      <div className="panel-body">
        {!chart.hasValues ? (
          <div className="placeholder" style={{ height: CHART_HEIGHT }}>
            No {NOUN[chart.id]} data yet
          </div>
        ) : (
          <EChart
            option={option}
            height={CHART_HEIGHT}
            ariaLabel={`${chart.title} chart: ${chart.pointCount} points, latest ${chart.summary}`}
            testId={`host-${chart.id}-chart`}
            data={{ 'data-points': chart.pointCount }}
          />
        )}
      </div>
    </section>
  );
}
