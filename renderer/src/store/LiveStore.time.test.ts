import { describe, expect, it } from 'vitest';

import { H100, events, inventory, metrics } from '../testing/messages.js';
import { makeHarness, flush } from '../player/testing/harness.js';
import { makeRecording, nodeName } from '../player/testing/recording.js';
import { prepareFleetSummary } from '../views/fleet/prepareFleetSummary.js';
import { prepareDeviceTable } from '../views/fleet/prepareDeviceTable.js';
import { prepareEvents } from '../views/fleet/prepareEvents.js';
import { followPlayer } from './followPlayer.js';
import { LiveStore, SILENT_PROBLEM_KEY, STORE_EVENT_KIND } from './LiveStore.js';

const T0 = 1_700_000_000_000;
const util = (v: number) => [{ m: 'device.utilization', v, d: H100.id }];

/** `node` sends an inventory and a utilization sample stamped `ts`, received 20 ms later. */
function send(store: LiveStore, node: string, ts: number, v = 50): void {
  store.ingest({
    receivedAt: ts + 20,
    messages: [inventory([H100], undefined, { node, ts }), metrics(ts, util(v), { node })],
  });
}

describe('LiveStore clock: receipt time and the driver', () => {
  it('each batch advances the clock to its receipt time; a late batch never moves it back', () => {
    const store = new LiveStore();
    send(store, 'box', T0);
    expect(store.currentTime).toBe(T0 + 20);
    store.ingest({ receivedAt: T0 + 500, messages: [] });
    expect(store.currentTime).toBe(T0 + 500);
    store.ingest({ receivedAt: T0 + 100, messages: [metrics(T0 + 80, util(1))] });
    expect(store.currentTime).toBe(T0 + 500);
  });

  it('ages keep counting while nothing arrives: a view prepared at the ticked clock goes stale', () => {
    const store = new LiveStore();
    send(store, 'box', T0);
    store.tick(T0 + 2_020);
    const utilOf = (row: { values: Array<{ metric: string }> }) =>
      row.values.find((v) => v.metric === 'device.utilization');
    const fresh = prepareDeviceTable(store, store.currentTime)[0]!;
    // Received 20 ms after its stamp: the node's clock offset, so its age counts from receipt.
    expect(utilOf(fresh)).toMatchObject({ ageMs: 2_000, stale: false });
    expect(fresh.updated).toBe('2 s ago');
    // 2 intervals (1 s) + 1 s of jitter: stale from 3,001 ms.
    store.tick(T0 + 3_021);
    const old = prepareDeviceTable(store, store.currentTime)[0]!;
    expect(utilOf(old)).toMatchObject({ ageMs: 3_001, stale: true });
    expect(old.stale).toBe(true);
  });

  it('the fleet summary read at the store clock loses its average once the clock passes the rule', () => {
    const store = new LiveStore();
    send(store, 'box', T0, 60);
    store.tick(T0 + 3_020);
    expect(prepareFleetSummary(store, store.currentTime, true).utilization.text).toBe('60 %');
    store.tick(T0 + 3_021);
    expect(prepareFleetSummary(store, store.currentTime, true).utilization).toMatchObject({
      text: 'no current data',
      withData: 0,
    });
  });

  it('lag still reads from receipt: a node whose messages arrive 2 s late shows 2 s of lag', () => {
    const store = new LiveStore();
    for (let k = 0; k < 20; k++) {
      const ts = T0 + k * 1000;
      store.ingest({ receivedAt: ts + (k < 10 ? 20 : 2_020), messages: [metrics(ts, util(k))] });
    }
    store.tick(T0 + 25_000);
    expect(store.lagMs).toBe(2_000);
  });
});

describe('LiveStore maxAge', () => {
  it('drops history older than maxAge before the clock, keeping the latest value', () => {
    const store = new LiveStore({ capacity: 100, maxAge: 5_000 });
    for (let k = 0; k < 10; k++) send(store, 'box', T0 + k * 1000, k);
    const series = () => store.series('box', 'device.utilization', H100.id)[0]!;
    expect(series().history.length).toBe(10);
    store.tick(T0 + 9_500);
    // Points at T0+4,500 and later are within 5 s of T0+9,500: T0+5,000 … T0+9,000.
    expect(
      series()
        .history.toPoints()
        .map(([t]) => t - T0),
    ).toEqual([5_000, 6_000, 7_000, 8_000, 9_000]);
    store.tick(T0 + 60_000);
    expect(series().history.length).toBe(0);
    expect(series().history.lastTime()).toBeUndefined();
    expect(store.latest('box', 'device.utilization', H100.id)).toMatchObject({ v: 9 });
    // The next message starts history again.
    send(store, 'box', T0 + 60_000, 42);
    expect(series().history.toPoints()).toEqual([[T0 + 60_000, 42]]);
  });

  it('keeps maxLength as the count bound whatever maxAge allows', () => {
    const store = new LiveStore({ capacity: 3, maxAge: 3_600_000 });
    for (let k = 0; k < 10; k++) send(store, 'box', T0 + k * 1000, k);
    store.tick(T0 + 10_000);
    const h = store.series('box', 'device.utilization', H100.id)[0]!.history;
    expect(h.toPoints().map(([, v]) => v)).toEqual([7, 8, 9]);
  });

  it('refuses a maxAge that is no positive number', () => {
    expect(() => new LiveStore({ maxAge: 0 })).toThrow(/history maximum age .* got 0/);
    expect(() => new LiveStore({ silentNodeMs: -1 })).toThrow(/silent node time .* got -1/);
  });
});

