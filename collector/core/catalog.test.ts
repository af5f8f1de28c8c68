import { describe, expect, it } from 'vitest';

import { HEATMAP_METRICS, METRICS, metricDef } from './catalog.js';
import { toExposition } from './exposition.js';

describe('metric catalog', () => {
  it('has unique canonical and Prometheus names', () => {
    const names = METRICS.map((m) => m.name);
    const prom = METRICS.flatMap((m) => (m.prom ? [m.prom.name] : []));
    expect(new Set(names).size).toBe(names.length);
    expect(new Set(prom).size).toBe(prom.length);
  });

  it('uses valid Prometheus names, with _total on counters and base units', () => {
    for (const m of METRICS) {
      if (!m.prom) continue;
      expect(m.prom.name).toMatch(/^osprey_[a-z0-9_]+$/);
      if (m.prom.type === 'counter') expect(m.prom.name).toMatch(/_total$/);
      if (m.unit === 'percent') expect(m.prom).toMatchObject({ scale: 0.01 });
      if (m.unit === 'percent') expect(m.prom.name).toMatch(/_ratio$/);
    }
  });

  it('describes every metric and gives the heatmap metrics a unit', () => {
    for (const m of METRICS) expect(m.help.length).toBeGreaterThan(5);
    for (const name of HEATMAP_METRICS) expect(metricDef(name)?.scope).toBe('device');
    expect(metricDef('no.such.metric')).toBeUndefined();
  });

  it('is ready for engine metrics', () => {
    expect(metricDef('engine.latency.ttft')).toMatchObject({ unit: 'seconds', kind: 'histogram' });
    expect(metricDef('engine.kv_cache.usage')?.unit).toBe('percent');
  });

  it('declares the temperature limits nvidia-smi -q -x prints, in °C, on /metrics per device', () => {
    for (const [name, tag] of [
      ['device.temperature.slowdown', 'gpu_temp_slow_threshold'],
      ['device.temperature.shutdown', 'gpu_temp_max_threshold'],
    ] as const) {
      const def = metricDef(name);
      expect(def).toMatchObject({ unit: 'celsius', kind: 'gauge', scope: 'device' });
      expect(def?.help).toContain(tag);
    }
    const text = toExposition(
      {
        host: { hostname: 'n', os: 'linux', arch: 'x64', cpuCores: 1, memoryTotalBytes: 1 },
        devices: [{ id: 'GPU-a', uuid: 'GPU-a', vendor: 'nvidia', index: 0, name: 'NVIDIA A10G' }],
        probes: [],
        ts: 0,
        samples: [
          { m: 'device.temperature.slowdown', v: 95, d: 'GPU-a' },
          { m: 'device.temperature.shutdown', v: 98, d: 'GPU-a' },
        ],
        events: [],
      },
      'n',
    );
    const labels = 'node="n",vendor="nvidia",index="0",model="NVIDIA A10G",uuid="GPU-a"';
    expect(text).toContain('# TYPE osprey_device_temperature_slowdown_celsius gauge');
    expect(text).toContain(`osprey_device_temperature_slowdown_celsius{${labels}} 95`);
    expect(text).toContain(`osprey_device_temperature_shutdown_celsius{${labels}} 98`);
  });
});
