/**
 * Badges of open diagnoses on the heatmap's cells: each cell's worst diagnosis as a badge level,
 * drawn as a shape and a colour (paintFleet.ts), and the same shapes as text marks for the
 * tooltip, the drawer and the legend.
 */
import type { Severity } from '../../../../collector/core/protocol/spec.js';
import { deviceKeyOf, type OpenDiagnosis } from '../../lib/diagnoses.js';
import { BADGE_CRITICAL, BADGE_ERROR, BADGE_NONE, BADGE_WARNING } from './paintFleet.js';
import type { FleetCell } from './types.js';

const LEVEL: Record<Severity, number> = {
  critical: BADGE_CRITICAL,
  error: BADGE_ERROR,
  warning: BADGE_WARNING,
  info: BADGE_NONE,
};

/** The canvas shapes as characters: diamond, triangle, circle. */
export const BADGE_MARKS: Record<Severity, string> = {
  critical: '◆',
  error: '▲',
  warning: '●',
  info: '',
};

/** Per cell (in `cells` order), the badge of its worst open diagnosis, or BADGE_NONE. */
export function badgeLevels(
  cells: readonly FleetCell[],
  diagnoses: ReadonlyMap<string, readonly OpenDiagnosis[]>,
): Int8Array {
  const out = new Int8Array(cells.length).fill(BADGE_NONE);
  for (let i = 0; i < cells.length; i++) {
    const list = diagnoses.get(deviceKeyOf(cells[i]!.node, cells[i]!.device.id));
    // Lists are worst first (lib/diagnoses.ts).
    if (list && list.length > 0) out[i] = LEVEL[list[0]!.severity];
  }
  return out;
}
