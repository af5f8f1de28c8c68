import { describe, expect, it } from 'vitest';

import { toExposition } from './exposition.js';
import type { NodeSnapshot } from './model.js';

const snapshot: NodeSnapshot = {
  host: { hostname: 'gpu-01', os: 'linux', arch: 'x64', cpuCores: 2, memoryTotalBytes: 1024 },
  devices: [
    {
      id: 'GPU-abc',
      uuid: 'GPU-abc',
      vendor: 'nvidia',
      index: 0,
      name: 'NVIDIA H100 80GB HBM3',
      driver: '590.48.01',
    },
    { id: 'ascend:3:1', vendor: 'ascend', index: 3, chip: 1, name: '910B3' },
  ],
  probes: [{ probe: 'nvidia-smi', state: 'ok', since: 0 }],
  ts: 0,
  samples: [
    { m: 'device.utilization', v: 37, d: 'GPU-abc' },
    { m: 'device.fan', v: null, d: 'GPU-abc', s: 'unsupported', raw: '[N/A]' },
    { m: 'device.power', v: 93.5, d: 'ascend:3:1' },
    { m: 'device.clock.sm', v: 1980, d: 'GPU-abc' },
    { m: 'host.network.receive', v: 1200, l: { interface: 'eth"0' } },
    { m: 'device.ecc.uncorrected', v: 0, d: 'GPU-abc' },
  ],
  events: [],
};

describe('toExposition', () => {
  const text = toExposition(snapshot, 'gpu-01');

  it('writes device samples in base units with device labels', () => {
    expect(text).toContain(
      'osprey_device_utilization_ratio{node="gpu-01",vendor="nvidia",index="0",model="NVIDIA H100 80GB HBM3",uuid="GPU-abc"} 0.37',
    );
    expect(text).toContain(
      'osprey_device_clock_sm_hertz{node="gpu-01",vendor="nvidia",index="0",model="NVIDIA H100 80GB HBM3",uuid="GPU-abc"} 1980000000',
    );
    expect(text).toContain(
      'osprey_device_power_watts{node="gpu-01",vendor="ascend",index="3",model="910B3",chip="1"} 93.5',
    );
  });

  it('leaves out samples without a value instead of writing 0', () => {
    expect(text).not.toContain('osprey_device_fan_speed_ratio');
    expect(text).toContain('osprey_device_ecc_uncorrected_errors_total{');
  });

  it('escapes label values and declares each family once', () => {
    expect(text).toContain('interface="eth\\"0"');
    const types = text.split('\n').filter((l) => l.startsWith('# TYPE osprey_device_info '));
    expect(types).toHaveLength(1);
    expect(text).toContain('# TYPE osprey_device_ecc_uncorrected_errors_total counter');
  });

  it('reports probe states as a one-hot gauge', () => {
    expect(text).toContain('osprey_probe_state{node="gpu-01",probe="nvidia-smi",state="ok"} 1');
    expect(text).toContain('osprey_probe_state{node="gpu-01",probe="nvidia-smi",state="error"} 0');
  });

  // Found by exposition.fuzz.test.ts: "-Infinity" is not a Prometheus value and failed the scrape.
  it('writes a value that overflows when scaled as the format spells infinity', () => {
    const text = toExposition(
      { ...snapshot, samples: [{ m: 'device.clock.sm', v: -1.8e302, d: 'GPU-abc' }] },
      'gpu-01',
    );
    expect(text).toMatch(/^osprey_device_clock_sm_hertz\{.*\} -Inf$/m);
  });
});
