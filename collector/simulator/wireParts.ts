/**
 * The constant pieces of a node's metrics message, rendered once (NodeWire appends the numbers):
 * each sample's `{"m":…,"d":…,"l":…,"v":` prefix, the samples that never change (memory total,
 * power limit, PCIe generation, what the board does not report), and the whole block a device or
 * engine sends when it stopped reporting.
 */
import type { DeviceSpec, EngineSpec } from './fleet.js';
import { BUCKETS } from './buckets.js';
import { fragment } from './ByteWriter.js';
import { LATENCY_STAGES, type LatencyStage } from './latency.js';
import { PERCENTILES, type Percentile } from './lognormal.js';

export const MIB = 1024 * 1024;

export type F = Uint8Array;

export interface DeviceParts {
  nvidia: boolean;
  util: F;
  memUsed: F;
  /** Constant samples, complete (memory.total, power.limit, pcie gen, fan), joined. */
  constants: F;
  memUsage: F;
  temp: F;
  power: F;
  clock: F;
  throttle: F;
  ecc: F;
  health: F;
  aicpu: F;
  aivector: F;
  totalMiB: number;
  /** Every sample of a device that stopped reporting, then the health prefix. */
  lost: F;
}

export interface EngineParts {
  running: F;
  waiting: F;
  kv: F;
  prefix: F;
  prompt: F;
  generation: F;
  preemptions: F;
  /** [stage, percentile, prefix] in wire order. */
  latency: [LatencyStage, Percentile, F][];
  down: F;
}

function prefix(m: string, d: string | undefined, l?: Record<string, string>): string {
  const dev = d === undefined ? '' : `"d":${JSON.stringify(d)},`;
  const labels = l === undefined ? '' : `"l":${JSON.stringify(l)},`;
  return `{"m":"${m}",${dev}${labels}"v":`;
}

function absent(
  m: string,
  d: string | undefined,
  s: string,
  raw?: string,
  l?: Record<string, string>,
): string {
  const r = raw === undefined ? '' : `,"raw":${JSON.stringify(raw)}`;
  return `${prefix(m, d, l)}null,"s":"${s}"${r}}`;
}

export function deviceParts(d: DeviceSpec): DeviceParts {
  const id = d.info.id;
  const nvidia = d.hw.vendor === 'nvidia';
  const p = (m: string): F => fragment(prefix(m, id));
  // nvidia-smi prints `[N/A]` for what a board lacks; npu-smi prints `NA`.
  const na = nvidia ? '[N/A]' : 'NA';
  const constants = [
    `${prefix('device.memory.total', id)}${d.hw.memoryMiB * MIB}}`,
    nvidia
      ? `${prefix('device.power.limit', id)}${d.hw.powerLimitW}}`
      : absent('device.power.limit', id, 'unsupported', na),
    absent('device.fan', id, 'unsupported', na),
    ...(nvidia ? [`${prefix('device.pcie.link.gen', id)}${d.hw.pcieGen}}`] : []),
  ];
  const reported = [
    'device.utilization',
    'device.memory.used',
    'device.memory.total',
    'device.memory.usage',
    'device.temperature',
    'device.power',
    'device.power.limit',
    'device.clock.sm',
    'device.ecc.uncorrected',
    'device.fan',
    ...(nvidia
      ? ['device.throttle.reasons', 'device.pcie.link.gen']
      : ['device.aicpu.utilization', 'device.aivector.utilization']),
  ];
  return {
    nvidia,
    util: p('device.utilization'),
    memUsed: p('device.memory.used'),
    constants: fragment(constants.join(',')),
    memUsage: p('device.memory.usage'),
    temp: p('device.temperature'),
    power: p('device.power'),
    clock: p('device.clock.sm'),
    throttle: p('device.throttle.reasons'),
    ecc: p('device.ecc.uncorrected'),
    health: p('device.health'),
    aicpu: p('device.aicpu.utilization'),
    aivector: p('device.aivector.utilization'),
    totalMiB: d.hw.memoryMiB,
    lost: fragment(
      [...reported.map((m) => absent(m, id, 'missing')), prefix('device.health', id)].join(','),
    ),
  };
}

export function engineParts(e: EngineSpec): EngineParts {
  const l = { engine: e.id, model: e.model.name, framework: e.framework };
  const p = (m: string): F => fragment(prefix(m, undefined, l));
  const stages = LATENCY_STAGES.filter((s) => BUCKETS[e.framework][s] !== undefined);
  const latency: EngineParts['latency'] = [];
  for (const stage of stages) {
    for (const q of PERCENTILES) {
      latency.push([stage, q, fragment(prefix(`engine.latency.${stage}`, undefined, { ...l, q }))]);
    }
  }
  const names = [
    'engine.requests.running',
    'engine.requests.waiting',
    'engine.kv_cache.usage',
    'engine.prefix_cache.hit_rate',
    'engine.tokens.prompt',
    'engine.tokens.generation',
    'engine.preemptions',
  ];
  return {
    running: p(names[0]!),
    waiting: p(names[1]!),
    kv: p(names[2]!),
    prefix: p(names[3]!),
    prompt: p(names[4]!),
    generation: p(names[5]!),
    preemptions: p(names[6]!),
    latency,
    down: fragment(
      [
        ...names.map((m) => absent(m, undefined, 'missing', undefined, l)),
        ...stages.flatMap((s) =>
          PERCENTILES.map((q) =>
            absent(`engine.latency.${s}`, undefined, 'missing', undefined, { ...l, q }),
          ),
        ),
      ].join(','),
    ),
  };
}
