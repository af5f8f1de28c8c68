/**
 * What the colours mean: the scale with its ends in units, in % of each device's own limit, or the
 * states' words (a state metric is coloured by category, never on a numeric scale); the no-data
 * looks; and the diagnosis badges' shapes when any cell carries one.
 */
import type { Severity } from '../../../../collector/core/protocol/spec.js';
import { VIRIDIS } from './colorScale.js';
import type { StateCategory } from './deviceStates.js';
import { BADGE_MARKS } from './fleetBadges.js';
import { SEVERITY_LABEL } from '../../../../collector/core/diagnosis/severity.js';

export interface FleetLegendProps {
  /** A state metric's categories, mildest first. */
  categories?: readonly StateCategory[] | undefined;
  /** The scale is in % of each device's own limit (power limit, memory capacity). */
  relative?: boolean;
  /** The scale's ends with units: "0 %", "100 %". */
  rangeText: [string, string];
  /** Severities of the badges shown on cells, worst first. */
  badges?: readonly Severity[];
}

const STEPS = VIRIDIS.filter((_, i) => i % 32 === 0 || i === VIRIDIS.length - 1);

export function FleetLegend({ categories, relative, rangeText, badges = [] }: FleetLegendProps) {
  return (
    <div className="fleet-legend" data-testid="fleet-legend">
      {categories ? (
        categories.map((c) => (
          <span key={c.label} className="legend-item">
            <span className="legend-swatch" style={{ background: c.color }} />
            {c.label}
          </span>
        ))
      ) : (
        <span
          className="legend-item"
          aria-label={
            relative
              ? `Colour scale from 0 % to 100 % of each device’s own limit`
              : `Colour scale from ${rangeText[0]} to ${rangeText[1]}`
          }
        >
          <span>{relative ? '0' : rangeText[0]}</span>
          <span
            className="scale-bar"
            style={{ background: `linear-gradient(to right, ${STEPS.join(', ')})` }}
          />
          <span>{relative ? '100 % of limit' : rangeText[1]}</span>
        </span>
      )}
      <span className="legend-item">
        <span className="legend-swatch swatch-stale" />
        stale
      </span>
      <span className="legend-item">
        <span className="legend-swatch swatch-absent" />
        {relative ? 'unsupported or no limit' : 'unsupported'}
      </span>
      <span className="legend-item">
        <span className="legend-swatch swatch-missing" />
        not reported
      </span>
      {badges.map((s) => (
        <span key={s} className={`legend-item legend-badge severity-${s}`}>
          <span className="badge-mark" aria-hidden="true">
            {BADGE_MARKS[s]}
          </span>
          {SEVERITY_LABEL[s]} diagnosis
        </span>
      ))}
    </div>
  );
}
