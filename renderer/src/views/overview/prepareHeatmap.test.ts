import { describe, expect, it } from 'vitest';

import type { DeviceInfo } from '../../../../collector/core/protocol/spec.js';
import { LiveStore } from '../../store/LiveStore.js';
import { H100, inventory, metrics } from '../../testing/messages.js';
import { prepareHeatmap } from './prepareHeatmap.js';

const MiB = 1024 * 1024;

function gpu(index: number): DeviceInfo {
  return { id: `nvidia:${index}`, vendor: 'nvidia', index, name: 'NVIDIA L40S' };
}

/** One H100 as the real capture reports it, received at local time 10 s. */
function h100Store(): LiveStore {
  const store = new LiveStore();
  store.ingest({
    receivedAt: 10_000,
    messages: [
      inventory([H100]),
      metrics(10_000, [
        { m: 'device.utilization', v: 100, d: H100.id },
        { m: 'device.memory.used', v: 19818 * MiB, d: H100.id },
        { m: 'device.memory.total', v: 81559 * MiB, d: H100.id },
        { m: 'device.temperature', v: 59, d: H100.id },
        { m: 'device.power', v: 631.95, d: H100.id },
        { m: 'device.power.limit', v: 700, d: H100.id },
      ]),
    ],
  });
  return store;
}

describe('prepareHeatmap', () => {
  it('gives each device a cell with its value, unit, age and tooltip', () => {
    const model = prepareHeatmap(h100Store(), 'device.utilization', 13_000);
    expect(model.rows).toEqual(['box']);
    expect(model.cols).toBe(1);
    expect(model.rangeText).toEqual(['0 %', '100 %']);
    expect(model.cells).toHaveLength(1);
    const cell = model.cells[0]!;
    expect(cell).toMatchObject({
      label: 'GPU 0',
      value: 100,
      text: '100 %',
      t: 1,
      ageMs: 3000,
      stale: false,
    });
    expect(cell.tooltip).toEqual([
      'GPU 0 · NVIDIA H100 80GB HBM3',
      'GPU-00000000-0000-0000-0000-000000000000',
      'Utilization: 100 %',
      'updated 3 s ago',
    ]);
  });

  it('computes memory used % from used and total when the source gives only those', () => {
    const cell = prepareHeatmap(h100Store(), 'device.memory.usage', 10_000).cells[0]!;
    expect(cell.value).toBeCloseTo((100 * 19818) / 81559, 6);
    expect(cell.text).toBe('24.3 %');
  });

  it('scales power to the enforced limit, since the catalog has no natural range for it', () => {
    const model = prepareHeatmap(h100Store(), 'device.power', 10_000);
    expect(model.range).toEqual([0, 700]);
    expect(model.cells[0]).toMatchObject({ text: '632 W' });
    expect(model.cells[0]!.t).toBeCloseTo(631.95 / 700, 6);
  });

  it('clamps the colour of values beyond the natural range but shows the real number', () => {
    const store = h100Store();
    store.ingest({
      receivedAt: 11_000,
      messages: [metrics(11_000, [{ m: 'device.temperature', v: 104, d: H100.id }])],
    });
    const cell = prepareHeatmap(store, 'device.temperature', 11_000).cells[0]!;
    expect(cell).toMatchObject({ text: '104 °C', t: 1 });
  });

  it('shows an absent value as no data with the tool’s reason, never as 0', () => {
    const store = h100Store();
    store.ingest({
      receivedAt: 11_000,
      messages: [
        metrics(11_000, [
          { m: 'device.power', v: null, d: H100.id, s: 'unsupported', raw: '[N/A]' },
        ]),
      ],
    });
    const cell = prepareHeatmap(store, 'device.power', 11_000).cells[0]!;
    expect(cell).toMatchObject({ value: null, text: 'no data', noData: 'unsupported ([N/A])' });
    expect(cell.t).toBeUndefined();
    expect(cell.tooltip).toContain('Power: no data: unsupported ([N/A])');
  });

  it('says "not reported" for a metric the device never sent', () => {
    const store = new LiveStore();
    store.ingest({ receivedAt: 1, messages: [inventory([gpu(0)])] });
    const cell = prepareHeatmap(store, 'device.temperature', 1).cells[0]!;
    expect(cell).toMatchObject({ value: null, noData: 'not reported' });
  });

  it('marks values older than two intervals as stale', () => {
    const model = prepareHeatmap(h100Store(), 'device.utilization', 10_000 + 3001);
    expect(model.cells[0]).toMatchObject({ stale: true });
    expect(model.cells[0]!.tooltip.at(-1)).toBe('updated 3 s ago (stale)');
  });

  it('lays out devices by index in one row per node, wrapping nodes with more than 16 at 8', () => {
    const store = new LiveStore();
    const eight = [7, 6, 5, 4, 3, 2, 1, 0].map(gpu);
    const twenty = Array.from({ length: 20 }, (_, i) => gpu(i));
    store.ingest({
      receivedAt: 1,
      messages: [inventory(eight, [], { node: 'a' }), inventory(twenty, [], { node: 'b' })],
    });
    const model = prepareHeatmap(store, 'device.utilization', 1);
    expect(model.cols).toBe(8);
    expect(model.rows).toEqual(['a', 'b · 0–7', 'b · 8–15', 'b · 16–19']);
    const a = model.cells.filter((c) => c.node === 'a');
    expect(a.map((c) => [c.label, c.row, c.col])).toEqual(
      [0, 1, 2, 3, 4, 5, 6, 7].map((i) => [`GPU ${i}`, 0, i]),
    );
    expect(model.cells.find((c) => c.label === 'GPU 17' && c.node === 'b')).toMatchObject({
      row: 3,
      col: 1,
    });
  });

  it('labels Ascend chips by card and chip', () => {
    const store = new LiveStore();
    const npu = {
      id: 'ascend:3:1',
      vendor: 'ascend' as const,
      index: 3,
      chip: 1,
      name: 'Ascend 910B3',
    };
    store.ingest({ receivedAt: 1, messages: [inventory([npu])] });
    expect(prepareHeatmap(store, 'device.utilization', 1).cells[0]!.label).toBe('NPU 3·1');
  });

  it('tells "waiting for the inventory" from "no devices", and lists the probes for the latter', () => {
    const store = new LiveStore();
    expect(prepareHeatmap(store, 'device.utilization', 0)).toMatchObject({
      waiting: true,
      empty: false,
    });
    store.ingest({
      receivedAt: 1,
      messages: [
        inventory(
          [],
          [
            { probe: 'host', state: 'ok', since: 0 },
            { probe: 'nvidia-smi', state: 'absent', message: 'not found', since: 0 },
          ],
        ),
      ],
    });
    const model = prepareHeatmap(store, 'device.utilization', 1);
    expect(model).toMatchObject({ waiting: false, empty: true });
    expect(model.probes.map((p) => `${p.probe}: ${p.message ?? p.state}`)).toEqual([
      'host: ok',
      'nvidia-smi: not found',
    ]);
  });
});
