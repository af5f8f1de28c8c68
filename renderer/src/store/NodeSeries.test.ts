import { describe, expect, it } from 'vitest';

import { metricsSamples } from '../../../collector/core/protocol/grids.js';
import type { Grid, Sample } from '../../../collector/core/protocol/spec.js';
import { metrics } from '../testing/messages.js';
import { LiveStore } from './LiveStore.js';
import { MAX_SERIES_PER_NODE } from './NodeSeries.js';

function feed(store: LiveStore, ts: number, samples: Sample[]): void {
  store.ingest({ receivedAt: ts, messages: [metrics(ts, samples)] });
}

describe('series interning', () => {
  it('tells label sets apart past the linear-scan limit, in any key order', () => {
    const store = new LiveStore();
    const core = (cpu: number, v: number, reversed = false): Sample => ({
      m: 'host.cpu.core.utilization',
      v,
      l: reversed ? { x: 'y', cpu: String(cpu) } : { cpu: String(cpu), x: 'y' },
    });
    feed(
      store,
      1000,
      Array.from({ length: 20 }, (_, i) => core(i, i)),
    );
    feed(
      store,
      2000,
      Array.from({ length: 20 }, (_, i) => core(i, 100 + i, true)),
    );
    const all = store.series('box', 'host.cpu.core.utilization');
    expect(all).toHaveLength(20);
    expect(
      store.latest('box', 'host.cpu.core.utilization', undefined, { x: 'y', cpu: '13' }),
    ).toEqual({
      v: 113,
      ts: 2000,
    });
    expect(all[13]!.history.toPoints()).toEqual([
      [1000, 13],
      [2000, 113],
    ]);
  });

  it('keeps a series without labels apart from labelled ones of the same metric', () => {
    const store = new LiveStore();
    feed(store, 1000, [
      { m: 'engine.requests.running', v: 1 },
      { m: 'engine.requests.running', v: 2, l: { engine: 'vllm-0' } },
      { m: 'engine.requests.running', v: 3, l: {} },
    ]);
    expect(store.latest('box', 'engine.requests.running')?.v).toBe(3);
    expect(store.latest('box', 'engine.requests.running', undefined, { engine: 'vllm-0' })?.v).toBe(
      2,
    );
    expect(store.series('box', 'engine.requests.running')).toHaveLength(2);
  });

  it('lists every series of one device, and of the node itself', () => {
    const store = new LiveStore();
    feed(store, 1000, [
      { m: 'device.utilization', v: 1, d: 'a' },
      { m: 'device.power', v: 2, d: 'a' },
      { m: 'device.utilization', v: 3, d: 'b' },
      { m: 'host.cpu.utilization', v: 4 },
    ]);
    expect(store.seriesOf('box', 'a').map((s) => s.metric)).toEqual([
      'device.utilization',
      'device.power',
    ]);
    expect(store.seriesOf('box').map((s) => s.metric)).toEqual(['host.cpu.utilization']);
    expect(store.seriesOf('nowhere', 'a')).toEqual([]);
    expect(store.find('box', 'device.power', 'a')).toMatchObject({ value: 2, time: 1000 });
  });

  it('dates a slower-polled value by its own time, charted at the ticks that carried it', () => {
    const store = new LiveStore();
    feed(store, 5000, [{ m: 'device.power', v: 300, d: 'a', t: 2000 }]);
    feed(store, 6000, [{ m: 'device.power', v: 300, d: 'a', t: 2000 }]);
    expect(store.latest('box', 'device.power', 'a')).toEqual({ v: 300, ts: 2000 });
    expect(store.series('box', 'device.power', 'a')[0]!.history.toPoints()).toEqual([
      [5000, 300],
      [6000, 300],
    ]);
  });

  it('holds history in float32 when asked, latest values exact', () => {
    const store = new LiveStore({ capacity: 4, precision: 'float32' });
    feed(store, 1000, [{ m: 'host.cpu.utilization', v: 23.4 }]);
    const s = store.series('box', 'host.cpu.utilization')[0]!;
    expect(s.latest.v).toBe(23.4);
    expect(s.history.valueAt(0)).toBe(Math.fround(23.4));
  });

  it('stops creating series for a node that sends too many, and counts what it dropped', () => {
    // All new series at once: the per-batch creation limit is StoreBudget.test's matter.
    const store = new LiveStore({
      capacity: 1,
      limits: { newSeriesPerBatch: 2 * 65_536 },
      workClock: () => 0,
    });
    const many = (from: number, n: number): Sample[] =>
      Array.from({ length: n }, (_, i) => ({ m: `x.${from + i}`, v: 1 }));
    feed(store, 1000, many(0, 65_536));
    feed(store, 2000, [...many(65_536, 3), { m: 'x.0', v: 2 }]);
    expect(MAX_SERIES_PER_NODE).toBe(65_536);
    expect(store.droppedSamples).toBe(3);
    expect(store.latest('box', 'x.0')?.v).toBe(2);
  });
});

