/**
 * The constant pieces of a node's metrics message, rendered once (NodeWire appends the numbers):
 * each grid's rows and columns (protocol spec.ts, Grid), and the samples a grid cannot carry
 * because they have a status and the tool's own text (what a board does not report).
 */
import type { DeviceSpec, EngineSpec } from './fleet.js';
import { BUCKETS } from './buckets.js';
import { fragment } from './ByteWriter.js';
import { FINISH_REASONS } from './engineSim.js';
import { LATENCY_STAGES, type LatencyStage } from './latency.js';
import { PERCENTILES, type Percentile } from './lognormal.js';

export const MIB = 1024 * 1024;

export type F = Uint8Array;

/** What every device reports first, NVIDIA or Ascend. */
const SHARED_COLUMNS = [
  'device.utilization',
  'device.memory.used',
  'device.memory.total',
  'device.memory.usage',
  'device.temperature',
  'device.power',
];

/**
 * Grid columns of a device, in the order NodeWire writes them. An NVIDIA GPU also reports its
 * slowdown temperature (nvidia-smi -q -x `gpu_temp_slow_threshold`, as the real probe sends it):
 * the console colours temperature as a share of it. npu-smi prints no such limit.
 */
export const NVIDIA_COLUMNS = [
  ...SHARED_COLUMNS,
  'device.power.limit',
  'device.temperature.slowdown',
  'device.clock.sm',
  'device.ecc.uncorrected',
  'device.health',
  'device.throttle.reasons',
  'device.pcie.link.gen',
];
export const ASCEND_COLUMNS = [
  ...SHARED_COLUMNS,
  'device.clock.sm',
  'device.ecc.uncorrected',
  'device.health',
  'device.aicpu.utilization',
  'device.aivector.utilization',
];

export const ENGINE_COLUMNS = [
  'engine.requests.running',
  'engine.requests.waiting',
  'engine.kv_cache.usage',
  'engine.prefix_cache.hit_rate',
  'engine.tokens.prompt',
  'engine.tokens.generation',
  'engine.preemptions',
];

/** After ENGINE_COLUMNS: finished requests since start, one column per vLLM finish reason. */
export const FINISHED_COLUMNS = FINISH_REASONS.map((reason) => ({
  m: 'engine.requests.finished',
  l: { reason },
}));

/** One grid of a node's message: the rows it covers and its `{"rows":…,"cols":…,"v":[` head. */
export interface GridParts {
  /** Indices into the node's devices or engines, in row order. */
  members: number[];
  head: F;
  width: number;
}

export interface DeviceGridParts extends GridParts {
  nvidia: boolean;
  healthColumn: number;
}

export interface EngineGridParts extends GridParts {
  /** The latency columns after ENGINE_COLUMNS and FINISHED_COLUMNS: [stage, percentile]. */
  latency: [LatencyStage, Percentile][];
}

export interface DeviceParts {
  totalMiB: number;
  /** Samples per message while the device reports: its grid columns and the unsupported ones. */
  samples: number;
  /** What the board does not report, as samples with status and text (may be empty). */
  unsupported: F;
  /** The same samples while the device is lost: status missing. */
  lost: F;
}

function gridHead(rows: object[], cols: object[]): F {
  return fragment(`{"rows":${JSON.stringify(rows)},"cols":${JSON.stringify(cols)},"v":[`);
}

function absent(m: string, d: string, s: string, raw?: string): string {
  const r = raw === undefined ? '' : `,"raw":${JSON.stringify(raw)}`;
  return `{"m":"${m}","d":${JSON.stringify(d)},"v":null,"s":"${s}"${r}}`;
}

export function deviceParts(d: DeviceSpec): DeviceParts {
  const id = d.info.id;
  const nvidia = d.hw.vendor === 'nvidia';
  // nvidia-smi prints `[N/A]` for what a board lacks; npu-smi prints `NA`.
  const lacking = nvidia ? ['device.fan'] : ['device.power.limit', 'device.fan'];
  const na = nvidia ? '[N/A]' : 'NA';
  return {
    totalMiB: d.hw.memoryMiB,
    samples: (nvidia ? NVIDIA_COLUMNS : ASCEND_COLUMNS).length + lacking.length,
    unsupported: fragment(lacking.map((m) => absent(m, id, 'unsupported', na)).join(',')),
    lost: fragment(lacking.map((m) => absent(m, id, 'missing')).join(',')),
  };
}

/** One grid per vendor among the node's devices (a real node holds one). */
export function deviceGrids(devices: readonly DeviceSpec[]): DeviceGridParts[] {
  const out: DeviceGridParts[] = [];
  for (const nvidia of [true, false]) {
    const members = devices.flatMap((d, i) => ((d.hw.vendor === 'nvidia') === nvidia ? [i] : []));
    if (members.length === 0) continue;
    const cols = nvidia ? NVIDIA_COLUMNS : ASCEND_COLUMNS;
    out.push({
      nvidia,
      members,
      head: gridHead(
        members.map((i) => ({ d: devices[i]!.info.id })),
        cols.map((m) => ({ m })),
      ),
      width: cols.length,
      healthColumn: cols.indexOf('device.health'),
    });
  }
  return out;
}

/** One grid per framework among the node's engines: vLLM and SGLang report different stages. */
export function engineGrids(engines: readonly EngineSpec[]): EngineGridParts[] {
  const out: EngineGridParts[] = [];
  for (const framework of new Set(engines.map((e) => e.framework))) {
    const members = engines.flatMap((e, i) => (e.framework === framework ? [i] : []));
    const stages = LATENCY_STAGES.filter((s) => BUCKETS[framework][s] !== undefined);
    const latency = stages.flatMap((s) =>
      PERCENTILES.map((q): [LatencyStage, Percentile] => [s, q]),
    );
    const cols = [
      ...ENGINE_COLUMNS.map((m) => ({ m })),
      ...FINISHED_COLUMNS,
      ...latency.map(([s, q]) => ({ m: `engine.latency.${s}`, l: { q } })),
    ];
    const rows = members.map((i) => {
      const e = engines[i]!;
      return { l: { engine: e.id, model: e.model.name, framework: e.framework } };
    });
    out.push({ members, head: gridHead(rows, cols), width: cols.length, latency });
  }
  return out;
}
