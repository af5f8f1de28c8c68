/**
 * The Prometheus client modules on real captured data: API answers from Prometheus's own docs and
 * OpenAPI golden file, and /metrics dumps of real vLLM, SGLang, DCGM-exporter, NPU-exporter and
 * node_exporter (fixtures/SOURCES.md), plus the simulator's two vLLM naming generations. The
 * sample names of a dump are what Prometheus would list under `__name__` after scraping it.
 */
import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { discover } from '../core/prometheus/discovery.js';
import { latencyPlan } from '../core/prometheus/latencyQueries.js';
import {
  parseAlertsResponse,
  parseBuildInfoResponse,
  parseMetadataResponse,
  parseSeriesResponse,
  parseStringListResponse,
} from '../core/prometheus/payloads.js';
import { PrometheusError } from '../core/prometheus/PrometheusError.js';
import {
  parseInstantResponse,
  parseQueryResponse,
  parseRangeResponse,
} from '../core/prometheus/response.js';
import { simulatorExposition } from '../simulator/exposition/exposition.js';
import { Simulator } from '../simulator/Simulator.js';

const read = (f: string): string =>
  readFileSync(new URL(`./fixtures/${f}`, import.meta.url), 'utf8');
const api = (f: string, status = 200) => ({
  status,
  body: read(`api/${f}`),
  contentType: 'application/json',
  url: `http://demo.prometheus.io:9090/api/v1/${f}`,
});
/** Sample names as Prometheus stores them (`__name__`). */
const names = (text: string): string[] => [
  ...new Set(
    text
      .split('\n')
      .filter((l) => l !== '' && !l.startsWith('#'))
      .map((l) => /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(l)?.[0] ?? ''),
  ),
];
const dump = (f: string): string[] => names(read(`metrics/${f}`));

describe('real Prometheus API answers', () => {
  it('decodes instant and range results from the docs and the OpenAPI golden file', () => {
    const v = parseInstantResponse(api('03_instant-queries.json')).data;
    expect(v).toEqual([
      {
        metric: { __name__: 'up', job: 'prometheus', instance: 'localhost:9090' },
        time: 1435781451781,
        value: 1,
      },
      {
        metric: { __name__: 'up', job: 'node', instance: 'localhost:9100' },
        time: 1435781451781,
        value: 0,
      },
    ]);
    const m = parseRangeResponse(api('05_range-queries.json')).data;
    expect(m).toHaveLength(2);
    expect([...m[0]!.times]).toEqual([1435781430781, 1435781445781, 1435781460781]);
    expect([...m[0]!.values]).toEqual([1, 1, 1]);
    expect(parseRangeResponse(api('query-range__200__matrixResult.json')).data[0]!.times[2]).toBe(
      1767436620000,
    );
    expect(parseQueryResponse(api('query__200__scalarResult.json')).data).toEqual({
      resultType: 'scalar',
      time: 1767436620000,
      value: 42,
    });
    expect(parseQueryResponse(api('query__200__matrixResult.json')).data.resultType).toBe('matrix');
    expect(parseInstantResponse(api('query__200__vectorResult.json')).data.length).toBeGreaterThan(
      0,
    );
  });

  it('leaves native histograms out with a warning instead of failing', () => {
    const r = parseQueryResponse(api('query__200__histogramResult.json'));
    expect(r.data).toEqual({ resultType: 'vector', result: [] });
    expect(r.warnings).toEqual(['1 native-histogram samples left out (classic buckets only)']);
    const rr = parseQueryResponse(api('query-range__200__histogramResult.json'));
    expect(rr.warnings[0]).toMatch(/native-histogram series left out/);
  });

  it('decodes series, labels, label values, alerts, build info and metadata', () => {
    expect(parseSeriesResponse(api('series__200__seriesList.json')).data).toHaveLength(5);
    expect(parseSeriesResponse(api('08_finding-series-by-label-matchers.json')).data[0]).toEqual({
      __name__: 'up',
      job: 'prometheus',
      instance: 'localhost:9090',
    });
    expect(parseStringListResponse(api('labels__200__labelNames.json')).data).toContain('le');
    expect(parseStringListResponse(api('10_querying-label-values.json')).data).toEqual([
      '200',
      '504',
    ]);
    expect(
      parseStringListResponse(api('label-name-values__200__labelValues.json')).data.length,
    ).toBeGreaterThan(0);
    const alerts = parseAlertsResponse(api('alerts__200__activeAlerts.json')).data;
    expect(alerts[0]).toMatchObject({
      state: 'firing',
      value: 1,
      labels: { alertname: 'Watchdog' },
    });
    expect(parseAlertsResponse(api('28_alerts.json')).data[0]!.activeAt).toBe(
      '2018-07-04T20:27:12.60602144+02:00',
    );
    expect(parseBuildInfoResponse(api('status-buildinfo__200__buildInfo.json')).data.version).toBe(
      '3.7.3',
    );
    expect(parseBuildInfoResponse(api('38_build-information.json')).data).toMatchObject({
      version: '2.13.1',
      branch: 'master',
    });
    const meta = parseMetadataResponse(api('31_querying-metric-metadata.json')).data;
    expect(meta.http_requests_total).toHaveLength(2);
    expect(
      Object.keys(parseMetadataResponse(api('metadata__200__metricMetadata.json')).data),
    ).toHaveLength(3);
  });

  it('reports the TSDB-not-ready error envelope', () => {
    const r = api('query__default__tsdbNotReady.json', 500);
    expect(() => parseQueryResponse(r)).toThrow(PrometheusError);
    expect(() => parseQueryResponse(r)).toThrow(
      'Prometheus had an internal error (internal, HTTP 500): TSDB not ready — http://demo.prometheus.io:9090/api/v1/query__default__tsdbNotReady.json',
    );
  });
});

