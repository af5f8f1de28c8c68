/**
 * One panel: title, the metric it reads (and which naming generation), its own controls, and
 * its body — the chart, or plainly why there is none (loading, error, no data, unavailable).
 */
import { useMemo, type ReactNode } from 'react';

import { TimeChart } from '../../time/TimeChart.js';
import { heatmapOption, heatmapScaleText } from './heatmapOption.js';
import { lineChartOption } from './lineChartOption.js';
import type { PanelSpec } from './panels.js';
import type { PanelView } from './preparePanel.js';

export interface LatencyPanelProps {
  spec: PanelSpec;
  view: PanelView;
  caption: string;
  controls?: ReactNode;
  onZoom: (from: number, to: number) => void;
}

const CHART_HEIGHT = 170;
const HEATMAP_HEIGHT = 230;

export function LatencyPanel({ spec, view, caption, controls, onZoom }: LatencyPanelProps) {
  const option = useMemo(() => {
    if (view.heatmap) return heatmapOption(view.heatmap);
    return view.line ? lineChartOption(view.line) : undefined;
  }, [view.heatmap, view.line]);
  // An error with a chart model is a failed refresh over data already held: keep drawing it.
  const drawable = option !== undefined && view.state !== 'empty' && view.state !== 'unavailable';
  const hasData = view.line?.series.length || view.heatmap?.rows.length;
  return (
    <section
      className={`panel latency-panel${spec.wide ? ' wide' : ''}`}
      data-testid={`latency-panel-${spec.id}`}
      data-state={view.state}
      aria-labelledby={`latency-${spec.id}-title`}
      aria-busy={view.state === 'loading'}
    >
      <header className="panel-header latency-panel-header">
        <h2 id={`latency-${spec.id}-title`}>{spec.title}</h2>
        {view.state === 'loading' ? <span className="latency-loading">loading…</span> : null}
        {view.heatmap && view.state === 'ready' ? <HeatScale view={view} /> : null}
        {view.latest.length > 0 ? <Latest view={view} /> : null}
        <div className="spacer" />
        {controls}
      </header>
      <div className="latency-panel-body">
        {drawable && hasData ? (
          <TimeChart
            option={option}
            height={spec.wide ? HEATMAP_HEIGHT : CHART_HEIGHT}
            ariaLabel={`${spec.title} over the selected range`}
            onZoom={onZoom}
          />
        ) : (
          <Placeholder view={view} height={spec.wide ? HEATMAP_HEIGHT : CHART_HEIGHT} />
        )}
        {view.message && drawable && hasData ? (
          <p
            className={view.state === 'error' ? 'latency-note error' : 'latency-note'}
            role={view.state === 'error' ? 'alert' : undefined}
          >
            {view.message}
          </p>
        ) : null}
        {view.warnings.length > 0 ? (
          <p className="latency-note warn" title={view.warnings.join('\n')}>
            Prometheus warned: {view.warnings[0]}
          </p>
        ) : null}
      </div>
      <footer className="latency-caption" title={caption}>
        {caption ? `from ${caption}` : '\u00a0'}
      </footer>
    </section>
  );
}

function Placeholder({ view, height }: { view: PanelView; height: number }) {
  const text =
    view.state === 'loading'
      ? 'Loading…'
      : (view.message ?? (view.state === 'error' ? 'Query failed' : 'No data'));
  return (
    <div
      className={`latency-placeholder state-${view.state}`}
      style={{ height }}
      role={view.state === 'error' ? 'alert' : undefined}
    >
      {view.state === 'error' ? <strong>Query failed</strong> : null}
      {view.state === 'unavailable' ? <strong>Not available</strong> : null}
      {view.state === 'empty' ? <strong>No data</strong> : null}
      <span>{view.state === 'error' || view.state !== 'loading' ? text : 'Loading…'}</span>
    </div>
  );
}

/** The newest value of each line, "p99 412 ms", in the series' colour order. */
function Latest({ view }: { view: PanelView }) {
  return (
    <span className="latency-latest" aria-label="Newest values">
      {view.latest.map((l) => (
        <span
          key={l.name}
          className={l.live ? 'latest live' : 'latest'}
          data-series={l.name}
          data-value={l.value}
          title={l.live ? 'newest value from the live NATS feed' : 'newest value from Prometheus'}
        >
          <span className="latest-name">{l.name}</span> {l.text}
        </span>
      ))}
    </span>
  );
}

function HeatScale({ view }: { view: PanelView }) {
  const [lo, hi] = heatmapScaleText(view.heatmap!);
  return (
    <span className="scale-legend" aria-label={`colour scale ${lo} to ${hi}`}>
      {lo}
      <span className="heat-bar" aria-hidden />
      {hi}
    </span>
  );
}
