import { describe, expect, it } from 'vitest';

import type {
  InventoryMessage,
  MetricsMessage,
  WireMessage,
} from '../../../collector/core/protocol/spec.js';
import { FakeSource } from './FakeSource.js';
import { FILL_AFTER_LIVE_MS, FILL_AT_LATEST_MS, PrometheusFill } from './PrometheusFill.js';

const base = { v: 1 as const, cluster: 'c', ts: 1000, seq: 1 };
const host = { hostname: 'h', os: 'linux', arch: 'x86_64', cpuCores: 8, memoryTotalBytes: 1 };
const inventory = (node: string, ids: string[]): InventoryMessage => ({
  ...base,
  node,
  type: 'inventory',
  host,
  probes: [],
  devices: ids.map((id, index) => ({ id, uuid: id, vendor: 'nvidia', index, name: 'H100' })),
});
const metrics = (node: string, ids: string[]): MetricsMessage => ({
  ...base,
  node,
  type: 'metrics',
  interval: 1000,
  samples: ids.map((d) => ({ m: 'device.utilization', v: 50, d })),
});

function setup() {
  const nats = new FakeSource('n');
  const prom = new FakeSource('p');
  const fill = new PrometheusFill(nats, prom);
  const seen: WireMessage[] = [];
  fill.subscribe((b) => seen.push(...b.messages));
  return { nats, prom, fill, seen };
}

describe('PrometheusFill', () => {
  it('passes every NATS message and adds the nodes only Prometheus knows', () => {
    const { nats, prom, seen } = setup();
    nats.emit([inventory('node-1', ['GPU-a'])]);
    prom.emit([inventory('node-2', ['GPU-b']), metrics('node-2', ['GPU-b'])]);
    expect(seen.map((m) => [m.node, m.type])).toEqual([
      ['node-1', 'inventory'],
      ['node-2', 'inventory'],
      ['node-2', 'metrics'],
    ]);
  });

  it('drops everything Prometheus says about a node NATS reports', () => {
    const { nats, prom, seen } = setup();
    nats.emit([metrics('node-1', ['GPU-a'])]);
    prom.emit([inventory('node-1', ['GPU-a', 'GPU-x']), metrics('node-1', ['GPU-a'])]);
    expect(seen).toHaveLength(1);
  });

  it('never shows a device NATS reports twice, even under another node name', () => {
    const { nats, prom, seen } = setup();
    nats.emit([inventory('node-1', ['GPU-a'])]);
    prom.emit([inventory('10.0.0.1', ['GPU-a', 'GPU-b']), metrics('10.0.0.1', ['GPU-a', 'GPU-b'])]);
    const added = seen.slice(1) as [InventoryMessage, MetricsMessage];
    expect(added[0].devices.map((d) => d.id)).toEqual(['GPU-b']);
    expect(added[1].samples.map((s) => s.d)).toEqual(['GPU-b']);
  });

  it("keeps NATS's presence and lists Prometheus's trouble as a problem", () => {
    const { nats, prom, fill } = setup();
    nats.setPresence('live');
    prom.setPresence('reconnecting', 'cannot reach Prometheus at http://p:9090');
    expect(fill.status.presence.state).toBe('live');
    expect(fill.status.problems.map((p) => p.message)).toEqual([
      'Prometheus (devices no agent reports): cannot reach Prometheus at http://p:9090',
    ]);
  });

  it('starts Prometheus only once NATS has been live an inventory round, or at the latest after 30 s', () => {
    const timers: Array<{ fn: () => void; ms: number; cancelled: boolean }> = [];
    const timer = (fn: () => void, ms: number) => {
      const t = { fn, ms, cancelled: false };
      timers.push(t);
      return () => {
        t.cancelled = true;
      };
    };
    const nats = new FakeSource('n');
    const prom = new FakeSource('p');
    const fill = new PrometheusFill(nats, prom, { setTimer: timer });
    fill.start();
    expect(nats.started).toBe(true);
    expect(prom.started).toBe(false);
    expect(timers.map((t) => t.ms)).toEqual([FILL_AT_LATEST_MS]);
    nats.setPresence('live');
    expect(timers.map((t) => t.ms)).toEqual([FILL_AT_LATEST_MS, FILL_AFTER_LIVE_MS]);
    timers[1]!.fn();
    expect(prom.started).toBe(true);
    fill.stop();
    expect(timers.every((t) => t.cancelled)).toBe(true);

    const late = new FakeSource('p2');
    const down = new PrometheusFill(new FakeSource('n2'), late, { setTimer: timer });
    down.start();
    timers.at(-1)!.fn();
    expect(late.started).toBe(true);
  });
});