describe('discovery on real /metrics dumps', () => {
  it('vLLM (a dump carrying both naming generations): both, every latency stage', () => {
    const d = discover(dump('datadog_vllm_metrics_opt-125m.prom'));
    expect(d.families).toEqual(['vllm']);
    const v = d.engines.vllm!;
    expect(v.generation).toBe('both');
    expect(v.quantities.kvUsage!.names).toEqual([
      'vllm:kv_cache_usage_perc',
      'vllm:gpu_cache_usage_perc',
    ]);
    expect(v.quantities.inter_token!.names).toEqual([
      'vllm:inter_token_latency_seconds',
      'vllm:time_per_output_token_seconds',
    ]);
    expect(v.quantities.preemptions!.names).toEqual(['vllm:num_preemptions_total']);
    expect(v.missing).toEqual([]);
  });

  it('SGLang: old inter-token name, and the panels it cannot fill', () => {
    const d = discover(dump('sglang_docs_production_metrics_llama3.1-8b.prom'));
    expect(d.families).toEqual(['sglang']);
    const s = d.engines.sglang!;
    expect(s.generation).toBe('old');
    expect(s.quantities.inter_token!.names).toEqual(['sglang:time_per_output_token_seconds']);
    expect(s.quantities.waiting!.names).toEqual(['sglang:num_queue_reqs']);
    const plan = latencyPlan(d, 'sglang', {}, { stepS: 15 })!;
    expect(plan.unavailable.map((u) => u.panel)).toEqual(
      expect.arrayContaining(['stages', 'preemptions', 'finishReasons']),
    );
    expect(plan.queries.some((q) => q.key === 'ttft:p99')).toBe(true);
  });

  it('DCGM exporter, NPU exporter and node_exporter dumps', () => {
    const dcgm = discover(dump('datadog_dcgm_metrics_tesla-t4_mixed.prom'));
    expect(dcgm.families).toEqual(['dcgm']);
    expect(Object.keys(dcgm.devices.dcgm!.quantities)).toEqual(
      expect.arrayContaining([
        'device.utilization',
        'device.memory.used',
        'device.power',
        'device.temperature',
      ]),
    );
    const npu = discover(dump('mind-cluster_npu-exporter_testdata_prometheus_metrics.prom'));
    expect(npu.families).toEqual(['npu']);
    expect(Object.keys(npu.devices.npu!.quantities)).toEqual(
      expect.arrayContaining([
        'device.utilization',
        'device.memory.used',
        'device.memory.total',
        'device.power',
      ]),
    );
    expect(discover(dump('node_exporter_fixture_e2e-output-darwin.prom')).families).toEqual([
      'node_exporter',
    ]);
  });
});

describe('discovery on the simulator’s two generations', () => {
  const exposition = (gen: 'new' | 'old'): string[] => {
    const sim = new Simulator({
      clusters: 1,
      nodes: 4,
      devicesPerNode: 8,
      seed: 3,
      intervalMs: 500,
      histograms: true,
    });
    for (let k = 0; k < 4; k++) sim.tick(1_700_000_000_000 + k * 500);
    return names(simulatorExposition(sim, gen));
  };

  it('new and old, each complete; together both', () => {
    const fresh = discover(exposition('new'));
    const stale = discover(exposition('old'));
    expect(fresh.engines.vllm!.generation).toBe('new');
    expect(stale.engines.vllm!.generation).toBe('old');
    expect(fresh.engines.vllm!.missing).toEqual([]);
    expect(stale.engines.vllm!.missing).toEqual([]);
    expect(stale.engines.vllm!.quantities.prefixHits!.names).toEqual([
      'vllm:gpu_prefix_cache_hits_total',
    ]);
    expect(discover([...exposition('new'), ...exposition('old')]).engines.vllm!.generation).toBe(
      'both',
    );
    expect(fresh.families).toEqual(['vllm', 'sglang', 'dcgm', 'npu']);
  });
});
