import { describe, expect, it } from 'vitest';

import { decodeMessage } from '../../../collector/core/protocol/decode.js';
import { metricsSamples } from '../../../collector/core/protocol/grids.js';
import type { Sample } from '../../../collector/core/protocol/spec.js';
import {
  SYNTHETIC_DEVICE_METRICS,
  syntheticInventory,
  syntheticMetrics,
  syntheticUtilization,
} from './syntheticFleet.js';

describe('synthetic fleet', () => {
  it('builds messages the real decoder accepts, 126 samples per 8-device node', () => {
    const inv = syntheticInventory(3, 1000);
    const m = syntheticMetrics(3, 7, 2000);
    for (const message of [inv, m]) {
      expect(decodeMessage(JSON.stringify(message))).toEqual({ ok: true, message });
    }
    expect(m.samples).toHaveLength(8 * SYNTHETIC_DEVICE_METRICS.length + 2 * 15);
    expect(inv.devices.map((d) => d.vendor)).toEqual(Array(8).fill('ascend'));
  });

  it('packs the same values into grids on request', () => {
    const m = syntheticMetrics(3, 7, 2000, { encoding: 'grids' });
    expect(decodeMessage(JSON.stringify(m))).toEqual({ ok: true, message: m });
    expect(m.samples).toEqual([]);
    // Grids group rows by their metrics, so compare in one order.
    const key = (x: Sample) => JSON.stringify([x.d, x.l?.engine, x.l?.q, x.m]);
    const sorted = (xs: Sample[]) => [...xs].sort((a, b) => key(a).localeCompare(key(b)));
    expect(sorted(metricsSamples(m))).toEqual(sorted(syntheticMetrics(3, 7, 2000).samples));
  });

  it('is a pure function of node, device and tick', () => {
    expect(syntheticMetrics(5, 9, 0)).toEqual(syntheticMetrics(5, 9, 0));
    const gpu = syntheticInventory(5, 0).devices[2]!;
    const util = syntheticMetrics(5, 9, 0).samples.find(
      (s) => s.m === 'device.utilization' && s.d === gpu.id,
    );
    expect(util?.v).toBe(syntheticUtilization(5, 2, 9));
  });
});
