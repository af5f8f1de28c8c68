/**
 * The Prometheus-only fleet (core/prometheus/exporters) on real exporters' /metrics: DCGM exporter
 * (2 Tesla T4 hosts), nvidia_gpu_exporter (H100 under load) and the Ascend NPU exporter (8× 910A).
 * Each dump becomes what Prometheus would answer the refresh's range selector with (one sample per
 * series, `instance` and `job` added as a scrape adds them); the messages must carry the dump's own
 * numbers in the catalog's units, on the devices and nodes the labels name.
 */
import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import {
  DEVICE_EXPORTERS,
  type DeviceExporterId,
} from '../core/prometheus/exporters/deviceExporters.js';
import { FleetAssembler } from '../core/prometheus/exporters/FleetAssembler.js';
import { counterRate } from '../core/prometheus/exporters/readings.js';
import type { MatrixSeries } from '../core/prometheus/response.js';
import type { InventoryMessage, MetricsMessage, WireMessage } from '../core/protocol/spec.js';
import { parseProm } from '../simulator/promParse.js';

const T = 1_764_000_000_000;
const MIB = 1024 * 1024;

function seriesOf(file: string, target: Record<string, string>, t = T): MatrixSeries[] {
  const text = readFileSync(new URL(`./fixtures/metrics/${file}`, import.meta.url), 'utf8');
  const out: MatrixSeries[] = [];
  for (const f of parseProm(text).values()) {
    for (const s of f.samples) {
      out.push({
        metric: { __name__: s.name, ...s.labels, ...target },
        times: Float64Array.of(t),
        values: Float64Array.of(s.value),
      });
    }
  }
  return out;
}

const exporter = (id: DeviceExporterId) => DEVICE_EXPORTERS.find((e) => e.id === id)!;

function assemble(id: DeviceExporterId, series: MatrixSeries[], up = true): WireMessage[] {
  const a = new FleetAssembler({ cluster: 'prod', intervalMs: 15_000 });
  const job = `${id}-job`;
  return a.assemble({
    evalTime: T + 1000,
    devices: [{ exporter: exporter(id), series: series.map((s) => withJob(s, job)) }],
    engines: [],
    targets: [{ labels: { instance: 'gpu-host:9400', job }, up }],
  }).messages;
}

const withJob = (s: MatrixSeries, job: string): MatrixSeries => ({
  ...s,
  metric: { job, ...s.metric },
});

const inventories = (m: WireMessage[]) =>
  m.filter((x): x is InventoryMessage => x.type === 'inventory');
const metrics = (m: WireMessage[]) => m.filter((x): x is MetricsMessage => x.type === 'metrics');

function value(m: WireMessage[], node: string, metric: string, device: string) {
  const msg = metrics(m).find((x) => x.node === node);
  return msg?.samples.find((s) => s.m === metric && s.d === device && s.l === undefined);
}

describe('DCGM exporter dump (Tesla T4, two hosts)', () => {
  const series = seriesOf('datadog_dcgm_metrics_tesla-t4_mixed.prom', { instance: 'x:9400' });
  const out = assemble('dcgm', series);
  const uuid = 'GPU-20c56d28-0da5-6d26-a36a-e7af1ce2586e';
  const dump = (name: string) =>
    series.find((s) => s.metric.__name__ === name && s.metric.UUID === uuid)!.values[0]!;

  it('names each node by its Hostname label and each GPU by its UUID, model and driver', () => {
    const inv = inventories(out).find((m) => m.node === '424773df46e0')!;
    expect(inv.cluster).toBe('prod');
    const gpu = inv.devices.find((d) => d.id === uuid)!;
    expect(gpu).toMatchObject({ vendor: 'nvidia', index: 0, name: 'Tesla T4', uuid });
    expect(gpu.driver).toBe('460.106.00');
    expect(inventories(out).map((m) => m.node)).toContain('551bdf382151');
  });

  it("carries the dump's utilization, power and memory in catalog units (MiB → bytes)", () => {
    const node = '424773df46e0';
    expect(value(out, node, 'device.utilization', uuid)?.v).toBe(dump('DCGM_FI_DEV_GPU_UTIL'));
    expect(value(out, node, 'device.power', uuid)?.v).toBe(dump('DCGM_FI_DEV_POWER_USAGE'));
    expect(value(out, node, 'device.memory.used', uuid)?.v).toBe(dump('DCGM_FI_DEV_FB_USED') * MIB);
  });

  it('derives the memory total from used + free where the exporter has no total series', () => {
    const inv = inventories(out).find((m) => m.node === '424773df46e0')!;
    const gpu = inv.devices.find((d) => d.id === uuid)!;
    expect(gpu.memoryTotalBytes).toBe(
      (dump('DCGM_FI_DEV_FB_USED') + dump('DCGM_FI_DEV_FB_FREE')) * MIB,
    );
  });

  it("stamps each sample with its own scrape time, not the query's", () => {
    const s = value(out, '424773df46e0', 'device.utilization', uuid)!;
    expect(s.t).toBe(T);
    expect(metrics(out)[0]!.ts).toBe(T + 1000);
  });
});

