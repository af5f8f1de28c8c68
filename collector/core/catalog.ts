/**
 * The canonical metric catalog. Every source (nvidia-smi, npu-smi, /proc, DCGM exporter, NPU
 * exporter, vLLM, SGLang) maps its own names onto these, so NVIDIA and Ascend, vLLM and SGLang sit
 * side by side with one meaning and one unit. Each source's mapping is its own module; this file is
 * the vocabulary only.
 *
 * `prom` is the name under which the collector exposes the metric on /metrics, in Prometheus base
 * units (ratios 0–1, bytes, seconds, hertz), hence the optional `scale` from the canonical unit.
 */

export type MetricUnit =
  | 'percent'
  | 'bytes'
  | 'bytes/s'
  | 'watts'
  | 'celsius'
  | 'megahertz'
  | 'seconds'
  | 'count'
  | 'tokens/s'
  | 'none';

/** `state` is an enumeration (e.g. health 0–3), `bitmask` a set of flags (throttle reasons). */
export type MetricKind = 'gauge' | 'counter' | 'histogram' | 'state' | 'bitmask';

export type MetricScope = 'host' | 'device' | 'process' | 'engine';

export interface MetricDef {
  name: string;
  unit: MetricUnit;
  kind: MetricKind;
  scope: MetricScope;
  help: string;
  /** Labels a sample of this metric carries in `l`, besides the device. */
  labels?: readonly string[];
  /** Natural range for colour scales; absent when open-ended. */
  range?: readonly [number, number];
  prom?: { name: string; scale?: number; type: 'gauge' | 'counter' };
}

const pct = { unit: 'percent', kind: 'gauge', range: [0, 100] } as const;

function def(name: string, rest: Omit<MetricDef, 'name'>): MetricDef {
  return { name, ...rest };
}

