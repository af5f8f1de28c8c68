/**
 * One simulated node: its load, devices, engines and the faults on them. step() advances one tick;
 * applyFault() starts or clears faults and returns the Signals a real node would give at that
 * moment (the Xid's kernel line, the chip's fault code); valueSignals() gives the thresholds'
 * judgement of the readings while a fault (or what it left open) needs watching. Each node draws from its own random streams (deriveSeed of the seed and the node
 * name), so its sequence is the same whatever else runs beside it.
 */
import type { DiagnosisLog } from '../core/diagnosis/DiagnosisLog.js';
import { thresholdSignals } from '../core/diagnosis/thresholds.js';
import type { NodeContext, Signal } from '../core/diagnosis/types.js';
import type { ProbeStatus } from '../core/model.js';
import { initialDevice, slowdown, stepDevice, type DeviceState } from './deviceSim.js';
import { initialEngine, loseEngine, stepEngine, type EngineState } from './engineSim.js';
import {
  DEFAULT_NPU_FAULT_CODES,
  deviceSamples,
  nodeContext,
  npuFaultSignal,
  nvrmPci,
  xidSignal,
} from './faultSignals.js';
import type { FaultCommand, FaultKind } from './faultSpec.js';
import type { NodeSpec } from './fleet.js';
import { LoadProcess } from './load.js';
import { deriveSeed, Rng } from './prng.js';

export type DeviceFaultKind = Exclude<FaultKind, 'reset'>;

/** How long a timed fault lasts when the command gives no duration. */
export const DEFAULT_FAULT_MS: Readonly<Record<Exclude<DeviceFaultKind, 'xid79'>, number>> = {
  xid48: 120_000,
  thermal: 60_000,
  power: 60_000,
  'npu-fault': 90_000,
};

type UntilKey = 'dbeUntil' | 'thermalUntil' | 'powerUntil' | 'npuUntil';

const TIMED: readonly [Exclude<DeviceFaultKind, 'xid79'>, UntilKey][] = [
  ['xid48', 'dbeUntil'],
  ['thermal', 'thermalUntil'],
  ['power', 'powerUntil'],
  ['npu-fault', 'npuUntil'],
];

export interface NodeSimOptions {
  seed: number;
  intervalMs: number;
  daySeconds: number;
  /** Whether engines keep /metrics histograms and counters. */
  histograms: boolean;
}

export class NodeSim {
  readonly devices: DeviceState[];
  readonly engines: EngineState[];
  /** Which engine (index) each device serves, -1 when idle. */
  readonly engineOf: Int32Array;
  load = 0;
  private readonly rng: Rng;
  private readonly engineRngs: Rng[];
  private readonly histRngs: Rng[] | undefined;
  private readonly loadProcess: LoadProcess;
  private readonly dt: number;
  private startTs = 0;
  private lostSince = 0;

  constructor(
    readonly spec: NodeSpec,
    private readonly opts: NodeSimOptions,
  ) {
    this.dt = opts.intervalMs / 1000;
    this.rng = new Rng(deriveSeed(opts.seed, 'devices', spec.name));
    const shapeRng = new Rng(deriveSeed(opts.seed, 'load', spec.name));
    const clusterPhase = new Rng(deriveSeed(opts.seed, 'cluster', spec.cluster)).range(
      0,
      2 * Math.PI,
    );
    this.loadProcess = new LoadProcess({
      base: spec.baseLoad,
      phase: clusterPhase + shapeRng.range(-0.3, 0.3),
      daySeconds: opts.daySeconds,
    });
    this.engineRngs = spec.engines.map(
      (e) => new Rng(deriveSeed(opts.seed, 'engine', spec.name, e.id)),
    );
    this.histRngs = opts.histograms
      ? spec.engines.map((e) => new Rng(deriveSeed(opts.seed, 'histogram', spec.name, e.id)))
      : undefined;
    this.devices = spec.devices.map(initialDevice);
    this.engines = spec.engines.map((e, i) =>
      initialEngine(e, this.engineRngs[i]!, opts.histograms),
    );
    this.engineOf = new Int32Array(spec.devices.length).fill(-1);
    spec.engines.forEach((e, i) => e.devices.forEach((d) => (this.engineOf[d] = i)));
  }

  /** Advances to tick `tick` (1-based count of steps taken); `_ts`, the wall time, is unused. */
  step(tick: number, _ts?: number): void {
    this.expireFaults(tick);
    const t = tick * this.dt;
    this.load = this.loadProcess.step(this.rng, t, this.dt);
    this.spec.engines.forEach((spec, i) => {
      const e = this.engines[i]!;
      const lost = spec.devices.some((d) => this.devices[d]!.faults.lost);
      e.dying = false;
      if (lost && !e.down) loseEngine(e);
      e.down = lost;
      let slow = 1;
      for (const d of spec.devices)
        slow = Math.max(slow, slowdown(this.spec.devices[d]!, this.devices[d]!));
      stepEngine(spec, e, this.load, slow, this.dt, this.engineRngs[i]!, this.histRngs?.[i]);
    });
    this.spec.devices.forEach((spec, i) => {
      const ei = this.engineOf[i]!;
      const engine = ei >= 0 ? this.engines[ei] : undefined;
      const up = engine !== undefined && !engine.down;
      const u = up ? 1 - Math.exp(-2.5 * Math.min(engine.load, 1.2)) : 0;
      const reserved = up ? spec.hw.memoryMiB * this.spec.engines[ei]!.memoryFraction : 0;
      stepDevice(spec, this.devices[i]!, u, reserved, this.dt, this.rng);
    });
  }

