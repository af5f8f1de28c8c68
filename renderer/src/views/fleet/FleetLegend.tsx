/** What the colours mean: the scale with its ends in units (or health states), and no-data looks. */
import { HEALTH_COLORS, VIRIDIS } from './colorScale.js';
import { HEALTH_LABEL } from './fleetMetrics.js';
import type { Health } from './types.js';

export interface FleetLegendProps {
  health: boolean;
  /** The scale's ends with units: "0 %", "100 %". */
  rangeText: [string, string];
}

const STEPS = VIRIDIS.filter((_, i) => i % 32 === 0 || i === VIRIDIS.length - 1);
const STATES: readonly Health[] = ['ok', 'warning', 'alarm', 'critical'];

export function FleetLegend({ health, rangeText }: FleetLegendProps) {
  return (
    <div className="fleet-legend" data-testid="fleet-legend">
      {health ? (
        STATES.map((h) => (
          <span key={h} className="legend-item">
            <span className="legend-swatch" style={{ background: HEALTH_COLORS[h] }} />
            {HEALTH_LABEL[h]}
          </span>
        ))
      ) : (
        <span
          className="legend-item"
          aria-label={`Colour scale from ${rangeText[0]} to ${rangeText[1]}`}
        >
          <span>{rangeText[0]}</span>
          <span
            className="scale-bar"
            style={{ background: `linear-gradient(to right, ${STEPS.join(', ')})` }}
          />
          <span>{rangeText[1]}</span>
        </span>
      )}
      <span className="legend-item">
        <span className="legend-swatch swatch-stale" />
        stale
      </span>
      <span className="legend-item">
        <span className="legend-swatch swatch-absent" />
        unsupported
      </span>
      <span className="legend-item">
        <span className="legend-swatch swatch-missing" />
        not reported
      </span>
    </div>
  );
}
