/**
 * Builds one node's metrics message as text, fast: everything that does not change from tick to
 * tick (envelope fields, every sample's `{"m":…,"d":…,"l":…,"v":` prefix, constant and unsupported
 * samples) is rendered once here, so a tick only appends numbers. At 512 nodes × 8 devices × 2 Hz
 * that is ~1,000 messages and ~130k samples a second on one core. The text is plain JSON of
 * MetricsMessage (protocol/spec.ts); NodeWire.test.ts checks it against the decoder.
 */
import { PROTOCOL_VERSION } from '../core/protocol/spec.js';
import type { NodeSim } from './NodeSim.js';
import type { EngineSpec, NodeSpec } from './fleet.js';
import { BUCKETS } from './buckets.js';
import { LATENCY_STAGES, type LatencyStage } from './latency.js';
import { PERCENTILES, quantile } from './lognormal.js';

const MIB = 1024 * 1024;

interface DeviceParts {
  nvidia: boolean;
  util: string;
  memUsed: string;
  memTotal: string;
  memUsage: string;
  temp: string;
  power: string;
  powerLimit: string;
  clock: string;
  throttle: string;
  ecc: string;
  pcie: string;
  fan: string;
  health: string;
  aicpu: string;
  aivector: string;
  totalMiB: number;
  /** Every sample of a device that stopped reporting (health prefix excluded). */
  lost: string;
}

interface EngineParts {
  running: string;
  waiting: string;
  kv: string;
  prefix: string;
  prompt: string;
  generation: string;
  preemptions: string;
  /** [stage, percentile prefix] pairs, in wire order. */
  latency: [LatencyStage, (typeof PERCENTILES)[number], string][];
  down: string;
}

export class NodeWire {
  private readonly head: string;
  private readonly devices: DeviceParts[];
  private readonly engines: EngineParts[];
  /** Samples per message while everything reports (for rate accounting). */
  readonly sampleCount: number;

  constructor(spec: NodeSpec, intervalMs: number) {
    this.head =
      `{"v":${PROTOCOL_VERSION},"type":"metrics","cluster":${JSON.stringify(spec.cluster)},` +
      `"node":${JSON.stringify(spec.name)},"interval":${intervalMs},"ts":`;
    this.devices = spec.devices.map((d) => deviceParts(d.info.id, d.hw.vendor === 'nvidia', d));
    this.engines = spec.engines.map(engineParts);
    this.sampleCount =
      this.devices.length * 13 + this.engines.reduce((a, e) => a + 7 + e.latency.length, 0);
  }

  metrics(sim: NodeSim, ts: number, seq: number): string {
    let out = `${this.head}${ts},"seq":${seq},"samples":[`;
    let first = true;
    for (let i = 0; i < this.devices.length; i++) {
      const p = this.devices[i]!;
      const s = sim.devices[i]!;
      if (!first) out += ',';
      first = false;
      if (s.faults.lost) {
        out += `${p.lost},${p.health}${s.health}}`;
        continue;
      }
      const used = s.memUsedMiB;
      out +=
        `${p.util}${s.util}},${p.memUsed}${used * MIB}},${p.memTotal},` +
        `${p.memUsage}${round1((100 * used) / p.totalMiB)}},${p.temp}${Math.round(s.temp)}},` +
        `${p.power}${round2(s.power)}},${p.powerLimit},${p.clock}${s.clock}},` +
        `${p.ecc}${s.ecc}},${p.fan},${p.health}${s.health}}`;
      out += p.nvidia
        ? `,${p.throttle}${s.throttle}},${p.pcie}`
        : `,${p.aicpu}${s.aicpu}},${p.aivector}${s.aivector}}`;
    }
    for (let i = 0; i < this.engines.length; i++) {
      const p = this.engines[i]!;
      const e = sim.engines[i]!;
      if (!first) out += ',';
      first = false;
      if (e.down) {
        out += p.down;
        continue;
      }
      out +=
        `${p.running}${e.running}},${p.waiting}${e.waiting}},${p.kv}${round1(e.kvUsage)}},` +
        `${p.prefix}${round1(e.prefixHitRate)}},${p.prompt}${round1(e.promptTps)}},` +
        `${p.generation}${round1(e.generationTps)}},${p.preemptions}${e.preemptions}}`;
      for (const [stage, q, prefix] of p.latency) {
        out += `,${prefix}${sig4(quantile(e.latency[stage], q))}}`;
      }
    }
    return `${out}]}`;
  }
}

function prefix(m: string, d: string | undefined, l?: Record<string, string>): string {
  const dev = d === undefined ? '' : `"d":${JSON.stringify(d)},`;
  const labels = l === undefined ? '' : `"l":${JSON.stringify(l)},`;
  return `{"m":"${m}",${dev}${labels}"v":`;
}

function absent(m: string, d: string | undefined, s: string, raw?: string, l?: Record<string, string>): string {
  const r = raw === undefined ? '' : `,"raw":${JSON.stringify(raw)}`;
  return `${prefix(m, d, l)}null,"s":"${s}"${r}}`;
}

function deviceParts(
  id: string,
  nvidia: boolean,
  d: { hw: { memoryMiB: number; powerLimitW: number; pcieGen: number; fan: boolean } },
): DeviceParts {
  const p = (m: string): string => prefix(m, id);
  // nvidia-smi prints `[N/A]` for what a board lacks; npu-smi prints `NA`.
  const na = nvidia ? '[N/A]' : 'NA';
  const parts: DeviceParts = {
    nvidia,
    util: p('device.utilization'),
    memUsed: p('device.memory.used'),
    memTotal: `${p('device.memory.total')}${d.hw.memoryMiB * MIB}}`,
    memUsage: p('device.memory.usage'),
    temp: p('device.temperature'),
    power: p('device.power'),
    powerLimit: nvidia
      ? `${p('device.power.limit')}${d.hw.powerLimitW}}`
      : absent('device.power.limit', id, 'unsupported', na),
    clock: p('device.clock.sm'),
    throttle: p('device.throttle.reasons'),
    ecc: p('device.ecc.uncorrected'),
    pcie: `${p('device.pcie.link.gen')}${d.hw.pcieGen}}`,
    fan: absent('device.fan', id, 'unsupported', na),
    health: p('device.health'),
    aicpu: p('device.aicpu.utilization'),
    aivector: p('device.aivector.utilization'),
    totalMiB: d.hw.memoryMiB,
    lost: '',
  };
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
  parts.lost = reported.map((m) => absent(m, id, 'missing')).join(',');
  return parts;
}

function engineParts(e: EngineSpec): EngineParts {
  const l = { engine: e.id, model: e.model.name, framework: e.framework };
  const p = (m: string): string => prefix(m, undefined, l);
  const stages = LATENCY_STAGES.filter((s) => BUCKETS[e.framework][s] !== undefined);
  const latency: EngineParts['latency'] = [];
  for (const stage of stages) {
    for (const q of PERCENTILES) {
      latency.push([stage, q, prefix(`engine.latency.${stage}`, undefined, { ...l, q })]);
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
    down: [
      ...names.map((m) => absent(m, undefined, 'missing', undefined, l)),
      ...stages.flatMap((s) =>
        PERCENTILES.map((q) => absent(`engine.latency.${s}`, undefined, 'missing', undefined, { ...l, q })),
      ),
    ].join(','),
  };
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

function sig4(x: number): number {
  return Number(x.toPrecision(4));
}
