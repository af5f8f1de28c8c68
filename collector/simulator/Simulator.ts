/**
 * The whole simulated fleet, tick by tick. tick() returns every message due — inventories when a
 * node starts, changes or its periodic re-announcement comes round, events when faults start or
 * end, and one metrics message per node — as subject + JSON text, ready to publish. Values depend
 * only on the seed, the tick count and the faults applied (never on wall time), so the same seed and
 * schedule give the same sequence; wall time only stamps `ts`, and times the rules' durations
 * (a throttle reason held 30 s) exactly as it does on a real node.
 */
import { DiagnosisLog } from '../core/diagnosis/DiagnosisLog.js';
import { diagnosisEvent } from '../core/diagnosis/toEvent.js';
import type { Signal } from '../core/diagnosis/types.js';
import type { EventRecord } from '../core/model.js';
import type { EventsMessage, InventoryMessage, MessageType } from '../core/protocol/spec.js';
import { PROTOCOL_VERSION } from '../core/protocol/spec.js';
import { subjectFor } from '../core/protocol/subjects.js';
import type { FaultCommand, ScheduledFault } from './faultSpec.js';
import { buildFleet, type FleetOptions, type FleetSpec, type NodeSpec } from './fleet.js';
import { NodeSim } from './NodeSim.js';
import { NodeWire } from './NodeWire.js';
import { ByteWriter } from './ByteWriter.js';

const utf8 = new TextEncoder();

export interface SimulatorOptions extends FleetOptions {
  intervalMs: number;
  /** Period of the load's daily wave (default 600 s, so a demo shows it). */
  daySeconds?: number;
  /** Keep /metrics histograms and counters (only needed with --metrics-port). */
  histograms?: boolean;
  schedule?: readonly ScheduledFault[];
  /** Every node re-announces its inventory this often, staggered, for late subscribers (0: never). */
  inventoryEveryMs?: number;
}

export interface Outgoing {
  type: MessageType;
  subject: string;
  /** The message as UTF-8 JSON. */
  data: Uint8Array;
  node: NodeSpec;
  /** Samples in a metrics message, events in an events message. */
  count: number;
}

export class Simulator {
  readonly fleet: FleetSpec;
  readonly nodes: readonly NodeSim[];
  private readonly wires: readonly NodeWire[];
  private readonly byName: ReadonlyMap<string, number>;
  private readonly seq: Float64Array;
  private readonly lastInventory: string[];
  private readonly schedule: ScheduledFault[];
  private readonly queued: FaultCommand[] = [];
  private readonly inventoryEvery: number;
  private readonly writer = new ByteWriter();
  /** The rules, as a node agent runs them: fault signals in, diagnoses out as events. */
  readonly diagnoses = new DiagnosisLog();
  private ticks = 0;

  constructor(readonly options: SimulatorOptions) {
    this.fleet = buildFleet(options);
    const nodeOpts = {
      seed: options.seed,
      intervalMs: options.intervalMs,
      daySeconds: options.daySeconds ?? 600,
      histograms: options.histograms ?? false,
    };
    this.nodes = this.fleet.nodes.map((n) => new NodeSim(n, nodeOpts));
    this.wires = this.fleet.nodes.map((n) => new NodeWire(n, options.intervalMs));
    this.byName = new Map(this.fleet.nodes.map((n, i) => [n.name, i]));
    this.seq = new Float64Array(this.nodes.length);
    // '' never equals a key, so every node announces itself on the first tick.
    this.lastInventory = this.nodes.map(() => '');
    this.schedule = [...(options.schedule ?? [])].sort((a, b) => a.atMs - b.atMs);
    for (const f of this.schedule) {
      const problem = this.validate(f);
      if (problem) throw new Error(`fault schedule: ${problem}`);
    }
    // 10 s, as the node agent's NatsPublisher re-sends its inventory.
    const every = options.inventoryEveryMs ?? 10_000;
    this.inventoryEvery = every > 0 ? Math.max(1, Math.round(every / options.intervalMs)) : 0;
  }

  /** Every node re-announces its inventory on the next tick (after a reconnect). */
  reannounce(): void {
    this.lastInventory.fill('');
  }

  /** Ticks taken so far. */
  get tickCount(): number {
    return this.ticks;
  }

