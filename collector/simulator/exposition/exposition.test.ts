import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { parseProm, type PromFamily } from '../promParse.js';
import { Simulator } from '../Simulator.js';
import { simulatorExposition } from './exposition.js';

const fixture = (name: string): Map<string, PromFamily> =>
  parseProm(readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8'));

const DCGM = fixture('datadog_dcgm_metrics_tesla-t4_mixed.prom');
const VLLM = fixture('datadog_vllm_metrics_opt-125m.prom');
const NPU = fixture('mind-cluster_npu-exporter_testdata_prometheus_metrics.prom');
const SGLANG = fixture('sglang_docs_production_metrics_llama3.1-8b.prom');

/**
 * Names the simulator emits that the fixture dumps do not contain, each from the exporters' own
 * sources (see the modules): DCGM's ECC counter is a commented-out default counter, the old vLLM
 * prefix-cache counters predate the fixture's release, SGLang's renamed ITL histogram and the NPU
 * exporter's vector/HBM utilization are documented but absent from those dumps.
 */
const DOCUMENTED_ONLY = new Set([
  'DCGM_FI_DEV_ECC_DBE_VOL_TOTAL',
  'vllm:gpu_prefix_cache_queries_total',
  'vllm:gpu_prefix_cache_hits_total',
  'sglang:inter_token_latency_seconds',
  'npu_chip_info_vector_utilization',
  'npu_chip_info_hbm_utilization',
  'sglang:num_retractions',
  'sglang:num_retracted_reqs',
]);

function fleetText(names: 'new' | 'old', prep?: (sim: Simulator) => void) {
  const sim = new Simulator({
    clusters: 2,
    nodes: 10,
    devicesPerNode: 8,
    seed: 3,
    intervalMs: 500,
    histograms: true,
  });
  for (let k = 0; k < 10; k++) sim.tick(k * 500);
  prep?.(sim);
  return { sim, families: parseProm(simulatorExposition(sim, names)) };
}

const reference = (name: string): Map<string, PromFamily> | undefined =>
  name.startsWith('DCGM_')
    ? DCGM
    : name.startsWith('vllm:')
      ? VLLM
      : name.startsWith('sglang:')
        ? SGLANG
        : NPU;

describe('simulator /metrics', () => {
  for (const names of ['new', 'old'] as const) {
    it(`uses only the real exporters' metric names and types (${names} vLLM names)`, () => {
      const { families } = fleetText(names);
      for (const [name, f] of families) {
        if (DOCUMENTED_ONLY.has(name)) continue;
        const real = reference(name)?.get(name);
        expect(real, `${name} is not in the real exporter's output`).toBeDefined();
        expect(f.type, name).toBe(real!.type);
      }
    });
  }

  it('keeps the real HELP texts where the dumps have them', () => {
    const { families } = fleetText('old');
    let compared = 0;
    for (const [name, f] of families) {
      const real = reference(name)?.get(name);
      if (!real?.help) continue;
      expect(f.help, name).toBe(real.help);
      compared++;
    }
    expect(compared).toBeGreaterThan(25);
  });

  it('switches the renamed vLLM metrics with --vllm-names', () => {
    const fresh = fleetText('new').families;
    const old = fleetText('old').families;
    expect(fresh.has('vllm:kv_cache_usage_perc')).toBe(true);
    expect(fresh.has('vllm:inter_token_latency_seconds')).toBe(true);
    expect(fresh.has('vllm:gpu_cache_usage_perc')).toBe(false);
    expect(old.has('vllm:gpu_cache_usage_perc')).toBe(true);
    expect(old.has('vllm:time_per_output_token_seconds')).toBe(true);
    expect(old.has('vllm:kv_cache_usage_perc')).toBe(false);
    expect(old.has('sglang:time_per_output_token_seconds')).toBe(true);
  });

  it("carries each exporter's own labels, plus cluster and node", () => {
    const { families } = fleetText('new');
    const labelsOf = (f: PromFamily | undefined) => Object.keys(f!.samples[0]!.labels).sort();
    // dcgm-exporter's template labels (contracts §2.2); the dump adds a site-specific one.
    const dcgm = ['gpu', 'UUID', 'device', 'modelName', 'Hostname', 'DCGM_FI_DRIVER_VERSION'];
    for (const l of dcgm) expect(labelsOf(DCGM.get('DCGM_FI_DEV_GPU_UTIL'))).toContain(l);
    expect(labelsOf(families.get('DCGM_FI_DEV_GPU_UTIL'))).toEqual(
      [...dcgm, 'pci_bus_id', 'cluster', 'node'].sort(),
    );
    expect(labelsOf(families.get('npu_chip_info_utilization'))).toEqual(
      [...labelsOf(NPU.get('npu_chip_info_utilization')), 'cluster', 'node'].sort(),
    );
    expect(labelsOf(families.get('npu_chip_info_name'))).toEqual(
      [...labelsOf(NPU.get('npu_chip_info_name')), 'cluster', 'node'].sort(),
    );
    expect(labelsOf(families.get('vllm:num_requests_running'))).toEqual([
      'cluster',
      'engine',
      'model_name',
      'node',
    ]);
    for (const [name, f] of families) {
      for (const s of f.samples) {
        expect(s.labels.cluster, name).toMatch(/^sim-\d$/);
        expect(s.labels.node, name).toMatch(/^node-\d{3}$/);
      }
    }
  });

  it('counts vLLM requests by finish reason stop, length and abort, whole, 0.5 % aborted', () => {
    const { families } = fleetText('new');
    const samples = families.get('vllm:request_success_total')!.samples;
    expect(new Set(samples.map((s) => s.labels.finished_reason))).toEqual(
      new Set(['stop', 'length', 'abort']),
    );
    const sum = (reason: string) =>
      samples.filter((s) => s.labels.finished_reason === reason).reduce((a, s) => a + s.value, 0);
    const total = sum('stop') + sum('length') + sum('abort');
    for (const s of samples) expect(Number.isInteger(s.value)).toBe(true);
    // Each engine's abort count is the floor of its 0.5 % share: within one request per engine.
    const engines = samples.length / 3;
    expect(total * 0.005 - sum('abort')).toBeGreaterThanOrEqual(0);
    expect(total * 0.005 - sum('abort')).toBeLessThan(engines);
  });

  it("uses the engines' bucket bounds", () => {
    const { families } = fleetText('old');
    const les = (f: PromFamily | undefined) =>
      new Set(f!.samples.filter((s) => s.name.endsWith('_bucket')).map((s) => s.labels.le));
    // The vLLM dump is trimmed by hand: its bounds are a subset of the release's.
    for (const name of [
      'vllm:time_to_first_token_seconds',
      'vllm:e2e_request_latency_seconds',
      'vllm:time_per_output_token_seconds',
    ]) {
      const ours = les(families.get(name));
      for (const le of les(VLLM.get(name))) expect(ours, `${name} le=${le}`).toContain(le);
    }
    for (const name of [
      'sglang:time_to_first_token_seconds',
      'sglang:e2e_request_latency_seconds',
      'sglang:time_per_output_token_seconds',
    ]) {
      expect(les(families.get(name)), name).toEqual(les(SGLANG.get(name)));
    }
  });

  it('writes histograms cumulative, ending in +Inf = _count', () => {
    const { families } = fleetText('new');
    const h = families.get('vllm:time_to_first_token_seconds')!;
    const byEngine = new Map<string, number[]>();
    for (const s of h.samples) {
      const key = `${s.labels.node}/${s.labels.engine}`;
      if (s.name.endsWith('_bucket')) byEngine.set(key, [...(byEngine.get(key) ?? []), s.value]);
      if (s.name.endsWith('_count')) {
        const buckets = byEngine.get(key)!;
        expect(buckets[buckets.length - 1]).toBe(s.value);
        expect(buckets).toEqual([...buckets].sort((a, b) => a - b));
      }
    }
    expect(byEngine.size).toBeGreaterThan(0);
  });

  it('shows an Xid 79 as DCGM_FI_DEV_XID_ERRORS 79 with the GPU otherwise gone', () => {
    let uuid = '';
    const { families } = fleetText('new', (sim) => {
      const node = sim.fleet.nodes.find((n) => n.devices[0]!.info.vendor === 'nvidia')!;
      uuid = node.devices[1]!.info.uuid!;
      sim.command({ kind: 'xid79', node: node.name, device: 1 });
      sim.tick(99_000);
    });
    const xid = families.get('DCGM_FI_DEV_XID_ERRORS')!.samples.find((s) => s.labels.UUID === uuid);
    expect(xid?.value).toBe(79);
    expect(families.get('DCGM_FI_DEV_GPU_UTIL')!.samples.some((s) => s.labels.UUID === uuid)).toBe(
      false,
    );
  });

  it('shows an NPU alarm as unhealthy with its error code', () => {
    let node = '';
    const { families } = fleetText('new', (sim) => {
      node = sim.fleet.nodes.find((n) => n.devices[0]!.info.vendor === 'ascend')!.name;
      sim.command({ kind: 'npu-fault', node, device: 2, code: '0x80E18402' });
      sim.tick(99_000);
    });
    const pick = (name: string) =>
      families.get(name)!.samples.find((s) => s.labels.node === node && s.labels.id === '2')!.value;
    expect(pick('npu_chip_info_health_status')).toBe(0);
    expect(pick('npu_chip_info_error_code')).toBe(0x80e18402);
  });
});
