/**
 * Builds one node's metrics message as text, fast: everything that does not change from tick to
 * tick (envelope fields, grid rows and columns, unsupported samples: wireParts.ts) is rendered
 * once, so a tick only appends numbers, straight into bytes (ByteWriter). At 512 nodes × 8 devices
 * × 2 Hz that is ~1,000 messages and ~140k values a second in ~4 KB messages. The bytes are plain
 * JSON of MetricsMessage (protocol/spec.ts) with the dense values in grids; Simulator.test.ts
 * checks every message against the protocol's decoder.
 */
import { PROTOCOL_VERSION } from '../core/protocol/spec.js';
import type { NodeSim } from './NodeSim.js';
import type { NodeSpec } from './fleet.js';
import { FINISH_REASONS } from './engineSim.js';
import { quantile } from './lognormal.js';
import { fragment, type ByteWriter } from './ByteWriter.js';
import {
  deviceGrids,
  deviceParts,
  ENGINE_COLUMNS,
  engineGrids,
  MIB,
  type DeviceGridParts,
  type DeviceParts,
  type EngineGridParts,
  type F,
} from './wireParts.js';

const COMMA = 44;
const NULL = fragment('null');
const GRID_END = fragment(']}');

export class NodeWire {
  private readonly head: F;
  private readonly seqPart = fragment(',"seq":');
  private readonly samplesPart = fragment(',"samples":[');
  private readonly gridsPart = fragment('],"grids":[');
  private readonly tail = fragment(']}');
  private readonly devices: DeviceParts[];
  private readonly deviceGrids: DeviceGridParts[];
  private readonly engineGrids: EngineGridParts[];
  private readonly totalBytes: number[];
  private readonly powerLimit: number[];
  private readonly slowdown: number[];
  private readonly pcieGen: number[];
  /** Samples per message while everything reports (for rate accounting). */
  readonly sampleCount: number;

  constructor(spec: NodeSpec, intervalMs: number) {
    this.head = fragment(
      `{"v":${PROTOCOL_VERSION},"type":"metrics","cluster":${JSON.stringify(spec.cluster)},` +
        `"node":${JSON.stringify(spec.name)},"interval":${intervalMs},"ts":`,
    );
    this.devices = spec.devices.map(deviceParts);
    this.deviceGrids = deviceGrids(spec.devices);
    this.engineGrids = engineGrids(spec.engines);
    this.totalBytes = spec.devices.map((d) => d.hw.memoryMiB * MIB);
    this.powerLimit = spec.devices.map((d) => d.hw.powerLimitW);
    this.slowdown = spec.devices.map((d) => d.hw.slowdownC);
    this.pcieGen = spec.devices.map((d) => d.hw.pcieGen);
    this.sampleCount =
      this.devices.reduce((a, d) => a + d.samples, 0) +
      this.engineGrids.reduce((a, g) => a + g.members.length * g.width, 0);
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
      const text = sim.devices[i]!.faults.lost
        ? this.devices[i]!.lost
        : this.devices[i]!.unsupported;
      if (text.length === 0) continue;
      if (!first) w.byte(COMMA);
      first = false;
      w.raw(text);
    }
    w.raw(this.gridsPart);
    first = true;
    for (const grid of this.deviceGrids) {
      if (!first) w.byte(COMMA);
      first = false;
      this.deviceGrid(grid, sim, w);
    }
    for (const grid of this.engineGrids) {
      if (!first) w.byte(COMMA);
      first = false;
      this.engineGrid(grid, sim, w);
    }
    w.raw(this.tail);
    return w.bytes();
  }

  private deviceGrid(grid: DeviceGridParts, sim: NodeSim, w: ByteWriter): void {
    w.raw(grid.head);
    for (let r = 0; r < grid.members.length; r++) {
      const i = grid.members[r]!;
      const s = sim.devices[i]!;
      if (r > 0) w.byte(COMMA);
      if (s.faults.lost) {
        // A device off the bus reports nothing but its health.
        for (let c = 0; c < grid.width; c++) {
          if (c > 0) w.byte(COMMA);
          if (c === grid.healthColumn) w.int(s.health);
          else w.raw(NULL);
        }
        continue;
      }
      w.int(s.util);
      w.byte(COMMA);
      w.int(s.memUsedMiB * MIB);
      w.byte(COMMA);
      w.int(this.totalBytes[i]!);
      w.byte(COMMA);
      w.fixed((100 * s.memUsedMiB) / this.devices[i]!.totalMiB, 1);
      w.byte(COMMA);
      w.int(Math.round(s.temp));
      w.byte(COMMA);
      w.fixed(s.power, 2);
      w.byte(COMMA);
      if (grid.nvidia) {
        w.int(this.powerLimit[i]!);
        w.byte(COMMA);
        w.int(this.slowdown[i]!);
        w.byte(COMMA);
      }
      w.int(s.clock);
      w.byte(COMMA);
      w.int(s.ecc);
      w.byte(COMMA);
      w.int(s.health);
      w.byte(COMMA);
      if (grid.nvidia) {
        w.int(s.throttle);
        w.byte(COMMA);
        w.int(this.pcieGen[i]!);
      } else {
        w.int(s.aicpu);
        w.byte(COMMA);
        w.int(s.aivector);
      }
    }
    w.raw(GRID_END);
  }

  private engineGrid(grid: EngineGridParts, sim: NodeSim, w: ByteWriter): void {
    w.raw(grid.head);
    for (let r = 0; r < grid.members.length; r++) {
      const e = sim.engines[grid.members[r]!]!;
      if (r > 0) w.byte(COMMA);
      if (e.down) {
        // An engine that stopped answering: every value missing, but on the tick it failed its
        // requests, which its finished counters report (engineSim.ts, loseEngine).
        for (let c = 0; c < grid.width; c++) {
          if (c > 0) w.byte(COMMA);
          const f = c - ENGINE_COLUMNS.length;
          if (e.dying && f >= 0 && f < FINISH_REASONS.length) {
            w.int(Math.floor(e.finished[FINISH_REASONS[f]!]));
          } else w.raw(NULL);
        }
        continue;
      }
      w.int(e.running);
      w.byte(COMMA);
      w.int(e.waiting);
      w.byte(COMMA);
      w.fixed(e.kvUsage, 1);
      w.byte(COMMA);
      w.fixed(e.prefixHitRate, 1);
      w.byte(COMMA);
      w.fixed(e.promptTps, 1);
      w.byte(COMMA);
      w.fixed(e.generationTps, 1);
      w.byte(COMMA);
      w.int(e.preemptions);
      for (const reason of FINISH_REASONS) {
        w.byte(COMMA);
        w.int(Math.floor(e.finished[reason]));
      }
      for (const [stage, q] of grid.latency) {
        w.byte(COMMA);
        w.sig4(quantile(e.latency[stage], q));
      }
    }
    w.raw(GRID_END);
  }
}