describe('nvidia_gpu_exporter dump (H100 80GB HBM3 under load)', () => {
  const file = 'linux-x86_64__nvidia-h100-80gb-hbm3__590.48.01__load.metrics';
  const series = seriesOf(file, { instance: 'h100-box:9835' });
  const out = assemble('nvidia_gpu_exporter', series);
  // nvidia_gpu_exporter writes the UUID without nvidia-smi's `GPU-`; DCGM with it.
  const uuid = 'GPU-00000000-0000-0000-0000-000000000000';
  const dump = (name: string) => series.find((s) => s.metric.__name__ === name)!.values[0]!;

  it('takes model, driver and bus id from nvidia_smi_gpu_info, the node from the instance', () => {
    const inv = inventories(out)[0]!;
    expect(inv.node).toBe('h100-box');
    expect(inv.devices).toHaveLength(1);
    expect(inv.devices[0]).toMatchObject({
      id: uuid,
      name: 'NVIDIA H100 80GB HBM3',
      driver: '590.48.01',
      pciBusId: '00000000:00:09.0',
      memoryTotalBytes: dump('nvidia_smi_memory_total_bytes'),
    });
  });

  it('turns ratios into percent and hertz into MHz', () => {
    const node = 'h100-box';
    expect(value(out, node, 'device.utilization', uuid)?.v).toBe(
      dump('nvidia_smi_utilization_gpu_ratio') * 100,
    );
    expect(value(out, node, 'device.clock.sm', uuid)?.v).toBeCloseTo(
      dump('nvidia_smi_clocks_current_sm_clock_hz') / 1e6,
      6,
    );
    expect(value(out, node, 'device.power', uuid)?.v).toBe(631.95);
    expect(value(out, node, 'device.memory.used', uuid)?.v).toBe(2.0780679168e10);
  });
});

describe('NPU exporter dump (8× Ascend 910A, empty vdie_id)', () => {
  const file = 'mind-cluster_npu-exporter_testdata_prometheus_metrics.prom';
  const out = assemble('npu', seriesOf(file, { instance: 'npu-host:8082' }));

  it('keys chips without a UUID by vendor and NPU id, with the model_name label as model', () => {
    const inv = inventories(out)[0]!;
    expect(inv.devices.map((d) => d.id)).toEqual(
      [0, 1, 2, 3, 4, 5, 6, 7].map((i) => `ascend:${i}`),
    );
    expect(inv.devices[0]).toMatchObject({ vendor: 'ascend', name: '910Awn-Ascend-V1' });
  });

  it('maps health 1 (healthy) to OK (0) on the catalog scale', () => {
    expect(value(out, 'npu-host', 'device.health', 'ascend:0')?.v).toBe(0);
  });
});

