/**
 * Builds one node's metrics message as text, fast: everything that does not change from tick to
 * tick (envelope fields, sample prefixes, constant and unsupported samples: wireParts.ts) is
 * rendered once, so a tick only appends numbers, straight into bytes (ByteWriter). At 512 nodes ×
 * 8 devices × 2 Hz that is ~1,000 messages and ~140k samples a second, ~20 ms of one core per
 * tick. The bytes are plain JSON of MetricsMessage (protocol/spec.ts); Simulator.test.ts checks
 * every message against the protocol's decoder.
 */
import { PROTOCOL_VERSION } from '../core/protocol/spec.js';
import type { NodeSim } from './NodeSim.js';
import type { NodeSpec } from './fleet.js';
import { quantile } from './lognormal.js';
import { fragment, type ByteWriter } from './ByteWriter.js';
import {
  deviceParts,
  engineParts,
  MIB,
  type DeviceParts,
  type EngineParts,
  type F,
} from './wireParts.js';

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
    this.devices = spec.devices.map(deviceParts);
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
