/**
 * A node flood (issue 10: new nodes at 87–333 per second took the page to 1.9 GB and left good
 * nodes 30 s stale): every publication is a node never seen before, with 8 devices' inventory and
 * a metrics grid. The console must admit them at a bounded rate per connection and name the limit.
 */
import type { Rng } from '../../../collector/simulator/prng.js';
import type { Publication } from './publication.js';
import {
  deviceGrid,
  inventoryOf,
  metricsOf,
  nvidiaDevices,
  published,
  type NodeIdentity,
} from './wire.js';

export const FLOOD_CLUSTER = 'flood';

/** The `count` new nodes of one burst, numbered on from `first`. */
export function floodBurst(first: number, count: number, now: number, rng: Rng): Publication[] {
  const out: Publication[] = [];
  for (let i = first; i < first + count; i++) {
    const id: NodeIdentity = {
      cluster: FLOOD_CLUSTER,
      node: `flood-${String(i).padStart(5, '0')}-${rng.hex(6)}`,
      devices: nvidiaDevices(8, rng),
    };
    out.push(published(inventoryOf(id, now), 'flood inventory'));
    out.push(published(metricsOf(id, now, 1, [deviceGrid(id, rng)]), 'flood metrics'));
  }
  return out;
}
