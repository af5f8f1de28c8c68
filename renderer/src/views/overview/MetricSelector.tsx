import { HEATMAP_METRICS } from '../../../../collector/core/catalog.js';
import { HEATMAP_METRIC_LABELS, type HeatmapMetric } from './prepareHeatmap.js';

export interface MetricSelectorProps {
  value: HeatmapMetric;
  onChange: (metric: HeatmapMetric) => void;
}

/** The heatmap's colour-by choice, as a segmented control. */
export function MetricSelector({ value, onChange }: MetricSelectorProps) {
  return (
    <div className="segmented" role="radiogroup" aria-label="Colour devices by">
      {HEATMAP_METRICS.map((metric) => (
        <button
          key={metric}
          type="button"
          role="radio"
          aria-checked={metric === value}
          className={metric === value ? 'active' : undefined}
          onClick={() => onChange(metric)}
        >
          {HEATMAP_METRIC_LABELS[metric]}
        </button>
      ))}
    </div>
  );
}
