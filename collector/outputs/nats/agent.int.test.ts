import { afterEach, describe, expect, it } from 'vitest';

import { metricsSamples } from '../../core/protocol/grids.js';
import type { InventoryMessage, WireMessage } from '../../core/protocol/spec.js';
import { captureCells, REPLAY_H100 } from '../../testing/fixtures.js';
import { startNatsServer, type NatsServer } from '../../testing/natsServer.js';
import {
  streamInventory,
  streamUntil,
  subscribeCluster,
  type ClusterSubscriber,
} from '../../testing/natsSubscriber.js';
import { eventually, startServe, type Served } from '../../testing/serveProcess.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});
function track<T extends { stop?: () => Promise<void>; close?: () => Promise<void> }>(x: T): T {
  cleanups.push(() => (x.stop ?? x.close)!.call(x));
  return x;
}

const natsProbe = (inv: InventoryMessage) => inv.probes.find((p) => p.probe === 'nats');
const ofType = <T extends WireMessage['type']>(sub: ClusterSubscriber, type: T) =>
  sub.received
    .map((r) => r.message)
    .filter((m): m is Extract<WireMessage, { type: T }> => m.type === type);

async function metricsAnswer(served: Served): Promise<void> {
  const res = await fetch(`${served.url}/metrics`);
  expect(res.status).toBe(200);
  expect(await res.text()).toContain('osprey_');
}

describe('osprey serve --nats: the collector as a node agent', () => {
  it('publishes the replayed GPU as inventory and metrics on the cluster subjects', async () => {
    const nats = track(await startNatsServer());
    const sub = track(await subscribeCluster({ servers: [nats.url] }, 'c1'));
    const served = track(
      await startServe([
        ...['--no-ui', '--nats', nats.url, '--cluster', 'c1', '--node', 'gpu.node-1'],
        ...['--interval', '200', '--replay', `nvidia-smi=${REPLAY_H100}`],
      ]),
    );
    const gpu = captureCells(REPLAY_H100);
    const inventory = await eventually(async () => {
      const inv = ofType(sub, 'inventory').find((i) => natsProbe(i)?.state === 'ok');
      if (!inv) throw new Error('no inventory with the nats link ok yet');
      return inv;
    });
    expect(inventory).toMatchObject({ cluster: 'c1', node: 'gpu.node-1' });
    const device = inventory.devices.find((d) => d.uuid === gpu.get('uuid'));
    expect(device?.name).toBe(gpu.get('name'));
    const metrics = await eventually(async () => {
      const m = ofType(sub, 'metrics').find((x) =>
        metricsSamples(x).some((s) => s.d === device!.id),
      );
      if (!m) throw new Error('no metrics for the GPU yet');
      return m;
    });
    const util = metricsSamples(metrics).find(
      (s) => s.d === device!.id && s.m === 'device.utilization',
    );
    expect(util?.v).toBe(Number.parseFloat(gpu.get('utilization.gpu [%]')!));
    const subjects = new Set(sub.received.map((r) => r.subject));
    expect(subjects).toContain('osprey.v1.inventory.c1.gpu_node-1');
    expect(subjects).toContain('osprey.v1.metrics.c1.gpu_node-1');
    expect(sub.problems).toEqual([]);
    expect(served.output.join('')).toContain(
      'NATS: cluster "c1", node "gpu.node-1" → osprey.v1.*.c1.gpu_node-1 on nats://127.0.0.1:',
    );
  });

  it('survives nats-server going away, reports what it dropped, and flows again', async () => {
    const nats: NatsServer = track(await startNatsServer());
    const sub = track(await subscribeCluster({ servers: [nats.url] }, 'c2'));
    const served = track(
      await startServe([
        ...['--no-ui', '--nats', nats.url, '--cluster', 'c2', '--node', 'n1', '--token', 'tk'],
        ...['--interval', '100', '--nats-buffer', '16KiB', '--replay', `nvidia-smi=${REPLAY_H100}`],
      ]),
    );
    await eventually(async () => expect(ofType(sub, 'metrics').length).toBeGreaterThan(2));

    await nats.stop();
    const offline = await eventually(async () => {
      const status = natsProbe(await streamInventory(served.url, 'tk'));
      expect(status?.state).toBe('degraded');
      expect(status?.message).toMatch(
        /disconnected from nats:\/\/127\.0\.0\.1:\d+ .*dropped while offline/,
      );
      return status!;
    });
    expect(served.child.exitCode).toBeNull();
    await metricsAnswer(served);

    const before = sub.received.length;
    await nats.restart();
    await eventually(async () => {
      const after = sub.received.slice(before).map((r) => r.message);
      expect(after[0]?.type).toBe('inventory');
      expect(after.filter((m) => m.type === 'metrics').length).toBeGreaterThan(2);
    });
    const back = await streamInventory(served.url, 'tk');
    expect(natsProbe(back)).toMatchObject({ state: 'ok' });
    expect(natsProbe(back)?.message).toMatch(/the last outage dropped \d+ messages/);
    const events = await streamUntil(served.url, 'tk', (ms) =>
      ms.some((m) => m.type === 'events' && m.events.some((e) => e.kind === 'nats')),
    );
    const report = events
      .flatMap((m) => (m.type === 'events' ? m.events : []))
      .find((e) => e.kind === 'nats');
    expect(report?.message).toMatch(
      /reconnected to nats:\/\/127\.0\.0\.1:\d+; \d+ messages \(\d+ KB: \d+ metrics\) dropped while offline/,
    );
    expect(offline.message).not.toBe(natsProbe(back)?.message);
    const log = served.output.join('');
    expect(log).toMatch(/nats: disconnected from/);
    expect(log).toMatch(/nats: publishing to .*the last outage dropped/);
  });
});
