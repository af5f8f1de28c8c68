import { describe, expect, it } from 'vitest';

import { LiveStore } from '../../store/LiveStore.js';
import { H100, inventory, metrics } from '../../testing/messages.js';
import { syntheticDevices } from '../../testing/syntheticFleet.js';
import { prepareFleetLayout } from './prepareFleetLayout.js';
import { fleetStore } from '../../testing/fleetStore.js';
import type { FleetOptions } from './types.js';

const base: FleetOptions = {
  metric: 'device.utilization',
  group: 'none',
  sort: 'node',
  filter: {},
};

describe('prepareFleetLayout', () => {
  it('puts every node in a row and every device in its column', () => {
    const layout = prepareFleetLayout(fleetStore(4), base);
    expect(layout.sections).toHaveLength(1);
    expect(layout.sections[0]!.rows.map((r) => r.node)).toEqual([
      'node-000',
      'node-001',
      'node-002',
      'node-003',
    ]);
    expect(layout.columns).toBe(8);
    expect(layout).toMatchObject({ nodes: 4, devices: 32, matching: 32, totalDevices: 32 });
    const row = layout.sections[0]!.rows[3]!;
    expect(row.cells.map((c) => [c.col, c.device.label])).toEqual(
      Array.from({ length: 8 }, (_, i) => [i, `NPU ${i}`]),
    );
  });

  it('sorts node names as people do: node-2 before node-10', () => {
    const store = new LiveStore();
    store.ingest({
      receivedAt: 0,
      messages: ['node-10', 'node-2', 'node-1'].map((node) =>
        inventory([H100], undefined, { node }),
      ),
    });
    const rows = prepareFleetLayout(store, base).sections[0]!.rows.map((r) => r.node);
    expect(rows).toEqual(['node-1', 'node-2', 'node-10']);
  });

  it('groups by model, biggest group first, and by vendor', () => {
    const store = fleetStore(8);
    const byModel = prepareFleetLayout(store, { ...base, group: 'model' });
    expect(byModel.sections.map((s) => [s.title, s.rows.length, s.devices])).toEqual([
      ['NVIDIA H100 80GB HBM3', 4, 32],
      ['Ascend 910B3', 2, 16],
      ['NVIDIA A100-SXM4-80GB', 2, 16],
    ]);
    const byVendor = prepareFleetLayout(store, { ...base, group: 'vendor' });
    expect(byVendor.sections.map((s) => s.title)).toEqual(['NVIDIA', 'Huawei Ascend']);
  });

  it('groups by worst device health, worst first', () => {
    const store = fleetStore(3);
    const bad = syntheticDevices(1, 8)[5]!;
    store.ingest({
      receivedAt: 2000,
      messages: [metrics(2000, [{ m: 'device.health', v: 3, d: bad.id }], { node: 'node-001' })],
    });
    const layout = prepareFleetLayout(store, { ...base, group: 'health' });
    expect(layout.sections.map((s) => [s.title, s.rows.map((r) => r.node)])).toEqual([
      ['Worst device: Critical', ['node-001']],
      // The synthetic fleet reports health 2 on GPU 0 of node-000: Error in the core's words.
      ['Worst device: Error', ['node-000']],
      ['Worst device: OK', ['node-002']],
    ]);
    const filtered = prepareFleetLayout(store, { ...base, filter: { health: 'critical' } });
    expect(filtered.nodes).toBe(1);
    expect(filtered.matching).toBe(1);
    expect(filtered.sections[0]!.rows[0]!.cells.filter((c) => c.match)[0]!.device.id).toBe(bad.id);
  });

  it('filters by vendor and model, and searches node names, UUIDs and models', () => {
    const store = fleetStore(8);
    expect(prepareFleetLayout(store, { ...base, filter: { vendor: 'ascend' } }).nodes).toBe(2);
    expect(
      prepareFleetLayout(store, { ...base, filter: { model: 'NVIDIA A100-SXM4-80GB' } }).nodes,
    ).toBe(2);
    const byNode = prepareFleetLayout(store, { ...base, filter: { search: 'NODE-005' } });
    expect([byNode.nodes, byNode.matching]).toEqual([1, 8]);
    const uuid = syntheticDevices(6, 8)[2]!.uuid!;
    const byUuid = prepareFleetLayout(store, { ...base, filter: { search: uuid.slice(0, 20) } });
    expect(byUuid.sections[0]!.rows.map((r) => r.node)).toEqual(['node-006']);
    expect(byUuid.matching).toBe(1);
    expect(prepareFleetLayout(store, { ...base, filter: { search: '910b' } }).nodes).toBe(2);
    expect(prepareFleetLayout(store, { ...base, filter: { search: 'nothing' } }).sections).toEqual(
      [],
    );
  });

  it('sorts by the colour metric, highest node mean first', () => {
    const store = fleetStore(3);
    const ids = (n: number) => syntheticDevices(n, 8).map((d) => d.id);
    const set = (node: number, v: number) =>
      metrics(
        5000,
        ids(node).map((d) => ({ m: 'device.temperature', v, d })),
        { node: `node-00${node}` },
      );
    store.ingest({ receivedAt: 5000, messages: [set(0, 40), set(1, 80), set(2, 60)] });
    const layout = prepareFleetLayout(store, {
      ...base,
      metric: 'device.temperature',
      sort: 'value',
    });
    expect(layout.sections[0]!.rows.map((r) => r.node)).toEqual([
      'node-001',
      'node-002',
      'node-000',
    ]);
  });

  it('shows a node whose inventory has not arrived with the devices its samples name', () => {
    const store = new LiveStore();
    store.ingest({
      receivedAt: 1000,
      messages: [
        metrics(1000, [
          { m: 'device.utilization', v: 1, d: 'GPU-b' },
          { m: 'device.utilization', v: 2, d: 'GPU-a' },
          { m: 'host.cpu.utilization', v: 3 },
        ]),
      ],
    });
    const layout = prepareFleetLayout(store, base);
    expect(layout.withoutInventory).toBe(1);
    expect(layout.sections[0]!.rows[0]!.cells.map((c) => [c.device.id, c.device.label])).toEqual([
      ['GPU-b', 'device 0'],
      ['GPU-a', 'device 1'],
    ]);
    expect(layout.sections[0]!.rows[0]!.cells[0]!.device.inferred).toBe(true);
  });
});

describe('fleetDevices', () => {
  it('keeps a device the latest inventory dropped, in its column, marked lost', () => {
    const store = new LiveStore();
    const devices = syntheticDevices(0, 4);
    store.ingest({ receivedAt: 0, messages: [inventory(devices)] });
    store.ingest({ receivedAt: 1, messages: [inventory(devices.filter((d) => d.index !== 2))] });
    const row = prepareFleetLayout(store, base).sections[0]!.rows[0]!;
    expect(row.cells.map((c) => [c.col, c.device.label, c.device.lost ?? false])).toEqual([
      [0, 'GPU 0', false],
      [1, 'GPU 1', false],
      [2, 'GPU 2', true],
      [3, 'GPU 3', false],
    ]);
  });
});
