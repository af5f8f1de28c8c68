/**
 * The metric families the console knows how to read from Prometheus, as data: which names mark a
 * family, and per canonical quantity which series name(s) carry it in each naming generation.
 * Names are *base* names: counters without `_total` and histograms without `_bucket/_sum/_count`;
 * discovery.ts resolves them against what the server holds. Facts: contracts §1.3–1.4 (vLLM),
 * §1.7 (SGLang), §1.8 (TGI), §2.1–2.2 (DCGM exporter), §4.3 (NPU exporter), catalog.ts `prom`
 * (Osprey); NIM: docs.nvidia.com/nim/large-language-models/latest/observability.html; Ray Serve
 * re-exports vLLM's own metrics under `ray_vllm:` (Ray's vLLM dashboards query
 * `ray_vllm:e2e_request_latency_seconds_bucket`, `ray_vllm:prompt_tokens_total`, with `WorkerId`,
 * `ReplicaId`, `deployment`, `application` beside vLLM's labels).
 *
 * A new engine flavour is one entry in ENGINE_FAMILIES (and its id in ENGINE_FAMILY_IDS, which
 * also fixes the order the console lists them in).
 */
import { DEVICE_EXPORTERS } from './exporters/deviceExporters.js';

/** Every engine flavour, in the order discovery and the views list them. */
export const ENGINE_FAMILY_IDS = ['vllm', 'ray_vllm', 'nim', 'sglang', 'tgi'] as const;
export type EngineFamilyId = (typeof ENGINE_FAMILY_IDS)[number];

export type DeviceFamilyId = 'dcgm' | 'nvidia_gpu_exporter' | 'npu' | 'osprey';
export type FamilyId =
  EngineFamilyId | 'dcgm' | 'nvidia_gpu_exporter' | 'npu' | 'node_exporter' | 'osprey';

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
  /** Finished requests; vLLM and NIM label them by reason (`reasonLabel`) */
  | 'finished';

export type SeriesKind = 'gauge' | 'counter' | 'histogram';

/** Where a quantity's name changed between generations: `[new, old]`; else one name for both. */
export interface QuantityNames {
  kind: SeriesKind;
  names: readonly [string] | readonly [newName: string, oldName: string];
  /** The label a finished-request counter splits reasons by (`finished_reason`) */
  reasonLabel?: string;
}

/**
 * One quantity's source: a single spec, or alternatives best first where an engine changed the
 * metric's kind or name across versions (the first one the server holds is read).
 */
export type QuantitySource = QuantityNames | readonly QuantityNames[];

/** Names whose presence marks a family (prefixes end in `_` or `:`). */
export interface FamilyMarker {
  prefixes?: readonly string[];
  /** Any one of these names marks the family */
  names?: readonly string[];
  /** All of these names together mark it (for unprefixed names that alone are too common) */
  allOf?: readonly string[];
}

export interface EngineFamily {
  /** What the user reads: "vLLM (Ray Serve)" */
  label: string;
  marker: FamilyMarker;
  /** The served model's label; absent where the engine has none (TGI serves one model) */
  modelLabel?: string;
  /** The label telling engines of one server apart (vLLM's DP rank `engine`) */
  engineLabel?: string;
  quantities: Partial<Record<EngineQuantity, QuantitySource>>;
  /** Why this flavour never has a quantity (or the request stages), in words */
  absent?: Partial<Record<EngineQuantity | 'stages', string>>;
}

const g = (n: string): QuantityNames => ({ kind: 'gauge', names: [n] });
const c = (n: string): QuantityNames => ({ kind: 'counter', names: [n] });
const h = (n: string): QuantityNames => ({ kind: 'histogram', names: [n] });
const reasons = (n: string): QuantityNames => ({
  kind: 'counter',
  names: [n],
  reasonLabel: 'finished_reason',
});

/** vLLM's names under another prefix (Ray Serve's `ray_vllm:`), everything else equal. */
function renamed(
  quantities: Partial<Record<EngineQuantity, QuantitySource>>,
  from: string,
  to: string,
): Partial<Record<EngineQuantity, QuantitySource>> {
  const one = (q: QuantityNames): QuantityNames => ({
    ...q,
    names: q.names.map((n) => (n.startsWith(from) ? to + n.slice(from.length) : n)) as
      [string] | [string, string],
  });
  return Object.fromEntries(
    Object.entries(quantities).map(([k, v]) => [
      k,
      Array.isArray(v) ? (v as QuantityNames[]).map(one) : one(v as QuantityNames),
    ]),
  );
}

const VLLM_QUANTITIES: Partial<Record<EngineQuantity, QuantitySource>> = {
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
  finished: reasons('vllm:request_success'),
};

const VLLM_NO_STAGES = 'this vLLM does not expose it (stage histograms arrived in vLLM 0.8 V1)';

