import { describe, expect, it } from 'vitest';

import { tooltipBeside, type Rect } from './tooltipBeside.js';

function overlaps(cell: Rect, [x, y]: [number, number], [w, h]: [number, number]): boolean {
  return x < cell.x + cell.width && x + w > cell.x && y < cell.y + cell.height && y + h > cell.y;
}

const cell: Rect = { x: 100, y: 20, width: 80, height: 60 };

describe('tooltipBeside', () => {
  it('puts the tooltip right of the cell, centred on it, when there is room', () => {
    expect(tooltipBeside(cell, [200, 40], [800, 200])).toEqual([188, 30]);
  });

  it('goes left of a cell at the right edge', () => {
    const edge = { ...cell, x: 700 };
    expect(tooltipBeside(edge, [200, 40], [800, 200])).toEqual([492, 30]);
  });

  it('goes below when neither side has room, and keeps inside the chart', () => {
    const wide = { x: 100, y: 0, width: 600, height: 60 };
    const at = tooltipBeside(wide, [250, 40], [800, 200]);
    expect(at).toEqual([275, 68]);
    expect(overlaps(wide, at, [250, 40])).toBe(false);
  });

  it('keeps the tooltip inside the chart vertically beside a cell at the top', () => {
    const top = { ...cell, y: 0, height: 20 };
    expect(tooltipBeside(top, [200, 120], [800, 200])[1]).toBe(0);
  });

  it('never covers the hovered cell of a one-row heatmap at any column that leaves room', () => {
    const view: [number, number] = [900, 76];
    const size: [number, number] = [220, 70];
    for (let i = 0; i < 8; i++) {
      const c = { x: 120 + i * 95, y: 8, width: 95, height: 60 };
      expect(overlaps(c, tooltipBeside(c, size, view), size)).toBe(false);
    }
  });
});