describe('freshness and down targets', () => {
  const series = seriesOf('datadog_dcgm_metrics_tesla-t4_mixed.prom', { instance: 'x:9400' });
  const uuid = 'GPU-20c56d28-0da5-6d26-a36a-e7af1ce2586e';

  it('does not send a sample again when a refresh reads the same scrape', () => {
    const a = new FleetAssembler({ cluster: 'c', intervalMs: 15_000 });
    const answers = {
      evalTime: T + 1000,
      devices: [{ exporter: exporter('dcgm'), series }],
      engines: [],
      targets: [],
    };
    const first = a.assemble(answers).messages;
    const again = a.assemble({ ...answers, evalTime: T + 2000 }).messages;
    expect(metrics(first).length).toBeGreaterThan(0);
    expect(metrics(again)).toEqual([]);
  });

  it("shows a down target's devices as errors with Prometheus's scrape error, not old values", () => {
    const a = new FleetAssembler({ cluster: 'c', intervalMs: 15_000 });
    const job = 'dcgm';
    const devices = [{ exporter: exporter('dcgm'), series: series.map((s) => withJob(s, job)) }];
    a.assemble({ evalTime: T + 1000, devices, engines: [], targets: [] });
    const error = 'strconv.ParseFloat: parsing "ERROR - FAILED TO CONVERT TO STRING"';
    const labels = { instance: '424773df46e0:9400', job, node: '424773df46e0' };
    const out = a.assemble({
      evalTime: T + 20_000,
      devices: [],
      engines: [],
      targets: [{ labels, up: false, lastError: error }],
    }).messages;
    const s = value(out, '424773df46e0', 'device.utilization', uuid)!;
    expect(s.v).toBeNull();
    expect(s.s).toBe('error');
    expect(s.raw).toContain(error);
    const probe = inventories(out)[0]!.probes.find((p) => p.probe === job)!;
    expect(probe.state).toBe('error');
    expect(probe.message).toContain(error);
  });

  it('treats DCGM blank sentinels and NaN as no reading', () => {
    const a = new FleetAssembler({ cluster: 'c', intervalMs: 15_000 });
    const base = { UUID: 'GPU-1', gpu: '0', Hostname: 'h', modelName: 'A100' };
    const one = (name: string, v: number): MatrixSeries => ({
      metric: { __name__: name, ...base },
      times: Float64Array.of(T),
      values: Float64Array.of(v),
    });
    const out = a.assemble({
      evalTime: T,
      devices: [
        {
          exporter: exporter('dcgm'),
          series: [
            one('DCGM_FI_DEV_MEMORY_TEMP', 9.223372036854776e18),
            one('DCGM_FI_DEV_GPU_TEMP', NaN),
          ],
        },
      ],
      engines: [],
      targets: [],
    }).messages;
    expect(value(out, 'h', 'device.memory.temperature', 'GPU-1')).toMatchObject({
      v: null,
      raw: 'blank',
    });
    expect(value(out, 'h', 'device.temperature', 'GPU-1')).toMatchObject({ v: null, raw: 'NaN' });
  });
});

describe('MIG', () => {
  it("sums a MIG GPU's memory over its instances and keeps each instance's own", () => {
    const a = new FleetAssembler({ cluster: 'c', intervalMs: 15_000 });
    const gpu = { UUID: 'GPU-mig', gpu: '0', Hostname: 'h', modelName: 'NVIDIA A100-SXM4-80GB' };
    const s = (name: string, gi: string, profile: string, v: number): MatrixSeries => ({
      metric: { __name__: name, ...gpu, GPU_I_ID: gi, GPU_I_PROFILE: profile },
      times: Float64Array.of(T),
      values: Float64Array.of(v),
    });
    const out = a.assemble({
      evalTime: T,
      devices: [
        {
          exporter: exporter('dcgm'),
          series: [
            s('DCGM_FI_DEV_FB_USED', '1', '3g.40gb', 30_000),
            s('DCGM_FI_DEV_FB_FREE', '1', '3g.40gb', 10_000),
            s('DCGM_FI_DEV_FB_USED', '2', '3g.40gb', 5_000),
            s('DCGM_FI_DEV_FB_FREE', '2', '3g.40gb', 35_000),
            s('DCGM_FI_DEV_GPU_TEMP', '1', '3g.40gb', 51),
            s('DCGM_FI_DEV_GPU_TEMP', '2', '3g.40gb', 51),
          ],
        },
      ],
      engines: [],
      targets: [],
    }).messages;
    expect(value(out, 'h', 'device.memory.used', 'GPU-mig')?.v).toBe(35_000 * MIB);
    expect(value(out, 'h', 'device.temperature', 'GPU-mig')?.v).toBe(51);
    const inv = inventories(out)[0]!;
    expect(inv.devices).toHaveLength(1);
    expect(inv.devices[0]!.memoryTotalBytes).toBe(80_000 * MIB);
    const perInstance = metrics(out)[0]!.samples.filter(
      (x) => x.m === 'device.memory.used' && x.l?.mig !== undefined,
    );
    expect(perInstance.map((x) => [x.l!.mig, x.l!.profile, x.v])).toEqual([
      ['1', '3g.40gb', 30_000 * MIB],
      ['2', '3g.40gb', 5_000 * MIB],
    ]);
  });
});

describe('counterRate', () => {
  it('is the per-second increase across a counter reset, as rate() takes it', () => {
    const s: MatrixSeries = {
      metric: {},
      times: Float64Array.of(0, 15_000, 30_000),
      values: Float64Array.of(100, 250, 40),
    };
    expect(counterRate(s)).toBeCloseTo((150 + 40) / 30, 9);
  });
});

