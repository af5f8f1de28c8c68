import { describe, expect, it } from 'vitest';

import { events, H100, inventory, metrics } from '../testing/messages.js';
import { LiveStore } from './LiveStore.js';

describe('LiveStore', () => {
  it('holds each node’s inventory and the latest value of each series', () => {
    const store = new LiveStore();
    store.ingest({
      receivedAt: 5000,
      messages: [
        inventory([H100]),
        metrics(2000, [{ m: 'device.utilization', v: 90, d: H100.id }]),
        metrics(3000, [{ m: 'device.utilization', v: 100, d: H100.id }]),
      ],
    });
    expect(store.node('box')?.devices).toEqual([H100]);
    expect(store.node('box')?.hasInventory).toBe(true);
    expect(store.latest('box', 'device.utilization', H100.id)).toEqual({ v: 100, ts: 3000 });
    expect(store.series('box', 'device.utilization', H100.id)[0]?.history.toPoints()).toEqual([
      [2000, 90],
      [3000, 100],
    ]);
  });

  it('keeps an absent value absent, with its reason', () => {
    const store = new LiveStore();
    store.ingest({
      receivedAt: 1,
      messages: [
        metrics(1000, [{ m: 'device.fan', v: null, d: H100.id, s: 'unsupported', raw: '[N/A]' }]),
      ],
    });
    expect(store.latest('box', 'device.fan', H100.id)).toEqual({
      v: null,
      s: 'unsupported',
      raw: '[N/A]',
      ts: 1000,
    });
  });

  it('tells series apart by labels, in any label order', () => {
    const store = new LiveStore();
    store.ingest({
      receivedAt: 1,
      messages: [
        metrics(1000, [
          { m: 'host.network.receive', v: 10, l: { interface: 'eth0' } },
          { m: 'host.network.receive', v: 20, l: { interface: 'eth1' } },
          { m: 'host.disk.read', v: 1, l: { disk: 'sda', x: 'y' } },
        ]),
        metrics(2000, [{ m: 'host.disk.read', v: 2, l: { x: 'y', disk: 'sda' } }]),
      ],
    });
    expect(store.series('box', 'host.network.receive').map((s) => s.labels.interface)).toEqual([
      'eth0',
      'eth1',
    ]);
    expect(store.series('box', 'host.disk.read')).toHaveLength(1);
    expect(store.latest('box', 'host.disk.read', undefined, { disk: 'sda', x: 'y' })?.v).toBe(2);
  });

  it('does not let a re-sent older message overwrite a newer value', () => {
    const store = new LiveStore();
    const m = (ts: number, v: number) => metrics(ts, [{ m: 'host.cpu.utilization', v }]);
    store.ingest({ receivedAt: 1, messages: [m(1000, 1), m(2000, 2)] });
    store.ingest({ receivedAt: 2, messages: [m(1000, 1), m(2000, 2)] });
    expect(store.latest('box', 'host.cpu.utilization')).toEqual({ v: 2, ts: 2000 });
    expect(store.series('box', 'host.cpu.utilization')[0]?.history.length).toBe(2);
  });

  it('measures ages on the sender’s clock, so a skewed remote clock does not lie', () => {
    const store = new LiveStore();
    // The sender's clock runs 2 min behind ours (within the 5 min skew limit).
    store.ingest({ receivedAt: 120_000 + 10_000, messages: [metrics(10_000, [])] });
    expect(store.ageOf('box', 7_000, 120_000 + 10_500)).toBe(3500);
  });

  it('says how far behind its senders it falls, apart from clock skew', () => {
    const store = new LiveStore();
    const skew = 120_000; // the sender's clock runs 2 min behind ours
    // Delivered in 50 ms, then a batch 12 s late (the page was busy), then caught up.
    store.ingest({ receivedAt: skew + 1_050, messages: [metrics(1_000, [])] });
    expect(store.lagMs).toBe(0);
    store.ingest({
      receivedAt: skew + 14_050,
      messages: [metrics(2_000, []), metrics(2_000, [], { node: 'other' })],
    });
    expect(store.lagMs).toBe(12_000);
    store.ingest({ receivedAt: skew + 15_060, messages: [metrics(15_000, [])] });
    expect(store.lagMs).toBe(10);
  });

  it('bumps its version and notifies once per batch', () => {
    const store = new LiveStore();
    const initial = store.getSnapshot();
    let calls = 0;
    const unsubscribe = store.subscribe(() => (calls += 1));
    store.ingest({ receivedAt: 1, messages: [inventory([]), metrics(1000, [])] });
    store.ingest({ receivedAt: 2, messages: [] });
    unsubscribe();
    store.ingest({ receivedAt: 3, messages: [metrics(2000, [])] });
    expect(calls).toBe(1);
    expect(store.version).toBe(2);
    expect(store.getSnapshot()).toEqual({ store, version: 2 });
    expect(store.getSnapshot()).not.toBe(initial);
    expect(store.lastReceivedAt).toBe(3);
  });

  it('keeps recent events with their node', () => {
    const store = new LiveStore();
    store.ingest({
      receivedAt: 1,
      messages: [
        events(1000, [{ ts: 1000, kind: 'xid', severity: 'critical', message: 'Xid 79' }]),
      ],
    });
    expect(store.events()).toEqual([
      { ts: 1000, kind: 'xid', severity: 'critical', message: 'Xid 79', node: 'box' },
    ]);
  });

  it('bounds each series’ history', () => {
    const store = new LiveStore(5);
    for (let i = 1; i <= 8; i++) {
      store.ingest({
        receivedAt: i,
        messages: [metrics(i * 1000, [{ m: 'host.cpu.utilization', v: i }])],
      });
    }
    expect(store.series('box', 'host.cpu.utilization')[0]?.history.length).toBe(5);
  });

  it('remembers devices a later inventory no longer lists, until they come back', () => {
    const store = new LiveStore();
    const other = { ...H100, id: 'GPU-2', uuid: 'GPU-2', index: 1 };
    store.ingest({ receivedAt: 1, messages: [inventory([H100, other])] });
    store.ingest({ receivedAt: 2, messages: [inventory([H100])] });
    expect(store.node('box')?.lostDevices).toEqual([other]);
    store.ingest({ receivedAt: 3, messages: [inventory([H100])] });
    expect(store.node('box')?.lostDevices).toEqual([other]);
    store.ingest({ receivedAt: 4, messages: [inventory([H100, other])] });
    expect(store.node('box')?.lostDevices).toEqual([]);
  });

  it('keeps same-named nodes of two clusters apart when it qualifies names', () => {
    const two = (store: LiveStore) => {
      const a = metrics(1000, [{ m: 'device.utilization', v: 10, d: H100.id }]);
      const b = { ...metrics(1000, [{ m: 'device.utilization', v: 90, d: H100.id }]) };
      b.cluster = 'prod-eu';
      const xid = events(1000, [
        { ts: 1000, kind: 'xid', severity: 'critical', message: 'Xid 79', d: H100.id },
      ]);
      xid.cluster = 'prod-eu';
      store.ingest({ receivedAt: 1000, messages: [a, b, xid] });
    };
    const merged = new LiveStore();
    two(merged);
    expect(merged.nodes().map((n) => n.node)).toEqual(['box']);

    const qualified = new LiveStore({ qualifyNodes: true });
    two(qualified);
    expect(qualified.nodes().map((n) => [n.node, n.name, n.cluster])).toEqual([
      ['local/box', 'box', 'local'],
      ['prod-eu/box', 'box', 'prod-eu'],
    ]);
    expect(qualified.latest('local/box', 'device.utilization', H100.id)?.v).toBe(10);
    expect(qualified.latest('prod-eu/box', 'device.utilization', H100.id)?.v).toBe(90);
    expect(qualified.events().map((e) => e.node)).toEqual(['prod-eu/box']);
  });
});