export const ENGINE_FAMILIES: Readonly<Record<EngineFamilyId, EngineFamily>> = {
  vllm: {
    label: 'vLLM',
    marker: { prefixes: ['vllm:'] },
    modelLabel: 'model_name',
    engineLabel: 'engine',
    quantities: VLLM_QUANTITIES,
    absent: { stages: VLLM_NO_STAGES },
  },
  ray_vllm: {
    label: 'vLLM (Ray Serve)',
    marker: { prefixes: ['ray_vllm:'] },
    modelLabel: 'model_name',
    engineLabel: 'engine',
    quantities: renamed(VLLM_QUANTITIES, 'vllm:', 'ray_vllm:'),
    absent: { stages: VLLM_NO_STAGES },
  },
  // NIM for LLMs: vLLM's older names without a prefix. `num_requests_running` alone is too common
  // a name to claim a server for NIM; with an unprefixed TTFT histogram it is NIM's pair.
  nim: {
    label: 'NIM',
    marker: { allOf: ['time_to_first_token_seconds_bucket', 'num_requests_running'] },
    modelLabel: 'model_name',
    quantities: {
      ttft: h('time_to_first_token_seconds'),
      inter_token: {
        kind: 'histogram',
        names: ['inter_token_latency_seconds', 'time_per_output_token_seconds'],
      },
      e2e: h('e2e_request_latency_seconds'),
      running: g('num_requests_running'),
      waiting: g('num_requests_waiting'),
      kvUsage: g('gpu_cache_usage_perc'),
      promptTokens: c('prompt_tokens'),
      generationTokens: c('generation_tokens'),
      // request_finish_total{finished_reason}; request_success_total has no reasons.
      finished: [reasons('request_finish'), c('request_success')],
    },
    absent: {
      stages: 'NIM exposes TTFT, time per output token and end-to-end histograms only',
      preemptions: 'NIM exposes no preemption counter',
      prefixHits: 'NIM exposes no prefix-cache counters',
    },
  },
  sglang: {
    label: 'SGLang',
    marker: { prefixes: ['sglang:'] },
    modelLabel: 'model_name',
    quantities: {
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
      // SGLang retracts requests where vLLM preempts them. Newest: a counter; before it, the
      // `sglang:num_retractions` histogram (retractions per request: its _sum counts them all);
      // oldest: only the gauge `sglang:num_retracted_reqs` (requests retracted at the last step).
      preemptions: [
        c('sglang:num_retracted_requests'),
        c('sglang:num_retractions_sum'),
        g('sglang:num_retracted_reqs'),
      ],
      promptTokens: c('sglang:prompt_tokens'),
      generationTokens: c('sglang:generation_tokens'),
      cacheHitRate: g('sglang:cache_hit_rate'),
      finished: c('sglang:num_requests'),
    },
    absent: {
      stages: 'SGLang exposes TTFT, inter-token, e2e and (newer versions) queue time only',
      preemptions:
        'this SGLang exposes no retractions (sglang:num_retractions, sglang:num_retracted_reqs)',
    },
  },
  // TGI (metrics-exporter-prometheus: no labels, counters without _total, histograms only where
  // TGI set buckets). tgi_request_generated_tokens / _input_length are per-request histograms:
  // their _sum is the token counter.
  tgi: {
    label: 'TGI',
    marker: { names: ['tgi_queue_size', 'tgi_batch_current_size', 'tgi_request_duration_bucket'] },
    quantities: {
      queue: h('tgi_request_queue_duration'),
      inter_token: h('tgi_request_mean_time_per_token_duration'),
      e2e: h('tgi_request_duration'),
      running: g('tgi_batch_current_size'),
      waiting: g('tgi_queue_size'),
      promptTokens: c('tgi_request_input_length_sum'),
      generationTokens: c('tgi_request_generated_tokens_sum'),
      finished: c('tgi_request_success'),
    },
    absent: {
      ttft: 'TGI exposes no time-to-first-token histogram',
      stages: 'TGI exposes queue, mean time per token and end-to-end histograms only',
      kvUsage: 'TGI exposes no KV-cache usage',
      preemptions: 'TGI exposes no preemption counter',
      prefixHits: 'TGI exposes no prefix-cache counters',
    },
  },
};

/** A quantity's alternatives as a list, best first. */
export function sourceAlternatives(s: QuantitySource): readonly QuantityNames[] {
  return Array.isArray(s) ? (s as readonly QuantityNames[]) : [s as QuantityNames];
}

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

/**
 * The history each device family offers, from the one exporter table (exporters/deviceExporters.ts):
 * per quantity, the first series mapped to it.
 */
function historyOf(id: DeviceFamilyId): Partial<Record<DeviceQuantity, DeviceSeries>> {
  const exporter = DEVICE_EXPORTERS.find((e) => e.id === id)!;
  const out: Partial<Record<DeviceQuantity, DeviceSeries>> = {};
  for (const [name, map] of Object.entries(exporter.series)) {
    const q = map.m as DeviceQuantity;
    if (DEVICE_QUANTITIES.includes(q) && !out[q]) out[q] = { name, scale: map.scale };
  }
  return out;
}

export const DEVICE_FAMILIES: Readonly<
  Record<DeviceFamilyId, Partial<Record<DeviceQuantity, DeviceSeries>>>
> = {
  dcgm: historyOf('dcgm'),
  nvidia_gpu_exporter: historyOf('nvidia_gpu_exporter'),
  npu: historyOf('npu'),
  osprey: historyOf('osprey'),
};

/** What marks each family on a server: engines from their table entry, the rest here. */
export const FAMILY_MARKERS: Readonly<Record<FamilyId, FamilyMarker>> = {
  ...(Object.fromEntries(ENGINE_FAMILY_IDS.map((id) => [id, ENGINE_FAMILIES[id].marker])) as Record<
    EngineFamilyId,
    FamilyMarker
  >),
  dcgm: { prefixes: ['DCGM_FI_', 'DCGM_EXP_'] },
  // utkuozdemir/nvidia_gpu_exporter: `nvidia_smi_<query field>` per GPU, plus nvidia_smi_gpu_info.
  nvidia_gpu_exporter: { names: ['nvidia_smi_gpu_info', 'nvidia_smi_command_exit_code'] },
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

/** What discovery looks for, in words, for the "nothing found" hint: `vllm:…`, `tgi_queue_size`. */
export function markerText(m: FamilyMarker): string {
  const parts = [
    ...(m.prefixes ?? []).map((p) => `${p}…`),
    ...(m.names ?? []),
    ...(m.allOf ? [m.allOf.join(' + ')] : []),
  ];
  return parts.join(', ');
}
