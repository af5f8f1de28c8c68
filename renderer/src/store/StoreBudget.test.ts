import { describe, expect, it } from 'vitest';

import { BOMB_COLS, BOMB_ROWS, bombMetrics, bombNodeName } from '../testing/seriesBomb.js';
import { H100, inventory, metrics } from '../testing/messages.js';
import { CREATION_MS, MAX_NEW_SERIES_PER_BATCH, MAX_SERIES, RESERVED_SERIES } from './budget.js';
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
  it('holds at most MAX_SERIES under a 48-node × 65,536-series bomb, says what it refused, and keeps good nodes flowing', () => {
    // All new series a batch may create at once: creation pacing is the next test's matter.
    const store = new LiveStore({
      capacity: 4,
      precision: 'float32',
      limits: { newSeriesPerBatch: 2 * MAX_SERIES },
      workClock: () => 0,
    });
    store.ingest({ receivedAt: 1000, messages: [util(50, 'good', 1000)] });
    const bombs = Array.from({ length: 48 }, (_, i) => bombMetrics(bombNodeName(i), 0));
    let before = 0;
    const rounds = 4;
    for (let r = 1; r <= rounds; r++) {
      const ts = 1000 + r * 1000;
      before = store.budgetReport.refusedSamples;
      for (const m of bombs) m.ts = ts;
      store.ingest({ receivedAt: ts, messages: [...bombs, util(60, 'good', ts)] });
    }
    // A real node that starts after the bombers filled their share still finds room.
    const last = 1000 + (rounds + 1) * 1000;
    store.ingest({ receivedAt: last, messages: [two('late', last), util(61, 'good', last)] });

    const report = store.budgetReport;
    expect(report.series).toBeLessThanOrEqual(MAX_SERIES);
    // Counted independently of the budget's own count: every series a view can reach.
    let reachable = 0;
    for (const node of store.nodes()) {
      reachable += store.seriesOf(node.node).length;
      for (const d of store.reportedDevices(node.node)) {
        reachable += store.seriesOf(node.node, d).length;
      }
    }
    expect(reachable).toBe(report.series);
    // Nodes asking for over 1,024 series share MAX_SERIES − RESERVED_SERIES, granted in arrival
    // order: two whole bombs and a quarter of the third; the good nodes' 3 series come besides.
    const perBomb = BOMB_ROWS * BOMB_COLS;
    const bombsHeld = MAX_SERIES - RESERVED_SERIES;
    expect(report.series).toBe(bombsHeld + 3);
    expect(report.refusedSamples - before).toBe(48 * perBomb - bombsHeld);
    const whole = Math.floor(bombsHeld / perBomb);
    expect(store.problems().map((p) => p.message)).toEqual([
      `${report.refusedSamples.toLocaleString('en')} samples refused: the console holds at most 196,608 series, 147,456 of them from nodes of over 1,024 (${48 - whole} nodes refused, sending up to 65,536 series a message)`,
    ]);
    expect(store.latest('good', 'device.utilization', H100.id)).toEqual({ v: 61, ts: last });
    expect(store.latest('late', 'device.temperature', H100.id)).toEqual({ v: 2, ts: last });
  }, 60_000);

  it('refuses the bombers past the large nodes’ share on their first message, while the first ones are still being created', () => {
    const store = new LiveStore({ capacity: 4 });
    const bombs = Array.from({ length: 48 }, (_, i) => bombMetrics(bombNodeName(i), 1000));
    store.ingest({ receivedAt: 1000, messages: bombs });
    const perBomb = BOMB_ROWS * BOMB_COLS;
    // Granted in arrival order: 65,536, 65,536 and the 16,384 left; the other 45 get nothing.
    const granted = Math.ceil((MAX_SERIES - RESERVED_SERIES) / perBomb);
    const report = store.budgetReport;
    expect(report.series).toBe(MAX_NEW_SERIES_PER_BATCH / 2);
    expect(report.refusedSamples).toBe((48 - granted) * perBomb);
    expect(store.problems().map((p) => p.message)).toEqual([
      '2,949,120 samples refused: the console holds at most 196,608 series, 147,456 of them from nodes of over 1,024 (45 nodes refused, sending up to 65,536 series a message)',
    ]);
  });

  it('creates at most MAX_NEW_SERIES_PER_BATCH series a batch, half of them for small nodes, the rest with the next messages', () => {
    // Creation never runs out of time here: only the count limits a batch.
    const store = new LiveStore({ capacity: 4, workClock: () => 0 });
    const perBomb = BOMB_ROWS * BOMB_COLS;
    const counts: number[] = [];
    let held = 0;
    for (let b = 1; held < perBomb && b < 200; b++) {
      const ts = b * 1000;
      // The bomb comes first in every batch; a small node joins at the third.
      const messages = [bombMetrics('bomb', ts), ...(b >= 3 ? [two('small', ts)] : [])];
      store.ingest({ receivedAt: ts, messages });
      const total = store.budgetReport.series;
      counts.push(total - held);
      held = total - (b >= 3 ? 2 : 0);
      // The small node gets its series in the batch it joins, the bomb ahead of it or not.
      if (b >= 3) expect(store.latest('small', 'device.temperature', H100.id)?.ts).toBe(ts);
    }
    expect(held).toBe(perBomb);
    expect(Math.max(...counts)).toBeLessThanOrEqual(MAX_NEW_SERIES_PER_BATCH);
    // The bomb asks for 65,536 at once: a large node from its first message, half a batch's share.
    expect(counts.slice(0, 2)).toEqual([
      MAX_NEW_SERIES_PER_BATCH / 2,
      MAX_NEW_SERIES_PER_BATCH / 2,
    ]);
    expect(store.budgetReport.refusedSamples).toBe(0);
    expect(store.budgetReport.deferredSamples).toBeGreaterThan(0);
    expect(store.problems()).toEqual([]);
  });

  it('stops creating series in a batch once it has spent CREATION_MS on them, and goes on in the next', () => {
    let t = 0;
    // Every reading of the work clock is 1 ms later: creating 64 series "takes" 1 ms.
    const store = new LiveStore({ capacity: 4, workClock: () => t++ });
    store.ingest({ receivedAt: 1000, messages: [bombMetrics('bomb', 1000)] });
    const first = store.budgetReport.series;
    // The clock is read at the batch's first creation (0) and before every 64th (1, 2, …): the
    // reading that says CREATION_MS have passed stops the batch before its series.
    expect(first).toBe(64 * CREATION_MS - 1);
    store.ingest({ receivedAt: 2000, messages: [bombMetrics('bomb', 2000)] });
    expect(store.budgetReport.series).toBe(2 * first);
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
      limits: {
        maxSeries: 65_536 + 2,
        reservedSeries: 0,
        evictableAfterMs: 30_000,
        newSeriesPerBatch: 2 * 65_536,
      },
      workClock: () => 0,
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
