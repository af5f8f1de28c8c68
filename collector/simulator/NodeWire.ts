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
import { PERCENTILES, quantile, type Percentile } from './lognormal.js';
import { fragment, type ByteWriter } from './ByteWriter.js';

const MIB = 1024 * 1024;

type F = Uint8Array;

interface DeviceParts {
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

interface EngineParts {
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

const CLOSE = 125; // }
const COMMA = 44;

export class NodeWire {
  private readonly head: F;
  private readonly seqPart = fragment(',"seq":');
  private readonly samplesPart = fragment(',"samples":[');
  private readonly tail = fragment(']}');
  private readonly devices: DeviceParts[];
  private readonly engines: EngineParts[];
  /** Samples per message while everything reports (for rate accounting). */
  readonly sampleCount: number;

  constructor(spec: NodeSpec, intervalMs: number) {
    this.head = fragment(
      `{"v":${PROTOCOL_VERSION},"type":"metrics","cluster":${JSON.stringify(spec.cluster)},` +
        `"node":${JSON.stringify(spec.name)},"interval":${intervalMs},"ts":`,
    );
    this.devices = spec.devices.map((d) => deviceParts(d.info.id, d.hw.vendor === 'nvidia', d));
    this.engines = spec.engines.map(engineParts);
    this.sampleCount =
      this.devices.length * 13 + this.engines.reduce((a, e) => a + 7 + e.latency.length, 0);
  }

  /** The metrics message of `sim`'s current state, written into `w` (reset first). */
  metrics(sim: NodeSim, ts: number, seq: number, w: ByteWriter): Uint8Array {
    w.reset();
    w.raw(this.head);
    w.int(ts);
    w.raw(this.seqPart);
    w.int(seq);
    w.raw(this.samplesPart);
    let first = true;
    for (let i = 0; i < this.devices.length; i++) {
      const p = this.devices[i]!;
      const s = sim.devices[i]!;
      if (!first) w.byte(COMMA);
      first = false;
      if (s.faults.lost) {
        w.raw(p.lost);
        w.int(s.health);
        w.byte(CLOSE);
        continue;
      }
      num(w, p.util, s.util);
      w.byte(COMMA);
      num(w, p.memUsed, s.memUsedMiB * MIB);
      w.byte(COMMA);
      w.raw(p.constants);
      w.byte(COMMA);
      w.raw(p.memUsage);
      w.fixed((100 * s.memUsedMiB) / p.totalMiB, 1);
      w.byte(CLOSE);
      w.byte(COMMA);
      num(w, p.temp, Math.round(s.temp));
      w.byte(COMMA);
      w.raw(p.power);
      w.fixed(s.power, 2);
      w.byte(CLOSE);
      w.byte(COMMA);
      num(w, p.clock, s.clock);
      w.byte(COMMA);
      num(w, p.ecc, s.ecc);
      w.byte(COMMA);
      num(w, p.health, s.health);
      w.byte(COMMA);
      if (p.nvidia) {
        num(w, p.throttle, s.throttle);
      } else {
        num(w, p.aicpu, s.aicpu);
        w.byte(COMMA);
        num(w, p.aivector, s.aivector);
      }
    }
    for (let i = 0; i < this.engines.length; i++) {
      const p = this.engines[i]!;
      const e = sim.engines[i]!;
      if (!first) w.byte(COMMA);
      first = false;
      if (e.down) {
        w.raw(p.down);
        continue;
      }
      num(w, p.running, e.running);
      w.byte(COMMA);
      num(w, p.waiting, e.waiting);
      w.byte(COMMA);
      dec(w, p.kv, e.kvUsage);
      w.byte(COMMA);
      dec(w, p.prefix, e.prefixHitRate);
      w.byte(COMMA);
      dec(w, p.prompt, e.promptTps);
      w.byte(COMMA);
      dec(w, p.generation, e.generationTps);
      w.byte(COMMA);
      num(w, p.preemptions, e.preemptions);
      for (const [stage, q, prefix] of p.latency) {
        w.byte(COMMA);
        w.raw(prefix);
        w.sig4(quantile(e.latency[stage], q));
        w.byte(CLOSE);
      }
    }
    w.raw(this.tail);
    return w.bytes();
  }
}

function num(w: ByteWriter, prefix: F, v: number): void {
  w.raw(prefix);
  w.int(v);
  w.byte(CLOSE);
}

function dec(w: ByteWriter, prefix: F, v: number): void {
  w.raw(prefix);
  w.fixed(v, 1);
  w.byte(CLOSE);
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

function deviceParts(
  id: string,
  nvidia: boolean,
  d: { hw: { memoryMiB: number; powerLimitW: number; pcieGen: number } },
): DeviceParts {
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

function engineParts(e: EngineSpec): EngineParts {
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
