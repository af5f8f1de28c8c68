import { describe, expect, it } from 'vitest';

import type { Sample } from '../../../../collector/core/protocol/spec.js';
import { LiveStore } from '../../store/LiveStore.js';
import { inventory, metrics } from '../../testing/messages.js';
import { prepareHostCharts } from './prepareHostCharts.js';

const GiB = 1024 ** 3;

function feed(store: LiveStore, ts: number, samples: Sample[], receivedAt = ts): void {
  store.ingest({ receivedAt, messages: [metrics(ts, samples)] });
}

describe('prepareHostCharts', () => {
  it('charts CPU and memory % over time with their latest values', () => {
    const store = new LiveStore();
    store.ingest({ receivedAt: 0, messages: [inventory([])] });
    feed(store, 1000, [
      { m: 'host.cpu.utilization', v: 12 },
      { m: 'host.memory.usage', v: 40 },
      { m: 'host.memory.used', v: 12.8 * GiB },
      { m: 'host.memory.total', v: 32 * GiB },
    ]);
    feed(store, 2000, [
      { m: 'host.cpu.utilization', v: 23.4 },
      { m: 'host.memory.usage', v: 41 },
    ]);
    const [cpu, memory] = prepareHostCharts(store, 'box');
    expect(cpu).toMatchObject({
      id: 'cpu',
      unit: 'percent',
      yMax: 100,
      summary: '23.4 %',
      pointCount: 2,
    });
    expect(cpu!.series[0]!.points).toEqual([
      [1000, 12],
      [2000, 23.4],
    ]);
    expect(memory!.summary).toBe('41 % · 12.8 GiB of 32 GiB');
    expect(cpu!.timeRange).toEqual([2000 - 60_000, 2000]);
  });

  it('widens the time axis with the data, from one minute up to the ring’s reach', () => {
    const store = new LiveStore();
    for (let t = 0; t <= 120_000; t += 1000) feed(store, t, [{ m: 'host.cpu.utilization', v: 1 }]);
    expect(prepareHostCharts(store, 'box')[0]!.timeRange).toEqual([0, 120_000]);
  });

  it('has nothing to draw while every point is absent', () => {
    const store = new LiveStore();
    feed(store, 1000, [{ m: 'host.cpu.utilization', v: null, s: 'missing' }]);
    expect(prepareHostCharts(store, 'box')[0]).toMatchObject({
      pointCount: 1,
      hasValues: false,
      summary: 'no data',
    });
  });

  it('derives memory % from used bytes when usage is not reported', () => {
    const store = new LiveStore();
    store.ingest({ receivedAt: 0, messages: [inventory([])] });
    feed(store, 1000, [{ m: 'host.memory.used', v: 8 * GiB }]);
    const memory = prepareHostCharts(store, 'box')[1]!;
    expect(memory.series[0]!.points).toEqual([[1000, 25]]);
  });

  it('sums network rates over interfaces per time, leaving out loopback', () => {
    const store = new LiveStore();
    const rx = (iface: string, v: number | null): Sample =>
      v === null
        ? { m: 'host.network.receive', v: null, s: 'missing', l: { interface: iface } }
        : { m: 'host.network.receive', v, l: { interface: iface } };
    feed(store, 1000, [rx('eth0', 1000), rx('eth1', 500), rx('lo', 1e9)]);
    feed(store, 2000, [rx('eth0', 2000), rx('eth1', null)]);
    feed(store, 3000, [rx('eth0', null), rx('eth1', null)]);
    const network = prepareHostCharts(store, 'box')[2]!;
    expect(network.series[0]!.points).toEqual([
      [1000, 1500],
      [2000, 2000],
      [3000, null],
    ]);
    expect(network.series[1]!.points).toEqual([]);
    expect(network.summary).toBe('↓ no data  ↑ no data');
  });

  it('sums disk read and write rates over disks per time', () => {
    const store = new LiveStore();
    const disk = (m: 'host.disk.read' | 'host.disk.write', name: string, v: number): Sample => ({
      m,
      v,
      l: { disk: name },
    });
    feed(store, 1000, [
      disk('host.disk.read', 'nvme0n1', 4096),
      disk('host.disk.read', 'sda', 1024),
      disk('host.disk.write', 'nvme0n1', 2048),
    ]);
    const chart = prepareHostCharts(store, 'box')[3]!;
    expect(chart.id).toBe('disk');
    expect(chart.series.map((s) => s.points)).toEqual([[[1000, 5120]], [[1000, 2048]]]);
    expect(chart.summary).toBe('read 5.12 kB/s  write 2.05 kB/s');
  });

  it('moves sender times onto the local clock', () => {
    const store = new LiveStore();
    // The sender's clock is 5 s behind the browser's.
    feed(store, 1000, [{ m: 'host.cpu.utilization', v: 5 }], 6000);
    expect(prepareHostCharts(store, 'box')[0]!.series[0]!.points).toEqual([[6000, 5]]);
  });

  it('says "no data" before anything arrived', () => {
    const charts = prepareHostCharts(new LiveStore(), 'box');
    expect(charts.map((c) => [c.id, c.summary, c.pointCount, c.hasValues, c.timeRange])).toEqual([
      ['cpu', 'no data', 0, false, undefined],
      ['memory', 'no data', 0, false, undefined],
      ['network', 'no data', 0, false, undefined],
      ['disk', 'no data', 0, false, undefined],
    ]);
  });
});