describe('one GPU, two exporters', () => {
  it('is one device when DCGM and nvidia_gpu_exporter both watch it', () => {
    const a = new FleetAssembler({ cluster: 'c', intervalMs: 15_000 });
    const one = (name: string, labels: Record<string, string>, v: number): MatrixSeries => ({
      metric: { __name__: name, instance: 'h:1', node: 'h', ...labels },
      times: Float64Array.of(T),
      values: Float64Array.of(v),
    });
    const id = '6a3b0f2e-1111-2222-3333-444455556666';
    const out = a.assemble({
      evalTime: T,
      devices: [
        {
          exporter: exporter('dcgm'),
          series: [one('DCGM_FI_DEV_GPU_UTIL', { UUID: `GPU-${id}`, gpu: '0' }, 40)],
        },
        {
          exporter: exporter('nvidia_gpu_exporter'),
          series: [one('nvidia_smi_temperature_gpu', { uuid: id }, 61)],
        },
      ],
      engines: [],
      targets: [],
    }).messages;
    expect(inventories(out)[0]!.devices.map((d) => d.id)).toEqual([`GPU-${id}`]);
    expect(value(out, 'h', 'device.temperature', `GPU-${id}`)?.v).toBe(61);
  });
});

describe('node names', () => {
  it('reads a configured node label before the built-in table', () => {
    const a = new FleetAssembler({ cluster: 'c', intervalMs: 15_000, nodeLabel: 'host' });
    const out = a.assemble({
      evalTime: T,
      devices: [
        {
          exporter: exporter('dcgm'),
          series: [
            {
              metric: {
                __name__: 'DCGM_FI_DEV_GPU_UTIL',
                UUID: 'GPU-1',
                gpu: '0',
                Hostname: 'pod-7f',
                host: 'gpu-017',
                instance: '10.0.0.9:9400',
              },
              times: Float64Array.of(T),
              values: Float64Array.of(5),
            },
          ],
        },
      ],
      engines: [],
      targets: [],
    }).messages;
    expect(out.map((m) => m.node)).toEqual(['gpu-017', 'gpu-017']);
  });
});

describe('series limit', () => {
  it('reads no more series than the limit and says so, naming the exporter and the counts', () => {
    const a = new FleetAssembler({ cluster: 'c', intervalMs: 15_000, seriesLimit: 3 });
    const series = [0, 1, 2, 3, 4].map((i): MatrixSeries => ({
      metric: { __name__: 'DCGM_FI_DEV_GPU_UTIL', UUID: `GPU-${i}`, gpu: String(i), Hostname: 'h' },
      times: Float64Array.of(T),
      values: Float64Array.of(i),
    }));
    const { messages, problems } = a.assemble({
      evalTime: T,
      devices: [{ exporter: exporter('dcgm'), series }],
      engines: [],
      targets: [],
    });
    expect(inventories(messages)[0]!.devices).toHaveLength(3);
    expect(problems).toEqual([
      'DCGM exporter: 5 series, more than the 3 Osprey reads per refresh; only the first 3 are shown (narrow the connection to one cluster)',
    ]);
  });
});

describe('vLLM dump (opt-125m)', () => {
  it("sends vllm:request_success_total as engine.requests.finished with the dump's finish reason and value", () => {
    const series = seriesOf('datadog_vllm_metrics_opt-125m.prom', {
      instance: 'vllm-host:8000',
      job: 'vllm',
    });
    const a = new FleetAssembler({ cluster: 'c', intervalMs: 15_000 });
    const out = a.assemble({
      evalTime: T + 1000,
      devices: [],
      engines: [
        {
          family: 'vllm',
          title: 'vLLM',
          series,
          quantities: new Map([['vllm:request_success_total', 'finished']]),
          modelLabel: 'model_name',
          engineLabel: 'engine',
        },
      ],
      targets: [{ labels: { instance: 'vllm-host:8000', job: 'vllm' }, up: true }],
    }).messages;
    const dump = series.filter((s) => s.metric.__name__ === 'vllm:request_success_total');
    expect(dump.map((s) => s.metric.finished_reason)).toEqual(['length']);
    const sent = metrics(out)
      .flatMap((m) => m.samples)
      .filter((s) => s.m === 'engine.requests.finished');
    expect(sent).toEqual([
      expect.objectContaining({
        v: dump[0]!.values[0],
        l: expect.objectContaining({ reason: 'length', model: 'facebook/opt-125m' }),
      }),
    ]);
  });
});