describe('LiveStore silent nodes', () => {
  it('removes a node silent past silentNodeMs with an event saying so, keeping retained nodes', () => {
    const store = new LiveStore({ silentNodeMs: 60_000 });
    send(store, 'gpu-07', T0);
    send(store, 'on-screen', T0);
    for (let k = 0; k <= 90; k += 10) send(store, 'talker', T0 + k * 1000);
    store.retain(['on-screen']);
    store.tick(T0 + 59_000);
    expect(store.nodes().map((n) => n.node)).toEqual(['gpu-07', 'on-screen', 'talker']);
    const version = store.version;
    store.tick(T0 + 90_000);
    expect(store.version).toBeGreaterThan(version);
    expect(
      store
        .nodes()
        .map((n) => n.node)
        .sort(),
    ).toEqual(['on-screen', 'talker']);
    expect(store.find('gpu-07', 'device.utilization', H100.id)).toBeUndefined();
    const removal = store.events().filter((e) => e.kind === STORE_EVENT_KIND);
    expect(removal).toEqual([
      {
        ts: T0 + 90_000,
        kind: STORE_EVENT_KIND,
        severity: 'warning',
        message: 'node gpu-07 removed: silent for 89 s',
        node: 'gpu-07',
      },
    ]);
    // The events list the views show carries it.
    expect(prepareEvents(store)[0]).toMatchObject({
      node: 'gpu-07',
      at: T0 + 90_000,
      message: 'node gpu-07 removed: silent for 89 s',
    });
    // Cluster views show no events list: the header's problems say it too.
    expect(store.problems().find((p) => p.key === SILENT_PROBLEM_KEY)).toEqual({
      key: SILENT_PROBLEM_KEY,
      message:
        '1 node removed after 60 s without a message (latest: gpu-07); a node sending again comes back',
      count: 1,
      lastAt: T0 + 90_000,
    });
    // Not an eviction to make room: the budget's problem stays quiet.
    expect(store.problems().map((p) => p.key)).toEqual([SILENT_PROBLEM_KEY]);
    expect(store.budgetReport.evictedNodes).toBe(0);
    expect(store.budgetReport.nodes).toBe(2);
    // Released when it leaves the screen, and then removed too.
    store.retain([]);
    store.tick(T0 + 100_000);
    expect(store.nodes().map((n) => n.node)).toEqual(['talker']);
    expect(store.events().at(-1)?.message).toBe('node on-screen removed: silent for 99 s');
    expect(store.problems()[0]).toMatchObject({ count: 2, lastAt: T0 + 100_000 });
    expect(store.problems()[0]?.message).toContain('2 nodes removed after 60 s');
  });

  it('says minutes past two of them, by the default of 10 min', () => {
    const store = new LiveStore();
    send(store, 'gpu-07', T0);
    // Heard at T0 + 20: silent for exactly 10 min is not yet longer than 10 min.
    store.tick(T0 + 600_020);
    expect(store.nodes()).toHaveLength(1);
    store.tick(T0 + 600_021);
    expect(store.nodes()).toHaveLength(0);
    expect(store.events()[0]?.message).toBe('node gpu-07 removed: silent for 10 min');
  });

  it('a node that comes back after its removal starts again as a new node', () => {
    const store = new LiveStore({ silentNodeMs: 60_000 });
    send(store, 'gpu-07', T0, 1);
    store.tick(T0 + 70_000);
    send(store, 'gpu-07', T0 + 80_000, 2);
    expect(store.latest('gpu-07', 'device.utilization', H100.id)).toMatchObject({ v: 2 });
    expect(store.series('gpu-07', 'device.utilization', H100.id)[0]!.history.length).toBe(1);
  });
});

