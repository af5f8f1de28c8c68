import { describe, expect, it } from 'vitest';

import { metrics } from '../../testing/messages.js';
import { syntheticDevices } from '../../testing/syntheticFleet.js';
import { formatPower, prepareFleetSummary } from './prepareFleetSummary.js';
import { fleetStore } from './testStore.js';

describe('prepareFleetSummary', () => {
  it('counts devices by health and sums memory and power with units', () => {
    const store = fleetStore(4);
    const s = prepareFleetSummary(store, 1000, true);
    expect(s).toMatchObject({ nodes: 4, devices: 32 });
    // Synthetic fleet: one alarm (node-000 GPU 0), the rest OK.
    expect(s.health).toEqual({ ok: 31, warning: 0, alarm: 1, critical: 0, unknown: 0 });
    expect(s.utilization.withData).toBe(32);
    expect(s.utilization.text).toMatch(/^\d+(\.\d+)? %$/);
    // 24 × 80 GiB + 8 × 64 GiB = 2,432 GiB.
    expect(s.memory.text).toMatch(/^\d+(\.\d+)? TiB$/);
    expect(s.memory.detail).toMatch(/^of 2\.38 TiB \(\d+(\.\d+)? %\)$/);
    expect(s.power.text).toMatch(/ kW$/);
    expect(s.power.noData).toBe(0);
  });

  it('leaves stale and absent values out, and counts those devices', () => {
    const store = fleetStore(2);
    const d = syntheticDevices(0, 8)[3]!.id;
    store.ingest({
      receivedAt: 1200,
      messages: [
        metrics(1200, [{ m: 'device.utilization', v: null, d, s: 'unsupported' }], {
          node: 'node-000',
          interval: 500,
        }),
      ],
    });
    const s = prepareFleetSummary(store, 1300, true);
    expect([s.utilization.withData, s.utilization.noData]).toEqual([15, 1]);
    // 2 s later every value is older than two 500 ms intervals.
    const late = prepareFleetSummary(store, 3300, true);
    expect(late.utilization).toEqual({ text: 'no current data', withData: 0, noData: 16 });
    expect(late.health.unknown).toBe(16);
  });

  it('counts nothing as current while the source is not live', () => {
    const s = prepareFleetSummary(fleetStore(1), 1000, false);
    expect([s.power.text, s.power.noData, s.memory.noData]).toEqual(['no current data', 8, 8]);
  });

  it('writes power in W, kW and MW', () => {
    expect([formatPower(640), formatPower(12_400), formatPower(2_140_000)]).toEqual([
      '640 W',
      '12.4 kW',
      '2.14 MW',
    ]);
  });
});
