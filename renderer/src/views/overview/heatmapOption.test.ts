import { describe, expect, it } from 'vitest';

import { LiveStore } from '../../store/LiveStore.js';
import { H100, inventory, metrics } from '../../testing/messages.js';
import { heatmapLayout, heatmapOption, labelColor } from './heatmapOption.js';
import { prepareHeatmap } from './prepareHeatmap.js';

function model() {
  const store = new LiveStore();
  const other = { ...H100, id: 'GPU-1', uuid: 'GPU-1', index: 1, name: '<b>Evil</b> GPU' };
  store.ingest({
    receivedAt: 1000,
    messages: [
      inventory([H100, other]),
      metrics(1000, [
        { m: 'device.utilization', v: 80, d: H100.id },
        { m: 'device.utilization', v: null, d: 'GPU-1', s: 'unsupported', raw: '[N/A]' },
      ]),
    ],
  });
  return prepareHeatmap(store, 'device.utilization', 1000);
}

type Series = Array<{ id: string; data: Array<{ value: number[] }> }>;

describe('heatmapOption', () => {
  it('puts cells with a value and cells without into separate series', () => {
    const m = model();
    const option = heatmapOption(m, heatmapLayout(m, 800));
    const series = option.series as Series;
    expect(series.map((s) => [s.id, s.data.map((d) => d.value)])).toEqual([
      ['values', [[0, 0, 0.8]]],
      ['no-data', [[1, 0, 0]]],
    ]);
  });

  it('escapes wire text in tooltips, which ECharts renders as HTML', () => {
    const m = model();
    const option = heatmapOption(m, heatmapLayout(m, 800));
    const formatter = (option.tooltip as { formatter: (p: unknown) => string }).formatter;
    const cell = (option.series as Array<{ data: Array<{ cell: unknown }> }>)[1]!.data[0]!.cell;
    const html = formatter({ data: { cell } });
    expect(html).toContain('&lt;b&gt;Evil&lt;/b&gt; GPU');
    expect(html).not.toContain('<b>Evil');
    expect(html).toContain('Utilization: no data: unsupported ([N/A])');
  });

  it('places the tooltip beside the hovered cell, not at the pointer over it', () => {
    const m = model();
    const option = heatmapOption(m, heatmapLayout(m, 800));
    type Position = (...args: unknown[]) => [number, number];
    const position = (option.tooltip as { position: Position }).position;
    const rect = { x: 100, y: 8, width: 90, height: 60 };
    const size = { contentSize: [200, 50], viewSize: [800, 76] };
    expect(position([140, 30], {}, null, rect, size)).toEqual([198, 13]);
    // Without a cell box (ECharts gives none off an element), beside the pointer.
    expect(position([140, 30], {}, null, undefined, size)).toEqual([148, 5]);
  });

  it('sizes cells to the width within readable bounds', () => {
    const m = model();
    expect(heatmapLayout(m, 2000).cellWidth).toBe(148);
    expect(heatmapLayout(m, 100).cellWidth).toBe(72);
    expect(heatmapLayout(m, 800).height).toBe(76);
  });

  it('writes dark text on bright cells and light text on dark ones', () => {
    expect(labelColor(0.9)).not.toBe(labelColor(0.1));
  });
});
