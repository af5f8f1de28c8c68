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
        // Summed over MIG instances (GPU_I_ID), each instance's label-rename twins merged by max.
        '1048576 * sum(max by (GPU_I_ID) (DCGM_FI_DEV_FB_USED{Hostname="n1",gpu="3"} < 9.22e18 or DCGM_FI_DEV_FB_USED{hostname="n1",gpu="3"} < 9.22e18))',
        'bytes',
      ],
    ]);
    expect(p.unavailable).toContain('device.power');
    expect(p.problem).toBeUndefined();
  });

  it("reads nvidia_gpu_exporter's history by its UUID without GPU-, in catalog units", () => {
    const d = discover(['nvidia_smi_gpu_info', 'nvidia_smi_utilization_gpu_ratio']);
    const p = deviceHistoryQueries(d, { vendor: 'nvidia', uuid: 'GPU-6a3b0f2e-1111' });
    expect(p.queries.map((q) => [q.family, q.query])).toEqual([
      [
        'nvidia_gpu_exporter',
        '100 * max(nvidia_smi_utilization_gpu_ratio{uuid="6a3b0f2e-1111"} < 9.22e18)',
      ],
    ]);
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
