import { describe, expect, it } from 'vitest';

import { deviceHistoryQueries } from './deviceQueries.js';
import { discover } from './discovery.js';

describe('deviceHistoryQueries', () => {
  it('prefers Osprey’s own series, in catalog units', () => {
    const d = discover([
      'osprey_device_utilization_ratio',
      'DCGM_FI_DEV_GPU_UTIL',
      'DCGM_FI_DEV_FB_USED',
    ]);
    const p = deviceHistoryQueries(d, { vendor: 'nvidia', node: 'n1', index: 3 });
    expect(p.queries.map((q) => [q.quantity, q.family, q.query, q.unit])).toEqual([
      [
        'device.utilization',
        'osprey',
        '100 * max(osprey_device_utilization_ratio{node="n1",index="3"} < 9.22e18)',
        'percent',
      ],
      [
        'device.memory.used',
        'dcgm',
        '1048576 * max(DCGM_FI_DEV_FB_USED{Hostname="n1",gpu="3"} < 9.22e18 or DCGM_FI_DEV_FB_USED{hostname="n1",gpu="3"} < 9.22e18)',
        'bytes',
      ],
    ]);
    expect(p.unavailable).toContain('device.power');
    expect(p.problem).toBeUndefined();
  });

  it('matches DCGM by UUID under either label spelling, NPU by vdie_id or node and id', () => {
    const d = discover(['DCGM_FI_DEV_GPU_TEMP', 'npu_chip_info_temperature']);
    expect(deviceHistoryQueries(d, { vendor: 'nvidia', uuid: 'GPU-1"2' }).queries[0]!.query).toBe(
      'max(DCGM_FI_DEV_GPU_TEMP{UUID="GPU-1\\"2"} < 9.22e18 or DCGM_FI_DEV_GPU_TEMP{uuid="GPU-1\\"2"} < 9.22e18)',
    );
    expect(deviceHistoryQueries(d, { vendor: 'ascend', uuid: 'ABC' }).queries[0]!.query).toBe(
      'max(npu_chip_info_temperature{vdie_id="ABC"} < 9.22e18)',
    );
    expect(
      deviceHistoryQueries(
        d,
        { vendor: 'ascend', node: 'n', index: 0 },
        { npuNodeLabel: 'hostname' },
      ).queries[0]!.query,
    ).toBe('max(npu_chip_info_temperature{hostname="n",id="0"} < 9.22e18)');
  });

  it('says why nothing can be asked', () => {
    expect(deviceHistoryQueries(discover(['up']), { vendor: 'ascend', uuid: 'x' }).problem).toBe(
      'the server holds no NPU exporter or Osprey device metrics',
    );
    expect(
      deviceHistoryQueries(discover(['DCGM_FI_DEV_GPU_TEMP']), { vendor: 'nvidia' }).problem,
    ).toBe('the device has neither a UUID nor a node and index to find it by');
  });
});
