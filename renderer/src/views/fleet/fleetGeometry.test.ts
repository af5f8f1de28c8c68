import { describe, expect, it } from 'vitest';

import { cellAt, fleetGeometry } from './fleetGeometry.js';
import { prepareFleetLayout } from './prepareFleetLayout.js';
import { fleetStore } from '../../testing/fleetStore.js';
import type { FleetOptions } from './types.js';

const options: FleetOptions = {
  metric: 'device.utilization',
  group: 'none',
  sort: 'node',
  filter: {},
};

describe('fleetGeometry', () => {
  it('sets 512 nodes × 8 devices in bands that fit a laptop screen', () => {
    const layout = prepareFleetLayout(fleetStore(512), options);
    const g = fleetGeometry(layout, { width: 1150, heightBudget: 700, labelWidth: 60 });
    expect(g.cells).toHaveLength(4096);
    expect(g.bands).toBeGreaterThanOrEqual(4);
    expect(g.cell).toBeGreaterThanOrEqual(12);
    expect(g.bands * (g.bandWidth + 24) - 24).toBeLessThanOrEqual(1150);
    // Down the first band, then the next.
    const perBand = g.sections[0]!.rowsPerBand;
    expect(g.rows[perBand]!.x).toBeGreaterThan(0);
    expect(g.rows[perBand]!.y).toBe(g.rows[0]!.y);
  });

  it('gives up to 64 devices named tiles of 56 px, and more devices cells of 28 px', () => {
    const few = prepareFleetLayout(fleetStore(8), options);
    expect(few.totalDevices).toBe(64);
    expect(fleetGeometry(few, { width: 1150, heightBudget: 700, labelWidth: 60 }).cell).toBe(56);
    const more = prepareFleetLayout(fleetStore(9), options);
    expect(fleetGeometry(more, { width: 1150, heightBudget: 700, labelWidth: 60 }).cell).toBe(28);
  });

  it('finds the cell under the pointer, and none between cells', () => {
    const layout = prepareFleetLayout(fleetStore(64), { ...options, group: 'vendor' });
    const g = fleetGeometry(layout, { width: 900, heightBudget: 400, labelWidth: 60 });
    for (const i of [0, 17, 300, g.cells.length - 1]) {
      expect(cellAt(g, g.cellX[i]! + 1, g.cellY[i]! + g.cell - 1)).toBe(i);
    }
    expect(cellAt(g, g.cellX[0]! + g.cell + 0.5, g.cellY[0]! + 1)).toBe(-1);
    expect(cellAt(g, 2, 2)).toBe(-1);
  });
});
