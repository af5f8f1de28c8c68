/** Test helpers: decode what a Simulator tick produced, failing loudly on anything invalid. */
import { decodeMessage } from '../core/protocol/decode.js';
import { metricsSamples } from '../core/protocol/grids.js';
import type {
  EventsMessage,
  InventoryMessage,
  MetricsMessage,
  WireMessage,
} from '../core/protocol/spec.js';
import type { Outgoing } from './Simulator.js';

export function decodeAll(out: readonly Outgoing[]): WireMessage[] {
  return out.map((o) => {
    const r = decodeMessage(o.data);
    if (!r.ok) throw new Error(`${o.subject}: ${r.problem.kind}: ${r.problem.message}`);
    return r.message;
  });
}

export function metricsOf(out: readonly Outgoing[], node: string): MetricsMessage {
  const m = decodeAll(out).find((x) => x.type === 'metrics' && x.node === node);
  if (!m) throw new Error(`no metrics message for ${node}`);
  return m as MetricsMessage;
}

export function eventsOf(out: readonly Outgoing[]): EventsMessage['events'] {
  return decodeAll(out).flatMap((m) => (m.type === 'events' ? m.events : []));
}

export function inventoriesOf(out: readonly Outgoing[]): InventoryMessage[] {
  return decodeAll(out).filter((m): m is InventoryMessage => m.type === 'inventory');
}

/** The value of metric `m` for device `d` (or engine label `engine`) in a metrics message. */
export function valueOf(msg: MetricsMessage, m: string, d?: string): number | null | undefined {
  return metricsSamples(msg).find((s) => s.m === m && (d === undefined || s.d === d))?.v;
}
