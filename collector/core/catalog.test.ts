import { describe, expect, it } from 'vitest';

import { HEATMAP_METRICS, METRICS, metricDef } from './catalog.js';

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
});