  /** Why a fault cannot apply to this fleet, or undefined when it can. */
  validate(cmd: FaultCommand): string | undefined {
    const i = this.byName.get(cmd.node);
    if (i === undefined) {
      const names = this.fleet.nodes;
      const range = names.length ? ` (${names[0]!.name}…${names[names.length - 1]!.name})` : '';
      return `no node "${cmd.node}" in the fleet${range}`;
    }
    const node = this.fleet.nodes[i]!;
    if (cmd.device !== undefined && cmd.device >= node.devices.length) {
      return `${cmd.node} has devices 0–${node.devices.length - 1}, not ${cmd.device}`;
    }
    const vendor = node.devices[0]?.info.vendor;
    if ((cmd.kind === 'xid79' || cmd.kind === 'xid48') && vendor !== 'nvidia') {
      return `${cmd.kind} is an NVIDIA fault; ${cmd.node} holds ${node.devices[0]?.info.name ?? 'no devices'}`;
    }
    if (cmd.kind === 'npu-fault' && vendor !== 'ascend') {
      return `npu-fault is an Ascend fault; ${cmd.node} holds ${node.devices[0]?.info.name ?? 'no devices'}`;
    }
    return undefined;
  }

  /** Queues a runtime command for the next tick; returns a problem instead when it cannot apply. */
  command(cmd: FaultCommand): string | undefined {
    const problem = this.validate(cmd);
    if (problem === undefined) this.queued.push(cmd);
    return problem;
  }

  tick(ts: number): Outgoing[] {
    const tick = ++this.ticks;
    const elapsedMs = (tick - 1) * this.options.intervalMs;
    const faultSignals = new Map<number, Signal[]>();
    const apply = (cmd: FaultCommand): void => {
      const i = this.byName.get(cmd.node)!;
      const list = faultSignals.get(i) ?? [];
      list.push(...this.nodes[i]!.applyFault(cmd, tick, ts));
      faultSignals.set(i, list);
    };
    while (this.schedule.length > 0 && this.schedule[0]!.atMs <= elapsedMs)
      apply(this.schedule.shift()!);
    for (const cmd of this.queued.splice(0)) apply(cmd);

    const out: Outgoing[] = [];
    this.nodes.forEach((sim, i) => {
      sim.step(tick);
      const signals = [...(faultSignals.get(i) ?? []), ...sim.valueSignals(ts, this.diagnoses)];
      const events =
        signals.length === 0 && !this.diagnoses.watching(sim.spec.name)
          ? []
          : this.diagnoses.add(signals, sim.context(), ts).map(diagnosisEvent);
      const key = sim.inventoryKey();
      const periodic = this.inventoryEvery > 0 && (tick + i) % this.inventoryEvery === 0;
      if (key !== this.lastInventory[i] || periodic) {
        this.lastInventory[i] = key;
        out.push(this.inventory(i, ts));
      }
      if (events.length > 0) out.push(this.events(i, events, ts));
      const wire = this.wires[i]!;
      out.push({
        type: 'metrics',
        subject: subjectFor('metrics', sim.spec.cluster, sim.spec.name),
        data: wire.metrics(sim, ts, this.seq[i]!++, this.writer),
        node: sim.spec,
        count: wire.sampleCount,
      });
    });
    return out;
  }

  private inventory(i: number, ts: number): Outgoing {
    const sim = this.nodes[i]!;
    const spec = sim.spec;
    const message: InventoryMessage = {
      v: PROTOCOL_VERSION,
      type: 'inventory',
      cluster: spec.cluster,
      node: spec.name,
      ts,
      seq: this.seq[i]!++,
      host: spec.host,
      devices: spec.devices.map((d) => d.info),
      probes: sim.probes(ts),
    };
    return {
      type: 'inventory',
      subject: subjectFor('inventory', spec.cluster, spec.name),
      data: utf8.encode(JSON.stringify(message)),
      node: spec,
      count: spec.devices.length,
    };
  }

  private events(i: number, events: EventRecord[], ts: number): Outgoing {
    const spec = this.nodes[i]!.spec;
    const message: EventsMessage = {
      v: PROTOCOL_VERSION,
      type: 'events',
      cluster: spec.cluster,
      node: spec.name,
      ts,
      seq: this.seq[i]!++,
      events,
    };
    return {
      type: 'events',
      subject: subjectFor('events', spec.cluster, spec.name),
      data: utf8.encode(JSON.stringify(message)),
      node: spec,
      count: events.length,
    };
  }
}
