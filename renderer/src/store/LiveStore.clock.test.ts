import { describe, expect, it } from 'vitest';

import { events, H100, metrics } from '../testing/messages.js';
import { LiveStore } from './LiveStore.js';
import { SKEW_PROBLEM_KEY } from './SkewTally.js';

const HOUR = 3_600_000;
const INTERVAL = 500;
const util = (v: number) => [{ m: 'device.utilization', v, d: H100.id }];

/** A node at 2 Hz whose messages arrive 50 ms after their stamp; `send` stamps `ts + shift`. */
function node(store: LiveStore, name = 'box', start = 1_000_000) {
  let ts = start;
  return {
    send(v: number, opts: { stamp?: number; delay?: number } = {}) {
      const receivedAt = ts + (opts.delay ?? 50);
      const stamp = opts.stamp ?? ts;
      store.ingest({
        receivedAt,
        messages: [metrics(stamp, util(v), { node: name, interval: INTERVAL })],
      });
      ts += INTERVAL;
      return receivedAt;
    },
    get ts() {
      return ts;
    },
  };
}

describe('LiveStore clock', () => {
  it('counts a message stamped 1 h ahead as a problem and stores its values at receipt time', () => {
    const store = new LiveStore();
    const box = node(store);
    box.send(10);
    box.send(11);
    const at = box.send(99, { stamp: box.ts + HOUR });
    const latest = store.latest('box', 'device.utilization', H100.id)!;
    expect(latest.v).toBe(99);
    expect(store.ageOf('box', latest.ts, at)).toBe(0);
    const problem = store.problems().find((p) => p.key === SKEW_PROBLEM_KEY);
    expect(problem).toMatchObject({ count: 1, lastAt: at });
    expect(problem?.message).toBe(
      "Clock skew: box stamped a message 60 min ahead of this console's clock (allowed: 5 min); " +
        'it was stored at its arrival time',
    );
  });

  it('keeps a node’s devices fresh while it keeps sending good messages after one 1 h ahead', () => {
    const store = new LiveStore();
    const box = node(store);
    box.send(10);
    box.send(99, { stamp: box.ts + HOUR });
    let at = 0;
    for (let v = 20; v < 25; v++) at = box.send(v);
    const latest = store.latest('box', 'device.utilization', H100.id)!;
    expect(latest.v).toBe(24);
    expect(store.ageOf('box', latest.ts, at + 100)).toBe(100);
    expect(store.series('box', 'device.utilization', H100.id)[0]!.history.length).toBe(7);
  });

  it('keeps the header lag at the real lag through a message 1 h ahead and one stamped 1e300', () => {
    const store = new LiveStore();
    const box = node(store);
    for (let i = 0; i < 3; i++) box.send(10);
    box.send(99, { stamp: box.ts + HOUR });
    expect(store.lagMs).toBe(0);
    box.send(99, { stamp: 1e300 });
    expect(store.lagMs).toBe(0);
    // A real lag: three messages 8 s late.
    for (let i = 0; i < 3; i++) box.send(10, { delay: 8050 });
    expect(store.lagMs).toBe(8000);
    expect(store.problems().find((p) => p.key === SKEW_PROBLEM_KEY)?.count).toBe(2);
    expect(
      store
        .problems()
        .map((p) => p.message)
        .join(),
    ).not.toMatch(/e\+/);
  });

  it('stores a sample’s own 1e300 time at its message’s time', () => {
    const store = new LiveStore();
    store.ingest({
      receivedAt: 1_000_050,
      messages: [metrics(1_000_000, [{ m: 'device.utilization', v: 5, d: H100.id, t: 1e300 }])],
    });
    expect(store.latest('box', 'device.utilization', H100.id)?.ts).toBe(1_000_000);
  });

  it('keeps a node fresh after its clock steps back 30 s, once the step persists', () => {
    const store = new LiveStore();
    const box = node(store);
    for (let v = 0; v < 5; v++) box.send(v);
    let at = 0;
    for (let v = 10; v < 14; v++) at = box.send(v, { stamp: box.ts - 30_000 });
    const latest = store.latest('box', 'device.utilization', H100.id)!;
    expect(latest.v).toBe(13);
    expect(store.ageOf('box', latest.ts, at)).toBeLessThanOrEqual(2 * INTERVAL);
    expect(store.lagMs).toBe(0);
    expect(store.problems()).toEqual([]);
  });

  it('places events stamped 1e300 at their arrival and counts them', () => {
    const store = new LiveStore();
    const box = node(store);
    box.send(1);
    store.ingest({
      receivedAt: 1_000_600,
      messages: [
        events(1_000_500, [{ ts: 1e300, kind: 'xid', severity: 'critical', message: 'Xid 79' }]),
      ],
    });
    const [event] = store.events();
    expect(event!.ts + store.node('box')!.clockOffset).toBe(1_000_600);
    expect(store.problems()[0]?.message).toContain('stamped an event more than a year ahead');
  });

  it('takes the store’s lag from the median node: one lagging node of five does not speak for all', () => {
    const store = new LiveStore();
    const names = ['a', 'b', 'c', 'd', 'e'];
    const nodes = names.map((n) => node(store, n));
    for (let i = 0; i < 4; i++) for (const n of nodes) n.send(1);
    for (let i = 0; i < 3; i++) nodes[0]!.send(1, { delay: 20_050 });
    expect(store.lagOf('a')).toBe(20_000);
    expect(store.lagMs).toBe(0);
    for (let i = 0; i < 3; i++) for (const n of nodes) n.send(1, { delay: 6_050 });
    expect(store.lagMs).toBe(6000);
  });

  it('counts stamps beyond the maxSkewMs option and caps the lag at it', () => {
    const store = new LiveStore({ maxSkewMs: 10_000 });
    const box = node(store);
    for (let i = 0; i < 3; i++) box.send(1);
    box.send(2, { stamp: box.ts + 30_000 });
    expect(store.problems()[0]?.count).toBe(1);
    for (let i = 0; i < 3; i++) box.send(1, { delay: 9_550 });
    expect(store.lagMs).toBe(9_500);
    expect(() => new LiveStore({ maxSkewMs: 0 })).toThrow(/maximum clock skew/);
  });
});