describe('grids', () => {
  const devices: Grid = {
    rows: [{ d: 'GPU-0' }, { d: 'GPU-1' }],
    cols: [{ m: 'device.utilization' }, { m: 'device.temperature' }],
    v: [87, 61, null, 45],
  };
  const engines: Grid = {
    rows: [{ l: { engine: 'vllm-0' } }, { l: { engine: 'vllm-1' } }],
    cols: [{ m: 'engine.requests.running' }, { m: 'engine.latency.ttft', l: { q: 'p99' } }],
    v: [12, 0.25, 3, 0.5],
  };
  const withValues = (g: Grid, v: (number | null)[]): Grid => ({ ...g, v });

  /** Every series' latest value and history, in a form two stores can be compared by. */
  function contents(store: LiveStore): unknown[] {
    const out: unknown[] = [];
    for (const d of [undefined, 'GPU-0', 'GPU-1']) {
      for (const s of store.seriesOf('box', d)) {
        out.push([s.device, s.metric, s.labels, s.latest, s.history.toPoints()]);
      }
    }
    return out.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  }

  it('hold exactly what the same values sent as samples hold, over layout changes', () => {
    const byGrid = new LiveStore();
    const bySample = new LiveStore();
    const fan: Sample = { m: 'device.fan', v: null, d: 'GPU-1', s: 'unsupported', raw: '[N/A]' };
    const ticks: [number, Grid[], Sample[]][] = [
      [1000, [devices, engines], [fan]],
      [2000, [withValues(devices, [88, 62, 40, 46]), withValues(engines, [13, 0.3, 4, 0.6])], []],
      // The rows swap: the layout no longer fits and is resolved again.
      [3000, [{ ...devices, rows: [{ d: 'GPU-1' }, { d: 'GPU-0' }], v: [41, 47, 89, 63] }], []],
      // A sample overrides a grid cell of the same series.
      [4000, [devices], [{ m: 'device.utilization', d: 'GPU-0', v: 5 }]],
    ];
    for (const [ts, grids, samples] of ticks) {
      const message = { ...metrics(ts, samples), grids };
      byGrid.ingest({ receivedAt: ts, messages: [message] });
      const expanded = { ...metrics(ts, metricsSamples(message)) };
      bySample.ingest({ receivedAt: ts, messages: [expanded] });
    }
    expect(contents(byGrid)).toEqual(contents(bySample));
    expect(byGrid.latest('box', 'device.utilization', 'GPU-0')?.v).toBe(5);
    expect(byGrid.latest('box', 'device.utilization', 'GPU-1')?.v).toBeNull();
    expect(
      byGrid.latest('box', 'engine.latency.ttft', undefined, { engine: 'vllm-1', q: 'p99' }),
    ).toEqual({ v: 0.6, ts: 2000 });
  });

  it('keep a null cell absent, as missing, not zero', () => {
    const store = new LiveStore();
    store.ingest({ receivedAt: 1000, messages: [{ ...metrics(1000, []), grids: [devices] }] });
    expect(store.series('box', 'device.utilization', 'GPU-1')[0]!.latest).toEqual({
      v: null,
      ts: 1000,
      s: 'missing',
    });
  });
});
