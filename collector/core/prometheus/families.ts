/**
 * The metric families the console knows how to read from Prometheus, as data: which names mark a
 * family, and per canonical quantity which series name(s) carry it in each naming generation.
 * Names are *base* names: counters without `_total` and histograms without `_bucket/_sum/_count`;
 * discovery.ts resolves them against what the server holds. Facts: contracts §1.3–1.4 (vLLM),
 * §1.7 (SGLang), §2.1–2.2 (DCGM exporter), §4.3 (NPU exporter), catalog.ts `prom` (Osprey).
 */
import { metricDef } from '../catalog.js';

export type FamilyId = 'vllm' | 'sglang' | 'dcgm' | 'npu' | 'node_exporter' | 'osprey';

export type EngineFamilyId = 'vllm' | 'sglang';
export type DeviceFamilyId = 'dcgm' | 'npu' | 'osprey';

/** The six request stages, as catalog.ts names them (`engine.latency.<stage>`). */
export const LATENCY_STAGES = ['queue', 'prefill', 'decode', 'ttft', 'inter_token', 'e2e'] as const;
export type LatencyStage = (typeof LATENCY_STAGES)[number];

export type EngineQuantity =
  | LatencyStage
  | 'running'
  | 'waiting'
  | 'kvUsage'
  | 'preemptions'
  | 'promptTokens'
  | 'generationTokens'
  | 'prefixQueries'
  | 'prefixHits'
  /** SGLang's own hit-rate gauge (vLLM's is computed from hits/queries) */
  | 'cacheHitRate'
  /** Finished requests; vLLM labels them `finished_reason` */
  | 'finished';

export type SeriesKind = 'gauge' | 'counter' | 'histogram';

/** Where a quantity's name changed between generations: `[new, old]`; else one name for both. */
export interface QuantityNames {
  kind: SeriesKind;
  names: readonly [string] | readonly [newName: string, oldName: string];
}

const g = (n: string): QuantityNames => ({ kind: 'gauge', names: [n] });
const c = (n: string): QuantityNames => ({ kind: 'counter', names: [n] });
const h = (n: string): QuantityNames => ({ kind: 'histogram', names: [n] });

export const ENGINE_FAMILIES: Readonly<
  Record<EngineFamilyId, Partial<Record<EngineQuantity, QuantityNames>>>
> = {
  vllm: {
    queue: h('vllm:request_queue_time_seconds'),
    prefill: h('vllm:request_prefill_time_seconds'),
    decode: h('vllm:request_decode_time_seconds'),
    ttft: h('vllm:time_to_first_token_seconds'),
    // Deprecated in 0.11, hidden in 0.12, gone in 0.13 (contracts §1.4).
    inter_token: {
      kind: 'histogram',
      names: ['vllm:inter_token_latency_seconds', 'vllm:time_per_output_token_seconds'],
    },
    e2e: h('vllm:e2e_request_latency_seconds'),
    running: g('vllm:num_requests_running'),
    waiting: g('vllm:num_requests_waiting'),
    // Renamed in 0.9; 0.9–0.10 expose both with the same value.
    kvUsage: { kind: 'gauge', names: ['vllm:kv_cache_usage_perc', 'vllm:gpu_cache_usage_perc'] },
    preemptions: c('vllm:num_preemptions'),
    promptTokens: c('vllm:prompt_tokens'),
    generationTokens: c('vllm:generation_tokens'),
    // The old pair counted 16-token blocks, the new one tokens: the ratio is comparable.
    prefixQueries: {
      kind: 'counter',
      names: ['vllm:prefix_cache_queries', 'vllm:gpu_prefix_cache_queries'],
    },
    prefixHits: {
      kind: 'counter',
      names: ['vllm:prefix_cache_hits', 'vllm:gpu_prefix_cache_hits'],
    },
    finished: c('vllm:request_success'),
  },
  sglang: {
    ttft: h('sglang:time_to_first_token_seconds'),
    inter_token: {
      kind: 'histogram',
      names: ['sglang:inter_token_latency_seconds', 'sglang:time_per_output_token_seconds'],
    },
    e2e: h('sglang:e2e_request_latency_seconds'),
    queue: h('sglang:queue_time_seconds'),
    running: g('sglang:num_running_reqs'),
    waiting: g('sglang:num_queue_reqs'),
    kvUsage: g('sglang:token_usage'),
    promptTokens: c('sglang:prompt_tokens'),
    generationTokens: c('sglang:generation_tokens'),
    cacheHitRate: g('sglang:cache_hit_rate'),
    finished: c('sglang:num_requests'),
  },
};