  /** The node as the rules see it (devices, models, drivers, which ones an engine holds). */
  context(): NodeContext {
    return nodeContext(this.spec, this.engineOf);
  }

  /**
   * The thresholds' signals on this tick's readings, while a value fault runs or the log still
   * has a value diagnosis of this node open (so its all-clear is seen); none otherwise, so an
   * idle fleet of 512 nodes costs nothing here.
   */
  valueSignals(ts: number, log: DiagnosisLog): Signal[] {
    const active = this.devices.some(
      (d) => d.faults.thermalUntil >= 0 || d.faults.powerUntil >= 0 || d.faults.npuUntil >= 0,
    );
    if (!active && !log.watching(this.spec.name)) return [];
    const samples = this.spec.devices.flatMap((d, i) => deviceSamples(d, this.devices[i]!));
    return thresholdSignals(
      samples,
      this.spec.devices.map((d) => d.info),
      ts,
    );
  }

  /** Starts (or, for reset, clears) a fault at `tick`; returns the signals it raised. */
  applyFault(cmd: FaultCommand, tick: number, ts: number): Signal[] {
    const targets = cmd.device === undefined ? this.spec.devices.map((_, i) => i) : [cmd.device];
    const events: Signal[] = [];
    for (const i of targets) {
      const spec = this.spec.devices[i]!;
      const f = this.devices[i]!.faults;
      const s = this.devices[i]!;
      // A reset prints nothing in the kernel log: what it clears shows in the values.
      if (cmd.kind === 'reset') {
        if (f.lost) {
          f.lost = false;
          this.lostSince = ts;
        }
        for (const [, key] of TIMED) f[key] = -1;
        f.npuCode = undefined;
        continue;
      }
      if (cmd.kind === 'xid79') {
        if (f.lost) continue;
        f.lost = true;
        this.lostSince = ts;
        s.lastXid = 79;
        events.push(xidSignal(79, spec, ts));
        continue;
      }
      const until =
        tick +
        Math.max(
          1,
          Math.ceil((cmd.durationMs ?? DEFAULT_FAULT_MS[cmd.kind]) / this.opts.intervalMs),
        );
      const key = TIMED.find(([k]) => k === cmd.kind)![1];
      const already = f[key] >= 0;
      f[key] = until;
      if (cmd.kind === 'xid48') {
        s.ecc += 1;
        s.lastXid = 48;
      }
      if (cmd.kind === 'npu-fault') {
        const code =
          cmd.code ??
          `0x${DEFAULT_NPU_FAULT_CODES[(this.spec.index + i) % DEFAULT_NPU_FAULT_CODES.length]}`;
        f.npuCode = code;
        if (!already) events.push(npuFaultSignal(code, spec, ts));
      }
      // An Xid 48 is a new kernel line each time (its counter moved); thermal and power faults
      // are values only.
      if (cmd.kind === 'xid48') events.push(xidSignal(48, spec, ts));
    }
    return events;
  }

  /** The probes as an agent on this node would report them; an Xid 79 degrades nvidia-smi. */
  probes(ts: number): ProbeStatus[] {
    if (this.startTs === 0) this.startTs = ts;
    const since = Math.max(this.startTs, this.lostSince);
    const vendorProbe = this.spec.devices[0]?.info.vendor === 'ascend' ? 'npu-smi' : 'nvidia-smi';
    const lost = this.spec.devices.filter((_, i) => this.devices[i]!.faults.lost);
    const device: ProbeStatus =
      lost.length === 0
        ? { probe: vendorProbe, state: 'ok', since }
        : {
            probe: vendorProbe,
            state: 'degraded',
            since,
            message: lost
              .map(
                (d) =>
                  `Unable to determine the device handle for GPU${nvrmPci(d.info.pciBusId).toUpperCase()}.0: Unknown Error`,
              )
              .join('\n')
              .slice(0, 4096),
          };
    return [{ probe: 'host', state: 'ok', since: this.startTs }, device];
  }

  /** A key that changes whenever the inventory would (devices lost or back). */
  inventoryKey(): string {
    return 'k' + this.devices.map((d) => (d.faults.lost ? '1' : '0')).join('');
  }

  private expireFaults(tick: number): void {
    for (const s of this.devices) {
      for (const [kind, key] of TIMED) {
        const until = s.faults[key];
        if (until >= 0 && tick >= until) {
          s.faults[key] = -1;
          if (kind === 'npu-fault') s.faults.npuCode = undefined;
        }
      }
    }
  }
}
