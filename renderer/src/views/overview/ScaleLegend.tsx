import { HEATMAP_COLORS } from '../../charts/theme.js';

/** The colour scale with its ends in units, and the look of "no data". */
export function ScaleLegend({ rangeText }: { rangeText: [string, string] }) {
  return (
    <div
      className="scale-legend"
      aria-label={`Colour scale from ${rangeText[0]} to ${rangeText[1]}`}
    >
      <span>{rangeText[0]}</span>
      <span
        className="scale-bar"
        style={{ background: `linear-gradient(to right, ${HEATMAP_COLORS.join(', ')})` }}
      />
      <span>{rangeText[1]}</span>
      <span className="scale-nodata" />
      <span>no data</span>
    </div>
  );
}
