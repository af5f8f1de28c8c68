/**
 * The 48-node series bomb of issue 10: every message valid, each node a grid of 1,024 rows × 64
 * columns = 65,536 distinct series (the most one message may carry), sent as fresh ticks. Before a
 * global store budget this took the page to a 1.16 GB heap; the console must refuse what is over
 * its budget, say so, and keep the nodes on screen.
 */
import type { Grid } from '../../../collector/core/protocol/spec.js';
import type { Rng } from '../../../collector/simulator/prng.js';
import type { Publication } from './publication.js';
import { inventoryOf, metricsOf, published, type NodeIdentity } from './wire.js';

export const BOMB_NODES = 48;
export const BOMB_ROWS = 1024;
export const BOMB_COLS = 64;
export const BOMB_CLUSTER = 'bomb';

export function bombNodes(count = BOMB_NODES): NodeIdentity[] {
  return Array.from({ length: count }, (_, i) => ({
    cluster: BOMB_CLUSTER,
    node: `bomb-${String(i).padStart(2, '0')}`,
    devices: [],
  }));
}

/**
 * Host-level series (rows labelled as CPU cores) or device series (rows of 1,024 devices no
 * inventory announced): both are 65,536 distinct series, the second also 1,024 cells a node.
 */
export function bombGrid(rng: Rng, rows: 'host' | 'device' = 'host'): Grid {
  const r = Array.from({ length: BOMB_ROWS }, (_, i) =>
    rows === 'host' ? { l: { cpu: String(i) } } : { d: `bomb-dev-${i}` },
  );
  const metrics =
    rows === 'host'
      ? ['host.cpu.core.utilization', 'host.network.receive']
      : ['device.utilization', 'device.power'];
  const cols = Array.from({ length: BOMB_COLS }, (_, c) => ({
    m: metrics[c % 2]!,
    l: { bomb: String(c) },
  }));
  // One or two digits a value, as the 14 MB / 95 messages (~150 KB each) were.
  const v = Array.from({ length: BOMB_ROWS * BOMB_COLS }, () => rng.int(100));
  return { rows: r, cols, v };
}

/** The nodes' inventories (hosts without devices). */
export function bombInventories(nodes: NodeIdentity[], now: number): Publication[] {
  return nodes.map((id) => published(inventoryOf(id, now), 'series-bomb inventory'));
}

/**
 * One tick of every node: a 65,536-series grid each, host rows on even nodes and device rows on
 * odd ones (two grids reused: the values do not matter).
 */
export function bombTick(
  nodes: NodeIdentity[],
  tick: number,
  now: number,
  rng: Rng,
): Publication[] {
  const grids = [bombGrid(rng, 'host'), bombGrid(rng, 'device')] as const;
  return nodes.map((id, i) =>
    published(metricsOf(id, now, tick, [grids[i % 2]!]), `series bomb, tick ${tick}`),
  );
}
