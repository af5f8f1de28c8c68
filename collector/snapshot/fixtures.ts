/**
 * Simulated traffic for snapshot tests and the bench: the simulator's messages, time-compressed
 * (ticks are stamped `intervalMs` apart without waiting), with receipt times a few ms after `ts`.
 */
import { decodeMessage } from '../core/protocol/decode.js';
import type { WireMessage } from '../core/protocol/spec.js';
import type { ScheduledFault } from '../simulator/faultSpec.js';
import { Simulator } from '../simulator/Simulator.js';

export interface SimulatedMessage {
  receiveTime: number;
  message: WireMessage;
  data: Uint8Array;
}

export interface SimulatedTraffic {
  nodes: number;
  devicesPerNode?: number;
  ticks: number;
  intervalMs?: number;
  startMs?: number;
  seed?: number;
  schedule?: readonly ScheduledFault[];
}

/** Yields every message of `ticks` ticks of a simulated fleet, in receipt order. */
export function* simulatedTraffic(o: SimulatedTraffic): Generator<SimulatedMessage> {
  const intervalMs = o.intervalMs ?? 1000;
  const sim = new Simulator({
    clusters: 1,
    nodes: o.nodes,
    devicesPerNode: o.devicesPerNode ?? 8,
    seed: o.seed ?? 1,
    intervalMs,
    schedule: o.schedule ?? [],
  });
  const start = o.startMs ?? Date.UTC(2026, 11, 2, 12, 0, 0);
  for (let tick = 0; tick < o.ticks; tick++) {
    const ts = start + tick * intervalMs;
    const out = sim.tick(ts);
    for (let i = 0; i < out.length; i++) {
      const decoded = decodeMessage(out[i]!.data);
      if (!decoded.ok) throw new Error(`simulator sent a bad message: ${decoded.problem.message}`);
      // Receipt spread over the first 200 ms of the interval, in publication order.
      const receiveTime = ts + 1 + Math.floor((i * 200) / Math.max(1, out.length));
      yield { receiveTime, message: decoded.message, data: out[i]!.data };
    }
  }
}