/** Canonical device metrics (catalog names) a device drawer charts from history. */
export const DEVICE_QUANTITIES = [
  'device.utilization',
  'device.memory.used',
  'device.memory.total',
  'device.power',
  'device.temperature',
  'device.memory.temperature',
  'device.clock.sm',
] as const;
export type DeviceQuantity = (typeof DEVICE_QUANTITIES)[number];

/** A source series and the factor to the catalog unit (percent, bytes, watts, °C, MHz). */
export interface DeviceSeries {
  name: string;
  scale: number;
}

const MIB = 1024 * 1024;

/** Osprey's own names from the catalog, scaled back from Prometheus base units. */
function osprey(q: DeviceQuantity): DeviceSeries {
  const prom = metricDef(q)?.prom;
  if (!prom) throw new Error(`catalog has no Prometheus name for ${q}`);
  return { name: prom.name, scale: 1 / (prom.scale ?? 1) };
}

export const DEVICE_FAMILIES: Readonly<
  Record<DeviceFamilyId, Partial<Record<DeviceQuantity, DeviceSeries>>>
> = {
  dcgm: {
    'device.utilization': { name: 'DCGM_FI_DEV_GPU_UTIL', scale: 1 },
    'device.memory.used': { name: 'DCGM_FI_DEV_FB_USED', scale: MIB },
    'device.power': { name: 'DCGM_FI_DEV_POWER_USAGE', scale: 1 },
    'device.temperature': { name: 'DCGM_FI_DEV_GPU_TEMP', scale: 1 },
    'device.memory.temperature': { name: 'DCGM_FI_DEV_MEMORY_TEMP', scale: 1 },
    'device.clock.sm': { name: 'DCGM_FI_DEV_SM_CLOCK', scale: 1 },
  },
  npu: {
    'device.utilization': { name: 'npu_chip_info_utilization', scale: 1 },
    'device.memory.used': { name: 'npu_chip_info_hbm_used_memory', scale: MIB },
    'device.memory.total': { name: 'npu_chip_info_hbm_total_memory', scale: MIB },
    'device.power': { name: 'npu_chip_info_power', scale: 1 },
    'device.temperature': { name: 'npu_chip_info_temperature', scale: 1 },
    'device.memory.temperature': { name: 'npu_chip_info_hbm_temperature', scale: 1 },
    'device.clock.sm': { name: 'npu_chip_info_aicore_current_freq', scale: 1 },
  },
  osprey: Object.fromEntries(DEVICE_QUANTITIES.map((q) => [q, osprey(q)])),
};

/** Names whose presence marks a family (prefixes end in `_` or `:`). */
export const FAMILY_MARKERS: Readonly<Record<FamilyId, { prefixes?: string[]; names?: string[] }>> =
  {
    vllm: { prefixes: ['vllm:'] },
    sglang: { prefixes: ['sglang:'] },
    dcgm: { prefixes: ['DCGM_FI_', 'DCGM_EXP_'] },
    npu: { prefixes: ['npu_chip_info_'], names: ['machine_npu_nums', 'npu_exporter_version_info'] },
    // node_ alone is too loose a prefix. node_exporter writes node_scrape_collector_* on every
    // scrape whatever collectors run (its e2e outputs for Linux, Darwin and FreeBSD all have them).
    node_exporter: {
      names: [
        'node_scrape_collector_success',
        'node_scrape_collector_duration_seconds',
        'node_exporter_build_info',
        'node_cpu_seconds_total',
        'node_memory_MemTotal_bytes',
        'node_load1',
        'node_boot_time_seconds',
      ],
    },
    osprey: { prefixes: ['osprey_'] },
  };
