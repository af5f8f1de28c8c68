import { describe, expect, it } from 'vitest';

import type { Sample } from '../../../../collector/core/protocol/spec.js';
import { LiveStore } from '../../store/LiveStore.js';
import { H100, inventory, metrics } from '../../testing/messages.js';
import { syntheticDevices } from '../../testing/syntheticFleet.js';
import { formatPower, healthText, prepareFleetSummary } from './prepareFleetSummary.js';
import { fleetStore } from '../../testing/fleetStore.js';

describe('prepareFleetSummary', () => {
  it('counts devices by health and sums memory and power with units', () => {
    const store = fleetStore(4);
    const s = prepareFleetSummary(store, 1000, true);
    expect(s).toMatchObject({ nodes: 4, devices: 32 });
    // Synthetic fleet: one health level 2 (node-000 GPU 0: Error), the rest OK.
    expect(s.health).toEqual({ ok: 31, warning: 0, error: 1, critical: 0, unknown: 0 });
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
    // Health stays as last known, marked stale (the synthetic fleet stamps its values at 1000).
    // Health level 2 is an Error in the core's one vocabulary (severity.ts; npu-smi says Alarm).
    expect(late.health).toEqual({ ok: 15, warning: 0, error: 1, critical: 0, unknown: 0 });
    expect([healthText(late, 'ok'), healthText(late, 'error')]).toEqual([
      '15 OK (stale 2 s)',
      '1 Error (stale 2 s)',
    ]);
  });

  it('counts devices by last known health when the node stopped 26 s ago with 2 GPUs lost', () => {
    const store = new LiveStore();
    const gpus = [0, 1, 2, 3].map((i) => ({ ...H100, id: `GPU-${i}`, uuid: `GPU-${i}`, index: i }));
    const health = (values: number[]): Sample[] =>
      values.map((v, i) => ({ m: 'device.health', v, d: gpus[i]!.id }));
    store.ingest({
      receivedAt: 1000,
      messages: [inventory(gpus), metrics(1000, health([0, 0, 0, 0]))],
    });
    // Two GPUs fall off the bus: the inventory drops them, and they report Critical.
    store.ingest({
      receivedAt: 2000,
      messages: [inventory(gpus.slice(0, 2)), metrics(2000, health([0, 0, 3, 3]))],
    });
    expect(store.node('box')?.lostDevices.map((d) => d.id)).toEqual(['GPU-2', 'GPU-3']);
    expect(healthText(prepareFleetSummary(store, 2500, true), 'critical')).toBe('2 Critical');
    // Then nothing for 26 s (nats-server down): the source is not live, or merely behind.
    for (const live of [false, true]) {
      const s = prepareFleetSummary(store, 28_000, live);
      expect(s.health).toEqual({ ok: 2, warning: 0, error: 0, critical: 2, unknown: 0 });
      expect(healthText(s, 'critical')).toBe('2 Critical (stale 26 s)');
      expect(healthText(s, 'ok')).toBe('2 OK (stale 26 s)');
    }
  });

  it('counts a GPU missing from the latest inventory as Critical though its last health was OK or absent', () => {
    const store = new LiveStore();
    const gpus = [0, 1, 2].map((i) => ({ ...H100, id: `GPU-${i}`, uuid: `GPU-${i}`, index: i }));
    store.ingest({
      receivedAt: 1000,
      messages: [
        inventory(gpus),
        metrics(1000, [
          { m: 'device.health', v: 0, d: 'GPU-0' },
          { m: 'device.health', v: 0, d: 'GPU-1' },
        ]),
      ],
    });
    // As nvidia-smi does after an Xid 79: the GPUs vanish from the listing, no last word on health.
    store.ingest({ receivedAt: 2000, messages: [inventory(gpus.slice(0, 1))] });
    const s = prepareFleetSummary(store, 2500, true);
    expect(s.health).toEqual({ ok: 1, warning: 0, error: 0, critical: 2, unknown: 0 });
    expect(healthText(s, 'critical')).toBe('2 Critical');
  });

  it('says how many of a health are stale when only some are', () => {
    const store = new LiveStore();
    const gpus = [0, 1, 2].map((i) => ({ ...H100, id: `GPU-${i}`, uuid: `GPU-${i}`, index: i }));
    store.ingest({
      receivedAt: 1000,
      messages: [
        inventory(gpus),
        metrics(1000, [
          { m: 'device.health', v: 3, d: 'GPU-0' },
          { m: 'device.health', v: 3, d: 'GPU-1' },
        ]),
      ],
    });
    store.ingest({
      receivedAt: 30_000,
      messages: [metrics(30_000, [{ m: 'device.health', v: 3, d: 'GPU-2' }])],
    });
    const s = prepareFleetSummary(store, 30_500, true);
    expect(healthText(s, 'critical')).toBe('3 Critical (2 stale, up to 29 s)');
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
