import { describe, expect, it } from 'vitest';

import { events, metrics } from '../../testing/messages.js';
import { syntheticDevices } from '../../testing/syntheticFleet.js';
import { prepareDeviceDrawer } from './prepareDeviceDrawer.js';
import { fleetStore } from '../../testing/fleetStore.js';
import { formatValue } from '../../lib/format.js';

const gpu = syntheticDevices(0, 8)[2]!;

describe('prepareDeviceDrawer', () => {
  it('lists every metric of the device in catalog order, with values, units and history', () => {
    const store = fleetStore(2, { ticks: 3 });
    const m = prepareDeviceDrawer(store, 'node-000', gpu.id, 2000, 'live')!;
    expect(m.device).toMatchObject({ label: 'GPU 2', model: 'NVIDIA H100 80GB HBM3' });
    expect(m.metrics.map((x) => x.metric)).toEqual([
      'device.utilization',
      'device.memory.used',
      'device.memory.total',
      'device.memory.usage',
      'device.memory.bandwidth.utilization',
      'device.temperature',
      'device.memory.temperature',
      'device.power',
      'device.power.limit',
      'device.clock.sm',
      'device.ecc.uncorrected',
      'device.health',
    ]);
    const power = m.metrics.find((x) => x.metric === 'device.power.limit')!;
    expect(power).toMatchObject({ text: '700 W', state: 'fresh', ts: 2000, label: 'Power limit' });
    expect(power.points.map(([, v]) => v)).toEqual([700, 700, 700]);
    expect(m.metrics[0]!.ageText).toBe('updated just now');
    expect(m.timeRange).toEqual([2000 - 60_000, 2000]);
  });

  it("lists a MIG GPU's instances after its own value, each named by instance and profile", () => {
    const store = fleetStore(1);
    const GiB = 2 ** 30;
    store.ingest({
      receivedAt: 1500,
      messages: [
        metrics(
          1500,
          [
            {
              m: 'device.memory.used',
              v: 35 * GiB,
              d: gpu.id,
              l: { mig: '2', profile: '3g.40gb' },
            },
            {
              m: 'device.memory.used',
              v: 30 * GiB,
              d: gpu.id,
              l: { mig: '1', profile: '3g.40gb' },
            },
          ],
          { node: 'node-000' },
        ),
      ],
    });
    const m = prepareDeviceDrawer(store, 'node-000', gpu.id, 1500, 'live')!;
    const used = m.metrics.filter((x) => x.metric === 'device.memory.used');
    expect(used.map((x) => [x.label, x.text])).toEqual([
      ['Memory used', used[0]!.text],
      ['Memory used · MIG 1 (3g.40gb)', '30 GiB'],
      ['Memory used · MIG 2 (3g.40gb)', '35 GiB'],
    ]);
  });

  it('says why a value is absent, when it went stale, and shows the device’s events', () => {
    const store = fleetStore(1);
    store.ingest({
      receivedAt: 1500,
      messages: [
        metrics(1500, [{ m: 'device.fan', v: null, d: gpu.id, s: 'unsupported', raw: '[N/A]' }], {
          node: 'node-000',
        }),
        events(
          1500,
          [
            {
              ts: 1500,
              kind: 'xid',
              severity: 'critical',
              message: 'Xid 79',
              d: gpu.id,
              code: '79',
            },
            { ts: 1500, kind: 'xid', severity: 'critical', message: 'other GPU', d: 'GPU-x' },
          ],
          'node-000',
        ),
      ],
    });
    const m = prepareDeviceDrawer(store, 'node-000', gpu.id, 16_000, 'live')!;
    expect(m.metrics.find((x) => x.metric === 'device.fan')).toMatchObject({
      state: 'absent',
      text: 'no data: unsupported ([N/A])',
    });
    expect(m.metrics[0]).toMatchObject({ state: 'stale', ageText: 'stale: 15 s old' });
    expect(m.events).toEqual([
      {
        key: '0',
        at: 1500,
        severity: 'critical',
        severityText: 'Critical',
        kind: 'xid',
        code: '79',
        message: 'Xid 79',
      },
    ]);
    const reconnecting = prepareDeviceDrawer(store, 'node-000', gpu.id, 1600, 'reconnecting')!;
    expect(reconnecting.metrics[0]).toMatchObject({
      state: 'stale',
      ageText: 'source reconnecting: 0 s old',
    });
  });

  it('names states, strips them instead of charting them, and says power as a share of its limit', () => {
    const store = fleetStore(1, { ticks: 3 });
    const ts = [2500, 3000, 3500];
    // Health 0, 0 then 3; throttle reasons 0x0, 0x60 (96), 0x60.
    ts.forEach((t, i) =>
      store.ingest({
        receivedAt: t,
        messages: [
          metrics(
            t,
            [
              { m: 'device.health', v: i < 2 ? 0 : 3, d: gpu.id },
              { m: 'device.throttle.reasons', v: i === 0 ? 0 : 96, d: gpu.id },
            ],
            { node: 'node-000', seq: 10 + i, interval: 500 },
          ),
        ],
      }),
    );
    const m = prepareDeviceDrawer(store, 'node-000', gpu.id, 3500, 'live')!;
    const health = m.metrics.find((x) => x.metric === 'device.health')!;
    expect(health.text).toBe('Critical');
    expect(health.states!.spans.slice(-2).map((x) => [x.text, x.from, x.to])).toEqual([
      // The synthetic fleet reports health 0 from its first tick (1,000).
      ['OK', 1000, 3500],
      ['Critical', 3500, 3500],
    ]);
    expect(health.states!.changes).toEqual([{ at: 3500, from: 'OK', to: 'Critical' }]);
    const throttle = m.metrics.find((x) => x.metric === 'device.throttle.reasons')!;
    expect(throttle.text).toBe('SW thermal slowdown + HW thermal slowdown');
    expect(throttle.states!.changes).toEqual([
      { at: 3000, from: 'None', to: 'SW thermal slowdown + HW thermal slowdown' },
    ]);
    // The synthetic H100 draws `power` of its published 700 W limit.
    const power = m.metrics.find((x) => x.metric === 'device.power')!;
    const limit = m.metrics.find((x) => x.metric === 'device.power.limit')!;
    expect(limit.text).toBe('700 W');
    const watts = store.latest('node-000', 'device.power', gpu.id)!.v!;
    expect(power.detail).toBe(
      `${formatValue((100 * watts) / 700, 'percent')} of its 700 W power limit`,
    );
    expect(power.states).toBeUndefined();
  });

  it('lists the device’s open diagnoses worst first, with their advice, a repeat replacing its first', () => {
    const store = fleetStore(1);
    const action = { bucket: 'reboot-node', summary: 'Drain the node and reboot it', steps: [] };
    const ref = { catalog: 'nvsentinel-xid', id: '79' };
    store.ingest({
      receivedAt: 1500,
      messages: [
        events(
          1500,
          [
            {
              ts: 1400,
              kind: 'throttle',
              severity: 'warning',
              message: 'Thermal slowdown for 60 s',
              d: gpu.id,
              id: 'd-thermal',
              action: { bucket: 'check-hardware', summary: 'Check the cooling', steps: [] },
              ref: { catalog: 'osprey-threshold', id: 'throttle' },
            },
            {
              ts: 1450,
              kind: 'xid',
              severity: 'critical',
              message: 'Fell off the bus',
              d: gpu.id,
              code: '79',
              id: 'd-79',
              action,
              ref,
            },
            {
              ts: 1500,
              kind: 'xid',
              severity: 'critical',
              message: 'Fell off the bus',
              d: gpu.id,
              code: '79',
              id: 'd-79',
              action,
              ref,
              count: 3,
            },
            // A plain event (no id, no advice) and another device's diagnosis are not listed.
            { ts: 1500, kind: 'probe', severity: 'warning', message: 'nvidia-smi slow', d: gpu.id },
            {
              ts: 1500,
              kind: 'xid',
              severity: 'critical',
              message: 'x',
              d: 'GPU-x',
              id: 'd-x',
              action,
              ref,
            },
          ],
          'node-000',
        ),
      ],
    });
    const m = prepareDeviceDrawer(store, 'node-000', gpu.id, 1500, 'live')!;
    // Worse than the synthetic GPU's health (0): its critical diagnosis.
    expect(m.state).toBe('critical');
    expect(m.diagnoses.map((d) => [d.severity, d.title, d.advice, d.count])).toEqual([
      ['critical', 'Fell off the bus', 'Drain the node and reboot it', 3],
      ['warning', 'Thermal slowdown for 60 s', 'Check the cooling', 1],
    ]);
  });

  it('has nothing to show for a device it does not know', () => {
    expect(prepareDeviceDrawer(fleetStore(1), 'node-000', 'GPU-nope', 0, 'live')).toBeUndefined();
    expect(prepareDeviceDrawer(fleetStore(1), 'node-9', gpu.id, 0, 'live')).toBeUndefined();
  });
});
