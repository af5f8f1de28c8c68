/**
 * The device heatmap panel: one cell per GPU/NPU coloured by the chosen metric, a colour scale with
 * units, and, when the machine has no accelerator, what the collector tried instead.
 */
import { useMemo } from 'react';

import { EChart } from '../../charts/EChart.js';
import { useElementWidth } from '../../hooks/useElementWidth.js';
import { heatmapLayout, heatmapOption } from './heatmapOption.js';
import { MetricSelector } from './MetricSelector.js';
import { NoDevices } from './NoDevices.js';
import type { HeatmapMetric, HeatmapModel } from './prepareHeatmap.js';
import { ScaleLegend } from './ScaleLegend.js';

export interface DeviceHeatmapProps {
  model: HeatmapModel;
  onMetricChange: (metric: HeatmapMetric) => void;
}

/** Screen readers get the cells as words; past this many a summary is kinder than a list. */
const MAX_SPOKEN_CELLS = 64;

export function DeviceHeatmap({ model, onMetricChange }: DeviceHeatmapProps) {
  const [box, width] = useElementWidth<HTMLDivElement>();
  const layout = useMemo(() => heatmapLayout(model, width), [model, width]);
  const option = useMemo(() => heatmapOption(model, layout), [model, layout]);
  const devices = model.cells.length;

  return (
    <section className="panel" aria-labelledby="devices-title">
      <header className="panel-header">
        <h2 id="devices-title">Devices</h2>
        {devices > 0 ? (
          <span className="panel-meta">
            {devices} {devices === 1 ? 'device' : 'devices'}
          </span>
        ) : null}
        <div className="spacer" />
        {devices > 0 ? <ScaleLegend rangeText={model.rangeText} /> : null}
        {devices > 0 ? <MetricSelector value={model.metric} onChange={onMetricChange} /> : null}
      </header>
      <div ref={box} className="panel-body">
        {model.waiting ? (
          <div className="placeholder">Waiting for the collector’s inventory…</div>
        ) : model.empty ? (
          <NoDevices probes={model.probes} />
        ) : (
          <EChart
            option={option}
            height={layout.height}
            ariaLabel={spoken(model)}
            testId="device-heatmap"
          />
        )}
      </div>
    </section>
  );
}

function spoken(model: HeatmapModel): string {
  const cells = model.cells.slice(0, MAX_SPOKEN_CELLS).map((c) => {
    const value = c.value === null ? `no data (${c.noData})` : c.text;
    return `${c.label} ${c.name}: ${value}`;
  });
  const more = model.cells.length - cells.length;
  return (
    `Device heatmap by ${model.metricLabel.toLowerCase()}: ${cells.join('; ')}` +
    (more > 0 ? `; and ${more} more` : '')
  );
}
