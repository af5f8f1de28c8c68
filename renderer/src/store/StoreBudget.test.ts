import { describe, expect, it } from 'vitest';

import { BOMB_COLS, BOMB_ROWS, bombMetrics, bombNodeName } from '../testing/seriesBomb.js';
import { H100, inventory, metrics } from '../testing/messages.js';
import { MAX_NEW_SERIES_PER_BATCH, MAX_SERIES } from './budget.js';
import { LiveStore } from './LiveStore.js';

const util = (v: number, node: string, ts: number) =>
  metrics(ts, [{ m: 'device.utilization', v, d: H100.id }], { node });

/** Two series a message: utilization and temperature of one device. */
const two = (node: string, ts: number) =>
  metrics(
    ts,
    [
      { m: 'device.utilization', v: 1, d: H100.id },
      { m: 'device.temperature', v: 2, d: H100.id },
    ],
    { node },
  );

/** The same two series as one grid (a row of one device, two metric columns). */
const twoGrid = (node: string, ts: number) => ({
  ...metrics(ts, [], { node }),
  grids: [
    {
      rows: [{ d: H100.id }],
      cols: [{ m: 'device.utilization' }, { m: 'device.temperature' }],
      v: [1, 2],
    },
  ],
});

describe('LiveStore budget', () => {
  it('holds at most MAX_SERIES under a 48-node × 65,536-series bomb, says what it refused, and keeps a good node flowing', () => {
    const store = new LiveStore({ capacity: 4, precision: 'float32' });
    store.ingest({ receivedAt: 1000, messages: [util(50, 'good', 1000)] });
    // One batch a second of every bomb's message, until the store is full (4,096 new series a
    // batch), then one batch more.
    const rounds = Math.ceil(MAX_SERIES / MAX_NEW_SERIES_PER_BATCH) + 2;
    let before = 0;
    const bombs = Array.from({ length: 48 }, (_, i) => bombMetrics(bombNodeName(i), 0));
    for (let r = 1; r <= rounds; r++) {
      const ts = 1000 + r * 1000;
      before = store.budgetReport.refusedSamples;
      for (const m of bombs) m.ts = ts;
      store.ingest({ receivedAt: ts, messages: [...bombs, util(60, 'good', ts)] });
    }

    const report = store.budgetReport;
    expect(report.series).toBeLessThanOrEqual(MAX_SERIES);
    // Counted independently of the budget's own count: every series a view can reach.
    let reachable = 0;
    for (const node of store.nodes()) {
      reachable += store.seriesOf(node.node).length;
      for (const d of store.reportedDevices(node.node))
        reachable += store.seriesOf(node.node, d).length;
    }
    expect(reachable).toBe(report.series);
    // The good node's series and two whole bombs fit, the third but one of its series.
    const perBomb = BOMB_ROWS * BOMB_COLS;
    const held = Math.floor((MAX_SERIES - 1) / perBomb);
    const partial = MAX_SERIES - 1 - held * perBomb;
    expect(report.series).toBe(MAX_SERIES);
    expect(report.refusedSamples - before).toBe(48 * perBomb - held * perBomb - partial);
    expect(store.problems().map((p) => p.message)).toEqual([
      `${report.refusedSamples.toLocaleString('en')} samples refused: the console holds at most 196,608 series (${48 - held} nodes refused, sending up to 65,536 series a message)`,
    ]);
    const last = 1000 + rounds * 1000;
    expect(store.latest('good', 'device.utilization', H100.id)).toEqual({ v: 60, ts: last });
  }, 60_000);

  it('creates at most MAX_NEW_SERIES_PER_BATCH series a batch, the rest with the node’s next messages', () => {
    const store = new LiveStore({ capacity: 4 });
    store.ingest({ receivedAt: 0, messages: [util(1, 'good', 0)] });
    const perBomb = BOMB_ROWS * BOMB_COLS;
    const batches = Math.ceil(perBomb / MAX_NEW_SERIES_PER_BATCH);
    const seen: number[] = [];
    for (let b = 1; b <= batches; b++) {
      const ts = b * 1000;
      store.ingest({ receivedAt: ts, messages: [bombMetrics('bomb', ts), util(b, 'good', ts)] });
      seen.push(store.budgetReport.series - 1);
      // A node the store holds keeps flowing meanwhile.
      expect(store.latest('good', 'device.utilization', H100.id)?.v).toBe(b);
    }
    expect(seen.slice(0, 2)).toEqual([MAX_NEW_SERIES_PER_BATCH, 2 * MAX_NEW_SERIES_PER_BATCH]);
    expect(seen.at(-1)).toBe(perBomb);
    const skipped = seen.reduce((sum, _, i) => sum + perBomb - seen[i]!, 0);
    expect(store.budgetReport).toMatchObject({ deferredSamples: skipped, refusedSamples: 0 });
    expect(store.problems()).toEqual([]);
  });

  it('evicts the least recently seen silent node first to make room for a new one', () => {
    const store = new LiveStore({ limits: { maxNodes: 3, evictableAfterMs: 30_000 } });
    store.ingest({ receivedAt: 0, messages: [util(1, 'a', 0)] });
    store.ingest({ receivedAt: 10_000, messages: [util(1, 'b', 10_000)] });
    store.ingest({ receivedAt: 20_000, messages: [util(1, 'c', 20_000)] });
    // a is older than b, but b speaks again: c becomes the second least recently seen.
    store.ingest({ receivedAt: 25_000, messages: [util(2, 'a', 25_000)] });
    store.ingest({ receivedAt: 55_000, messages: [util(1, 'd', 55_000)] });
    expect(store.nodes().map((n) => n.node)).toEqual(['a', 'c', 'd']);
    store.ingest({ receivedAt: 56_000, messages: [util(1, 'e', 56_000)] });
    expect(store.nodes().map((n) => n.node)).toEqual(['a', 'd', 'e']);
    expect(store.budgetReport).toMatchObject({ evictedNodes: 2, evictedSeries: 2 });
    expect(store.problems().map((p) => p.message)).toEqual([
      '2 nodes evicted (2 series) to make room: the least recently seen, silent for 30 s, never one on screen',
    ]);
  });

  it('never evicts a retained (on-screen) node, and refuses a new node when only those could go', () => {
    const store = new LiveStore({ limits: { maxNodes: 2, evictableAfterMs: 30_000 } });
    store.ingest({ receivedAt: 0, messages: [util(1, 'shown', 0)] });
    store.ingest({ receivedAt: 1000, messages: [util(1, 'hidden', 1000)] });
    store.retain(['shown']);
    store.ingest({ receivedAt: 10_000, messages: [util(1, 'hidden', 10_000)] });
    // 'shown' is the least recently seen and silent for 60 s, but on screen; 'hidden' spoke 50 s ago.
    store.ingest({ receivedAt: 60_000, messages: [util(1, 'new', 60_000)] });
    expect(store.nodes().map((n) => n.node)).toEqual(['shown', 'new']);
    // Now both held nodes are fresh or on screen: the next new node is refused, not let in.
    store.ingest({ receivedAt: 61_000, messages: [util(1, 'newer', 61_000)] });
    expect(store.nodes().map((n) => n.node)).toEqual(['shown', 'new']);
    expect(store.node('newer')).toBeUndefined();
    expect(store.problems().map((p) => p.message)).toEqual([
      '1 message from new nodes refused: the console holds at most 2 nodes',
      '1 node evicted (1 series) to make room: the least recently seen, silent for 30 s, never one on screen',
    ]);
  });

  it('evicts a silent node when the series budget is full, and a refused grid gets its series once there is room', () => {
    const store = new LiveStore({
      capacity: 4,
      limits: { maxSeries: 65_536 + 2, evictableAfterMs: 30_000, newSeriesPerBatch: 65_536 },
    });
    store.ingest({ receivedAt: 0, messages: [two('old', 0)] });
    store.ingest({ receivedAt: 1000, messages: [bombMetrics('bomb', 1000)] });
    // The bomb took what was left: 65,536 series, no refusal yet.
    expect(store.budgetReport).toMatchObject({ series: 65_538, refusedSamples: 0 });
    store.ingest({ receivedAt: 2000, messages: [twoGrid('late', 2000)] });
    store.ingest({ receivedAt: 3000, messages: [twoGrid('late', 3000)] });
    expect(store.budgetReport.refusedSamples).toBe(4);
    expect(store.find('late', 'device.utilization', H100.id)).toBeUndefined();
    // 40 s on, 'old' is silent long enough and 'late' speaks again: 'old' goes, 'late' gets in.
    store.ingest({ receivedAt: 40_000, messages: [bombMetrics('bomb', 40_000)] });
    store.ingest({ receivedAt: 40_000, messages: [twoGrid('late', 40_000)] });
    expect(store.node('old')).toBeUndefined();
    expect(store.latest('late', 'device.temperature', H100.id)).toEqual({ v: 2, ts: 40_000 });
    expect(store.budgetReport).toMatchObject({ series: 65_538, evictedNodes: 1, evictedSeries: 2 });
  });

  it('refuses an inventory past the inventory budget and keeps the node’s previous one', () => {
    const small = inventory([H100], undefined, { node: 'a' });
    const big = inventory(
      Array.from({ length: 64 }, (_, i) => ({ ...H100, id: `GPU-${i}`, index: i })),
      undefined,
      { node: 'a' },
    );
    const store = new LiveStore({ limits: { maxInventoryBytes: 8 * 1024 } });
    store.ingest({ receivedAt: 0, messages: [small] });
    store.ingest({ receivedAt: 1000, messages: [big] });
    expect(store.node('a')?.devices).toEqual([H100]);
    expect(store.budgetReport.inventoryBytes).toBeLessThanOrEqual(8 * 1024);
    expect(store.problems().map((p) => p.message)).toEqual([
      '1 inventory refused: the console holds at most 8 KiB of inventories',
    ]);
  });

  it('releases everything an evicted node held', () => {
    const store = new LiveStore({ limits: { maxNodes: 1, evictableAfterMs: 0 } });
    store.ingest({ receivedAt: 0, messages: [inventory([H100], undefined, { node: 'a' })] });
    store.ingest({ receivedAt: 0, messages: [two('a', 0)] });
    const one = store.budgetReport;
    store.ingest({ receivedAt: 1000, messages: [inventory([H100], undefined, { node: 'b' })] });
    store.ingest({ receivedAt: 1000, messages: [two('b', 1000)] });
    expect(store.node('a')).toBeUndefined();
    expect(store.budgetReport).toMatchObject({
      series: one.series,
      historyBytes: one.historyBytes,
      inventoryBytes: one.inventoryBytes,
      nodes: 1,
    });
  });
});