describe('LiveStore diagnoses', () => {
  const xid79 = {
    ts: 1000,
    kind: 'xid',
    severity: 'critical' as const,
    message: 'GPU 0 fell off the PCIe bus',
    id: 'box/GPU-0/xid/79@1000',
    lastTs: 1000,
  };

  it('keeps the latest state of each diagnosis however many events come after it (500 recent events)', () => {
    const store = new LiveStore();
    const later = Array.from({ length: 600 }, (_, i) => ({
      ts: 1001 + i,
      kind: 'throttle',
      severity: 'warning' as const,
      message: `GPU ${i % 8} clocks held back`,
    }));
    store.ingest({
      receivedAt: 1000,
      messages: [inventory([H100]), events(1000, [xid79, { ...xid79, lastTs: 1500 }, ...later])],
    });
    expect(store.events()).toHaveLength(500);
    expect(store.events().some((e) => e.id === xid79.id)).toBe(false);
    expect(store.diagnosisEvents().map((e) => [e.id, e.lastTs])).toEqual([[xid79.id, 1500]]);
  });

  it('an all-clear (sent as info) keeps the severity the diagnosis had; an older copy never replaces a newer one', () => {
    const store = new LiveStore();
    const cleared = { ...xid79, severity: 'info' as const, lastTs: 1200, resolved: 1200 };
    store.ingest({
      receivedAt: 1000,
      messages: [inventory([H100]), events(1000, [xid79, cleared, xid79])],
    });
    expect(store.diagnosisEvents().map((e) => [e.severity, e.resolved])).toEqual([
      ['critical', 1200],
    ]);
  });
});
