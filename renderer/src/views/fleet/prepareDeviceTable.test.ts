import { describe, expect, it } from 'vitest';

import { LiveStore } from '../../store/LiveStore.js';
import { H100, inventory, metrics } from '../../testing/messages.js';
import { fleetStore } from '../../testing/fleetStore.js';
import { prepareDeviceTable } from './prepareDeviceTable.js';
import { prepareFleetLayout } from './prepareFleetLayout.js';
import type { FleetOptions } from './types.js';

const MiB = 1024 * 1024;

/** A store holding one H100 and one metrics message of `samples` received at 5 s. */
function h100With(samples: Parameters<typeof metrics>[1]): LiveStore {
  const store = new LiveStore();
  store.ingest({ receivedAt: 5000, messages: [inventory([H100]), metrics(5000, samples)] });
  return store;
}

describe('prepareDeviceTable', () => {
  it('lists each device with all heatmap metrics as text, memory and power in context', () => {
    const store = h100With([
      { m: 'device.utilization', v: 100, d: H100.id },
      { m: 'device.memory.used', v: 19818 * MiB, d: H100.id },
      { m: 'device.temperature', v: 59, d: H100.id },
      { m: 'device.power', v: 631.95, d: H100.id },
      { m: 'device.power.limit', v: 700, d: H100.id },
    ]);
    const [row] = prepareDeviceTable(store, 7000);
    expect(row).toMatchObject({
      label: 'GPU 0',
      name: 'NVIDIA H100 80GB HBM3',
      uuid: H100.uuid,
      memoryDetail: '19.4 GiB of 79.6 GiB',
      // 631.95 W of 700 W: 90.3 % of this board's own limit.
      powerLimit: '90.3 % of 700 W',
      updated: '2 s ago',
      stale: false,
    });
    expect(row!.values.map((v) => v.text)).toEqual(['100 %', '24.3 %', '59 °C', '632 W']);
  });

  it('says "never" for a device that has sent nothing yet', () => {
    const store = new LiveStore();
    store.ingest({ receivedAt: 1, messages: [inventory([H100])] });
    const [row] = prepareDeviceTable(store, 1);
    expect(row!.updated).toBe('never');
    expect(row!.values.every((v) => v.value === null && v.noData === 'not reported')).toBe(true);
  });

  it("shows a value the tool did not give as no data in the tool's own words, never as 0", () => {
    const store = h100With([
      { m: 'device.utilization', v: 100, d: H100.id },
      { m: 'device.power', v: null, d: H100.id, s: 'unsupported', raw: '[N/A]' },
    ]);
    const power = prepareDeviceTable(store, 5000)[0]!.values.find(
      (v) => v.metric === 'device.power',
    )!;
    expect(power.value).toBeNull();
    expect(power.noData).toBe('unsupported ([N/A])');
  });

  it('with the heatmap layout, lists only the devices that match its search, in its order', () => {
    const store = fleetStore(3);
    const base: FleetOptions = {
      metric: 'device.utilization',
      group: 'none',
      sort: 'node',
      filter: {},
    };
    const all = prepareDeviceTable(store, 2000, prepareFleetLayout(store, base));
    expect(all).toHaveLength(prepareDeviceTable(store, 2000).length);
    const node = all[all.length - 1]!.node;
    const searched = prepareDeviceTable(
      store,
      2000,
      prepareFleetLayout(store, { ...base, filter: { search: node } }),
    );
    expect(searched.length).toBeGreaterThan(0);
    expect(searched.every((r) => r.node === node)).toBe(true);
    expect(searched.map((r) => r.key)).toEqual(
      all.filter((r) => r.node === node).map((r) => r.key),
    );
  });
});
