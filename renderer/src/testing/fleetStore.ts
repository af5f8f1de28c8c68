/** Stores for the fleet's tests: a synthetic fleet at a given tick, or hand-made messages. */
import type { WireMessage } from '../../../collector/core/protocol/spec.js';
import { LiveStore } from '../store/LiveStore.js';
import { syntheticInventory, syntheticMetrics } from './syntheticFleet.js';

export function fleetStore(nodes: number, opts: { ticks?: number; interval?: number } = {}) {
  const store = new LiveStore({ capacity: 16 });
  const interval = opts.interval ?? 500;
  const messages: WireMessage[] = [];
  for (let n = 0; n < nodes; n++) messages.push(syntheticInventory(n, 0, { interval }));
  store.ingest({ messages, receivedAt: 0 });
  for (let t = 0; t < (opts.ticks ?? 1); t++) {
    const ts = 1000 + t * interval;
    const batch: WireMessage[] = [];
    for (let n = 0; n < nodes; n++) batch.push(syntheticMetrics(n, t, ts, { interval }));
    store.ingest({ messages: batch, receivedAt: ts });
  }
  return store;
}
