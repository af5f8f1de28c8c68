import { describe, expect, it } from 'vitest';

import { discover } from '../../../../collector/core/prometheus/discovery.js';
import { matrixSeries } from '../../sources/prometheus/FakePrometheusSource.js';
import { deviceRef, historyPlan, prepareDeviceHistory } from './prepareDeviceHistory.js';
import type { FleetDevice } from './types.js';

const gpu: FleetDevice = {
  id: 'GPU-abc',
  label: 'GPU 3',
  model: 'NVIDIA H100 80GB HBM3',
  vendor: 'nvidia',
  uuid: 'GPU-abc',
  inferred: false,
};

describe('device history', () => {
  it('names the device by UUID, or by node and the index in its id', () => {
    expect(deviceRef('node-007', gpu)).toEqual({
      vendor: 'nvidia',
      node: 'node-007',
      uuid: 'GPU-abc',
    });
    expect(
      deviceRef('node-007', {
        ...gpu,
        id: 'ascend:5',
        vendor: 'ascend',
        uuid: undefined,
      } as unknown as FleetDevice),
    ).toEqual({
      vendor: 'ascend',
      node: 'node-007',
      index: '5',
    });
    expect(deviceRef('n', { ...gpu, vendor: undefined } as unknown as FleetDevice)).toBeUndefined();
  });

  it('reads DCGM series when the server holds the exporter, with units and the source', () => {
    const plan = historyPlan(
      discover(['DCGM_FI_DEV_GPU_UTIL', 'DCGM_FI_DEV_FB_USED', 'DCGM_FI_DEV_POWER_USAGE']),
      'node-007',
      gpu,
    )!;
    expect(plan.queries.map((q) => q.source)).toEqual([
      'DCGM_FI_DEV_GPU_UTIL',
      'DCGM_FI_DEV_FB_USED',
      'DCGM_FI_DEV_POWER_USAGE',
    ]);
    const results = new Map([
      [
        'device.utilization',
        [
          matrixSeries({}, [
            [0, 40],
            [60_000, 62],
          ]),
        ],
      ],
      ['device.power', [matrixSeries({}, [[0, Number.NaN]])]],
    ]);
    const charts = prepareDeviceHistory(plan, results, 60_000);
    expect(charts.map((c) => [c.metric, c.text, c.ageText, c.state])).toEqual([
      ['device.utilization', '62 %', 'from DCGM_FI_DEV_GPU_UTIL', 'fresh'],
      ['device.power', 'no data in range', 'from DCGM_FI_DEV_POWER_USAGE', 'absent'],
    ]);
  });

  it('shows DCGM’s blank sentinel as no data and quotes only points inside the range', () => {
    const plan = historyPlan(
      discover(['DCGM_FI_DEV_MEMORY_TEMP', 'DCGM_FI_DEV_POWER_USAGE']),
      'node-007',
      gpu,
    )!;
    const blank = Number('9223372036854775794');
    const results = new Map([
      [
        'device.memory.temperature',
        [
          matrixSeries({}, [
            [600_000, blank],
            [660_000, blank],
          ]),
        ],
      ],
      [
        'device.power',
        [
          matrixSeries({}, [
            [600_000, 410],
            [660_000, 415.5],
            // An hour past the asked range: not the "current" value of this chart.
            [4_260_000, 632],
          ]),
        ],
      ],
    ]);
    const charts = prepareDeviceHistory(plan, results, 60_000, [600_000, 660_000]);
    const byMetric = new Map(charts.map((c) => [c.metric, c]));
    expect(byMetric.get('device.memory.temperature')).toMatchObject({
      text: 'no data in range',
      state: 'absent',
    });
    expect(byMetric.get('device.memory.temperature')!.points).toEqual([
      [600_000, null],
      [660_000, null],
    ]);
    expect(byMetric.get('device.power')).toMatchObject({ text: '416 W', ts: 660_000 });
  });

  it('has a problem to tell when the server holds no device family', () => {
    const plan = historyPlan(discover(['vllm:num_requests_running']), 'n', gpu)!;
    expect(plan.queries).toEqual([]);
    expect(plan.problem).toBe('the server holds no DCGM exporter or Osprey device metrics');
  });
});