describe('LiveStore seek', () => {
  it('drops the nodes, keeps the events up to the seek time, and sets lastSeekTime', () => {
    const store = new LiveStore();
    send(store, 'box', T0);
    store.ingest({
      receivedAt: T0 + 5_000,
      messages: [
        events(T0 + 1_000, [{ ts: T0 + 1_000, kind: 'xid', severity: 'error', message: 'early' }]),
        events(T0 + 4_000, [{ ts: T0 + 4_000, kind: 'xid', severity: 'error', message: 'late' }]),
      ],
    });
    store.seek(T0 + 2_000);
    expect(store.currentTime).toBe(T0 + 2_000);
    expect(store.lastSeekTime).toBe(T0 + 2_000);
    expect(store.nodes()).toEqual([]);
    expect(store.lastReceivedAt).toBeUndefined();
    expect(store.events().map((e) => e.message)).toEqual(['early']);
    expect(store.budgetReport).toMatchObject({ nodes: 0, series: 0, evictedNodes: 0 });
  });

  it('a seek batch (a player backfill) resets to its time and is then the whole picture', () => {
    const store = new LiveStore();
    send(store, 'a', T0 + 50_000, 90);
    send(store, 'b', T0 + 50_000, 80);
    store.ingest({
      receivedAt: T0 + 10_000,
      seek: true,
      messages: [inventory([H100], undefined, { node: 'a' }), metrics(T0 + 9_000, util(10))],
    });
    expect(store.currentTime).toBe(T0 + 10_000);
    expect(store.nodes().map((n) => n.node)).toEqual(['a', 'box']);
    // History restarts at the backfill: a seek back never meets ticks from the later time.
    expect(store.latest('box', 'device.utilization', H100.id)).toMatchObject({ v: 10 });
    expect(prepareDeviceTable(store, store.currentTime).find((r) => r.node === 'a')?.updated).toBe(
      'never',
    );
  });
});

describe('followPlayer: a recording drives the store clock', () => {
  const SPEC = { nodes: 3, start: T0, durationMs: 60_000, intervalMs: 1000 };

  it('opens at the start, plays in recording time, stops with pause and seeks back', async () => {
    const h = makeHarness(makeRecording(SPEC));
    const store = new LiveStore();
    followPlayer(store, h.player);
    await h.player.initialize();
    await flush();
    expect(store.lastSeekTime).toBe(T0);
    expect(store.currentTime).toBe(T0);
    expect(
      store
        .nodes()
        .map((n) => n.node)
        .sort(),
    ).toEqual([0, 1, 2].map(nodeName));

    h.player.play();
    await h.run(5_000);
    expect(h.player.status.currentTime).toBeGreaterThanOrEqual(T0 + 4_900);
    expect(store.currentTime).toBe(h.player.status.currentTime);
    const rows = prepareDeviceTable(store, store.currentTime);
    expect(rows.every((r) => !r.stale)).toBe(true);

    h.player.pause();
    const paused = store.currentTime;
    await h.run(10_000);
    expect(store.currentTime).toBe(paused);

    await h.player.seek(T0 + 2_000);
    await flush();
    expect(store.lastSeekTime).toBe(T0 + 2_000);
    expect(store.currentTime).toBe(T0 + 2_000);
    // Newest value of node 0 at 2 s: its metrics every second from the start.
    const latest = store.latest(nodeName(0), 'device.utilization', H100.id);
    expect(latest?.ts).toBe(T0 + 2_000 - 5);
    expect(store.events().filter((e) => e.kind === STORE_EVENT_KIND)).toEqual([]);
  });

  it('a long seek forward removes no node as silent: the backfill arrives before any tick', async () => {
    const h = makeHarness(makeRecording({ ...SPEC, durationMs: 30 * 60_000 }));
    const store = new LiveStore();
    followPlayer(store, h.player);
    await h.player.initialize();
    await flush();
    await h.player.seek(T0 + 25 * 60_000);
    await flush();
    h.player.play();
    await h.run(2_000);
    expect(store.nodes()).toHaveLength(3);
    expect(store.events().filter((e) => e.kind === STORE_EVENT_KIND)).toEqual([]);
  });

  it('after a seek, a node silent since long before it is stale, and one that kept sending is not', async () => {
    // node-001 stops 10 s in; node-000 sends every second to the end.
    const recording = makeRecording({ ...SPEC, nodes: 2, durationMs: 120_000 }).filter(
      (r) => r.message.node !== nodeName(1) || r.receiveTime <= T0 + 10_000,
    );
    const h = makeHarness(recording);
    const store = new LiveStore();
    followPlayer(store, h.player);
    await h.player.initialize();
    await flush();
    await h.player.seek(T0 + 100_000);
    await flush();
    const rows = prepareDeviceTable(store, store.currentTime);
    const staleOf = (node: string) => rows.find((r) => r.nodeName === node)?.stale;
    expect(staleOf(nodeName(0))).toBe(false);
    expect(staleOf(nodeName(1))).toBe(true);
  });
});