export const METRICS: readonly MetricDef[] = [
  // Host
  def('host.cpu.utilization', {
    ...pct,
    scope: 'host',
    help: 'CPU busy time over the last interval, all cores.',
    prom: { name: 'osprey_host_cpu_utilization_ratio', scale: 0.01, type: 'gauge' },
  }),
  def('host.cpu.core.utilization', {
    ...pct,
    scope: 'host',
    labels: ['cpu'],
    help: 'CPU busy time over the last interval, per core.',
    prom: { name: 'osprey_host_cpu_core_utilization_ratio', scale: 0.01, type: 'gauge' },
  }),
  def('host.memory.used', {
    unit: 'bytes',
    kind: 'gauge',
    scope: 'host',
    help: 'Memory in use (total minus available).',
    prom: { name: 'osprey_host_memory_used_bytes', type: 'gauge' },
  }),
  def('host.memory.total', {
    unit: 'bytes',
    kind: 'gauge',
    scope: 'host',
    help: 'Physical memory.',
    prom: { name: 'osprey_host_memory_total_bytes', type: 'gauge' },
  }),
  def('host.memory.usage', {
    ...pct,
    scope: 'host',
    help: 'Memory in use as a share of physical memory.',
    prom: { name: 'osprey_host_memory_usage_ratio', scale: 0.01, type: 'gauge' },
  }),
  ...(['1', '5', '15'] as const).map((m) =>
    def(`host.load.${m}`, {
      unit: 'none',
      kind: 'gauge',
      scope: 'host',
      help: `Load average over ${m} minute(s).`,
      prom: { name: `osprey_host_load${m}`, type: 'gauge' },
    }),
  ),
  def('host.network.receive', {
    unit: 'bytes/s',
    kind: 'gauge',
    scope: 'host',
    labels: ['interface'],
    help: 'Bytes received per second over the last interval.',
    prom: { name: 'osprey_host_network_receive_bytes_per_second', type: 'gauge' },
  }),
  def('host.network.transmit', {
    unit: 'bytes/s',
    kind: 'gauge',
    scope: 'host',
    labels: ['interface'],
    help: 'Bytes sent per second over the last interval.',
    prom: { name: 'osprey_host_network_transmit_bytes_per_second', type: 'gauge' },
  }),
  def('host.disk.read', {
    unit: 'bytes/s',
    kind: 'gauge',
    scope: 'host',
    labels: ['disk'],
    help: 'Bytes read per second over the last interval.',
    prom: { name: 'osprey_host_disk_read_bytes_per_second', type: 'gauge' },
  }),
  def('host.disk.write', {
    unit: 'bytes/s',
    kind: 'gauge',
    scope: 'host',
    labels: ['disk'],
    help: 'Bytes written per second over the last interval.',
    prom: { name: 'osprey_host_disk_write_bytes_per_second', type: 'gauge' },
  }),

  // Devices (GPU and NPU)
  def('device.utilization', {
    ...pct,
    scope: 'device',
    help: 'Compute busy share: nvidia-smi utilization.gpu; npu-smi AICore usage (NPU Utilization where given).',
    prom: { name: 'osprey_device_utilization_ratio', scale: 0.01, type: 'gauge' },
  }),
  def('device.memory.used', {
    unit: 'bytes',
    kind: 'gauge',
    scope: 'device',
    help: 'Device memory in use (GPU framebuffer; NPU HBM, or DDR where the chip has no HBM).',
    prom: { name: 'osprey_device_memory_used_bytes', type: 'gauge' },
  }),
  def('device.memory.total', {
    unit: 'bytes',
    kind: 'gauge',
    scope: 'device',
    help: 'Device memory capacity.',
    prom: { name: 'osprey_device_memory_total_bytes', type: 'gauge' },
  }),
  def('device.memory.usage', {
    ...pct,
    scope: 'device',
    help: 'Device memory in use as a share of capacity.',
    prom: { name: 'osprey_device_memory_usage_ratio', scale: 0.01, type: 'gauge' },
  }),
  def('device.memory.bandwidth.utilization', {
    ...pct,
    scope: 'device',
    help: 'Memory-controller busy share: nvidia-smi utilization.memory; npu-smi HBM bandwidth usage.',
    prom: { name: 'osprey_device_memory_bandwidth_utilization_ratio', scale: 0.01, type: 'gauge' },
  }),
  def('device.temperature', {
    unit: 'celsius',
    kind: 'gauge',
    scope: 'device',
    range: [20, 100],
    help: 'Core temperature.',
    prom: { name: 'osprey_device_temperature_celsius', type: 'gauge' },
  }),
  def('device.memory.temperature', {
    unit: 'celsius',
    kind: 'gauge',
    scope: 'device',
    range: [20, 100],
    help: 'Memory (HBM) temperature.',
    prom: { name: 'osprey_device_memory_temperature_celsius', type: 'gauge' },
  }),
  // The board's own limits, static per GPU: what temperature is judged against (a heatmap's "% of
  // limit", core/diagnosis/thresholds.ts) instead of one default across models.
  def('device.temperature.slowdown', {
    unit: 'celsius',
    kind: 'gauge',
    scope: 'device',
    help: 'Temperature where thermal slowdown starts (nvidia-smi -q -x gpu_temp_slow_threshold).',
    prom: { name: 'osprey_device_temperature_slowdown_celsius', type: 'gauge' },
  }),
  def('device.temperature.shutdown', {
    unit: 'celsius',
    kind: 'gauge',
    scope: 'device',
    help: 'Temperature where the GPU shuts down (nvidia-smi -q -x gpu_temp_max_threshold).',
    prom: { name: 'osprey_device_temperature_shutdown_celsius', type: 'gauge' },
  }),
  def('device.power', {
    unit: 'watts',
    kind: 'gauge',
    scope: 'device',
    help: 'Power draw (nvidia-smi power.draw: 1 s average on Ampere and newer).',
    prom: { name: 'osprey_device_power_watts', type: 'gauge' },
  }),
  def('device.power.limit', {
    unit: 'watts',
    kind: 'gauge',
    scope: 'device',
    help: 'Enforced power limit.',
    prom: { name: 'osprey_device_power_limit_watts', type: 'gauge' },
  }),
  def('device.clock.sm', {
    unit: 'megahertz',
    kind: 'gauge',
    scope: 'device',
    help: 'SM (NVIDIA) or AI Core (Ascend) clock.',
    prom: { name: 'osprey_device_clock_sm_hertz', scale: 1e6, type: 'gauge' },
  }),
  def('device.throttle.reasons', {
    unit: 'none',
    kind: 'bitmask',
    scope: 'device',
    help: 'NVML clock event (throttle) reasons bitmask; see throttle.ts for the bits.',
    prom: { name: 'osprey_device_throttle_reasons', type: 'gauge' },
  }),
  def('device.ecc.uncorrected', {
    unit: 'count',
    kind: 'counter',
    scope: 'device',
    help: 'Uncorrected (double-bit) ECC errors since the last driver load.',
    prom: { name: 'osprey_device_ecc_uncorrected_errors_total', type: 'counter' },
  }),
  def('device.pcie.link.gen', {
    unit: 'none',
    kind: 'gauge',
    scope: 'device',
    help: 'Current PCIe link generation.',
    prom: { name: 'osprey_device_pcie_link_gen', type: 'gauge' },
  }),
  def('device.fan', {
    ...pct,
    scope: 'device',
    help: 'Fan speed as a share of its maximum.',
    prom: { name: 'osprey_device_fan_speed_ratio', scale: 0.01, type: 'gauge' },
  }),
  def('device.pstate', {
    unit: 'none',
    kind: 'state',
    scope: 'device',
    range: [0, 15],
    help: 'Performance state: 0 (P0, maximum) to 15 (P15, minimum).',
    prom: { name: 'osprey_device_pstate', type: 'gauge' },
  }),
  def('device.health', {
    unit: 'none',
    kind: 'state',
    scope: 'device',
    range: [0, 3],
    help: 'Health as the vendor tool reports it: 0 OK, 1 Warning, 2 Alarm, 3 Critical.',
    prom: { name: 'osprey_device_health', type: 'gauge' },
  }),
  def('device.aicpu.utilization', {
    ...pct,
    scope: 'device',
    help: 'Ascend AI CPU busy share.',
    prom: { name: 'osprey_device_aicpu_utilization_ratio', scale: 0.01, type: 'gauge' },
  }),
  def('device.aivector.utilization', {
    ...pct,
    scope: 'device',
    help: 'Ascend AI Vector busy share.',
    prom: { name: 'osprey_device_aivector_utilization_ratio', scale: 0.01, type: 'gauge' },
  }),
  def('process.device.memory.used', {
    unit: 'bytes',
    kind: 'gauge',
    scope: 'process',
    labels: ['pid', 'process'],
    help: 'Device memory held by one process (nvidia-smi --query-compute-apps, npu-smi process table).',
    prom: { name: 'osprey_process_device_memory_used_bytes', type: 'gauge' },
  }),

  // Engines (vLLM, SGLang): the vocabulary the live and Prometheus views share.
  def('engine.requests.running', {
    unit: 'count',
    kind: 'gauge',
    scope: 'engine',
    help: 'Requests in the running batch.',
  }),
  def('engine.requests.waiting', {
    unit: 'count',
    kind: 'gauge',
    scope: 'engine',
    help: 'Requests waiting in the queue.',
  }),
  def('engine.kv_cache.usage', { ...pct, scope: 'engine', help: 'KV-cache blocks in use.' }),
  def('engine.prefix_cache.hit_rate', {
    ...pct,
    scope: 'engine',
    help: 'Prefix-cache hits as a share of queried tokens.',
  }),
  def('engine.tokens.prompt', {
    unit: 'tokens/s',
    kind: 'gauge',
    scope: 'engine',
    help: 'Prompt (prefill) tokens processed per second.',
  }),
  def('engine.tokens.generation', {
    unit: 'tokens/s',
    kind: 'gauge',
    scope: 'engine',
    help: 'Generated tokens per second.',
  }),
  def('engine.preemptions', {
    unit: 'count',
    kind: 'counter',
    scope: 'engine',
    help: 'Requests preempted by the scheduler.',
  }),
  // vLLM's request_success{finished_reason} (contracts §1.3): stop, length, abort (and error,
  // repetition in the newest releases). A counter since start, so a window's error rate is the
  // share of aborted (and errored) requests among those finished in it.
  def('engine.requests.finished', {
    unit: 'count',
    kind: 'counter',
    scope: 'engine',
    labels: ['reason'],
    help: 'Requests finished since start, by finish reason (stop, length, abort, …).',
  }),
  // Diagnosis (issue 14): on /metrics only, from the collector's DiagnosisLog, not on the wire.
  def('diagnosis.open', {
    unit: 'count',
    kind: 'gauge',
    scope: 'device',
    labels: ['kind', 'code', 'severity'],
    help: 'Open hardware diagnoses (Xid, fallen off the bus, thresholds, …) by kind, code and severity.',
    prom: { name: 'osprey_diagnosis_open', type: 'gauge' },
  }),
  def('diagnosis.signals', {
    unit: 'count',
    kind: 'counter',
    scope: 'host',
    labels: ['kind', 'code'],
    help: 'Signals read from the kernel log and the device tools since start, repeats included.',
    prom: { name: 'osprey_diagnosis_signals_total', type: 'counter' },
  }),
  ...(
    [
      ['ttft', 'Time to first token.'],
      ['inter_token', 'Time between output tokens.'],
      ['e2e', 'End-to-end request latency.'],
      ['queue', 'Time spent waiting in the queue.'],
      ['prefill', 'Time spent in prefill.'],
      ['decode', 'Time spent in decode.'],
    ] as const
  ).map(([stage, help]) =>
    def(`engine.latency.${stage}`, { unit: 'seconds', kind: 'histogram', scope: 'engine', help }),
  ),
];

const byName = new Map(METRICS.map((m) => [m.name, m]));

/** The definition of a canonical metric, or undefined for names outside the catalog. */
export function metricDef(name: string): MetricDef | undefined {
  return byName.get(name);
}

/** Device metrics a heatmap can colour by, in menu order. */
export const HEATMAP_METRICS = [
  'device.utilization',
  'device.memory.usage',
  'device.temperature',
  'device.power',
] as const;
