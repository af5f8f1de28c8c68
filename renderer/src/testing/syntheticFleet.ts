/**
 * A deterministic fleet for tests, demos and the ingest benchmarks: nodes of NVIDIA or Ascend
 * devices, 12 device metrics each plus two vLLM-like engines per node, shaped as the simulator
 * publishes them (one metrics message per node per tick). Values are pure functions of (node,
 * device, metric, tick), so a test can recompute what a cell must show.
 */
import { packGrids } from '../../../collector/core/protocol/grids.js';
import type {
  DeviceInfo,
  InventoryMessage,
  MetricsMessage,
  Sample,
} from '../../../collector/core/protocol/spec.js';

export interface SyntheticFleetOptions {
  cluster?: string;
  nodes?: number;
  devicesPerNode?: number;
  enginesPerNode?: number;
  /** Sender interval (ms). */
  interval?: number;
  /** 'grids' packs values as the node agent and simulator send them; 'samples' one object each. */
  encoding?: 'samples' | 'grids';
}

const GiB = 1024 ** 3;

/** The 12 device metrics every synthetic device reports. */
export const SYNTHETIC_DEVICE_METRICS = [
  'device.utilization',
  'device.memory.used',
  'device.memory.total',
  'device.memory.usage',
  'device.memory.bandwidth.utilization',
  'device.temperature',
  'device.memory.temperature',
  'device.power',
  'device.power.limit',
  'device.clock.sm',
  'device.health',
  'device.ecc.uncorrected',
] as const;

const ENGINE_GAUGES = [
  'engine.requests.running',
  'engine.requests.waiting',
  'engine.kv_cache.usage',
  'engine.prefix_cache.hit_rate',
  'engine.tokens.prompt',
  'engine.tokens.generation',
] as const;

export function nodeName(i: number): string {
  return `node-${String(i).padStart(3, '0')}`;
}

function isAscend(nodeIndex: number): boolean {
  return nodeIndex % 4 === 3;
}

export function syntheticDevices(nodeIndex: number, count: number): DeviceInfo[] {
  const ascend = isAscend(nodeIndex);
  return Array.from({ length: count }, (_, index) => {
    const hex = ((nodeIndex << 8) | index).toString(16).padStart(8, '0');
    return ascend
      ? {
          id: `ascend:${index}`,
          vendor: 'ascend' as const,
          index,
          name: 'Ascend 910B3',
          memoryTotalBytes: 64 * GiB,
        }
      : {
          id: `GPU-${hex}-0000-4000-8000-${hex}0000`,
          uuid: `GPU-${hex}-0000-4000-8000-${hex}0000`,
          vendor: 'nvidia' as const,
          index,
          name: nodeIndex % 4 === 1 ? 'NVIDIA A100-SXM4-80GB' : 'NVIDIA H100 80GB HBM3',
          memoryTotalBytes: 80 * GiB,
        };
  });
}

export function syntheticInventory(
  nodeIndex: number,
  ts: number,
  opts: SyntheticFleetOptions = {},
): InventoryMessage {
  const node = nodeName(nodeIndex);
  return {
    v: 1,
    cluster: opts.cluster ?? 'sim',
    node,
    ts,
    seq: 0,
    type: 'inventory',
    host: { hostname: node, os: 'linux', arch: 'x64', cpuCores: 96, memoryTotalBytes: 1024 * GiB },
    devices: syntheticDevices(nodeIndex, opts.devicesPerNode ?? 8),
    probes: [{ probe: isAscend(nodeIndex) ? 'npu-smi' : 'nvidia-smi', state: 'ok', since: 0 }],
  };
}

/** A smooth, deterministic load in 0–100 for (node, device, tick). */
export function syntheticUtilization(nodeIndex: number, device: number, tick: number): number {
  const phase = (nodeIndex * 7 + device * 3) % 40;
  return Math.round(50 + 45 * Math.sin((tick + phase) / 6));
}

function deviceSamples(nodeIndex: number, device: DeviceInfo, tick: number): Sample[] {
  const util = syntheticUtilization(nodeIndex, device.index, tick);
  const total = device.memoryTotalBytes ?? 80 * GiB;
  const used = Math.round(total * (0.3 + util / 200));
  const limit = device.vendor === 'ascend' ? 400 : 700;
  const d = device.id;
  const values: number[] = [
    util,
    used,
    total,
    (100 * used) / total,
    util * 0.8,
    35 + util * 0.45,
    40 + util * 0.4,
    80 + (limit - 80) * (util / 100),
    limit,
    1980 - (util > 90 ? 300 : 0),
    (nodeIndex + device.index) % 97 === 0 ? 2 : 0,
    0,
  ];
  return SYNTHETIC_DEVICE_METRICS.map((m, i) => ({ m, v: values[i]!, d }));
}

function engineSamples(nodeIndex: number, engine: number, tick: number): Sample[] {
  const l = { engine: `vllm-${engine}`, model: 'Qwen/Qwen3-32B', framework: 'vllm' };
  const load = syntheticUtilization(nodeIndex, engine, tick) / 100;
  const gauges = [
    Math.round(64 * load),
    Math.round(20 * load * load),
    100 * load,
    42 + 10 * load,
    9000 * load,
    3000 * load,
  ];
  const out: Sample[] = ENGINE_GAUGES.map((m, i) => ({ m, v: gauges[i]!, l }));
  for (const stage of ['ttft', 'inter_token', 'e2e'] as const) {
    for (const [q, f] of [
      ['p50', 1],
      ['p90', 1.8],
      ['p99', 3],
    ] as const) {
      out.push({ m: `engine.latency.${stage}`, v: 0.05 * f * (1 + load), l: { ...l, q } });
    }
  }
  return out;
}

export function syntheticMetrics(
  nodeIndex: number,
  tick: number,
  ts: number,
  opts: SyntheticFleetOptions = {},
): MetricsMessage {
  const devices = syntheticDevices(nodeIndex, opts.devicesPerNode ?? 8);
  const samples = devices.flatMap((d) => deviceSamples(nodeIndex, d, tick));
  for (let e = 0; e < (opts.enginesPerNode ?? 2); e++) {
    samples.push(...engineSamples(nodeIndex, e, tick));
  }
  const message: MetricsMessage = {
    v: 1,
    cluster: opts.cluster ?? 'sim',
    node: nodeName(nodeIndex),
    ts,
    seq: tick + 1,
    type: 'metrics',
    interval: opts.interval ?? 500,
    samples,
  };
  return opts.encoding === 'grids' ? { ...message, ...packGrids(samples) } : message;
}
