import { describe, expect, it } from 'vitest';

import { okSample } from '../../core/model.js';
import type { GpuRow } from './gpuRow.js';
import { gpuReadings, judgeState, type LatestRow } from './readings.js';

const gpu = (index: number, t: number, v = 50): LatestRow => {
  const id = `GPU-${index}`;
  const row: GpuRow = {
    device: { id, vendor: 'nvidia', index, name: 'NVIDIA L40S' },
    samples: [okSample('device.utilization', v, { d: id })],
    problems: [],
  };
  return { row, t };
};

describe('gpuReadings', () => {
  it('orders GPUs by index, stamps row times, and marks stale rows missing', () => {
    const { devices, samples } = gpuReadings([gpu(1, 9_000), gpu(0, 5_000)], 10_000, 3_000);
    expect(devices.map((d) => d.index)).toEqual([0, 1]);
    expect(samples).toEqual([
      { m: 'device.utilization', v: null, s: 'missing', d: 'GPU-0' },
      { m: 'device.utilization', v: 50, d: 'GPU-1', t: 9_000 },
    ]);
  });
});

describe('judgeState', () => {
  const base = { now: 10_000, staleAfterMs: 3_000 };

  it('is ok with fresh rows and no problems', () => {
    expect(judgeState({ ...base, rows: [gpu(0, 9_500)] })).toEqual({ state: 'ok' });
  });

  it('is degraded, naming the GPU, when one GPU stops sending rows', () => {
    expect(
      judgeState({ ...base, rows: [gpu(0, 9_500), gpu(1, 2_000)], problems: 'line 9: bad' }),
    ).toEqual({
      state: 'degraded',
      message: 'no rows from GPU 1 (GPU-1) for over 3 s; line 9: bad',
    });
  });

  it('is an error when every GPU went silent, or when the probe cannot read GPUs', () => {
    expect(judgeState({ ...base, rows: [gpu(0, 1_000)] })).toEqual({
      state: 'error',
      message: 'nvidia-smi has printed no rows for over 3 s',
    });
    const failure = { state: 'absent', message: 'nvidia-smi not found' } as const;
    expect(judgeState({ ...base, rows: [], failure })).toEqual(failure);
  });
});
