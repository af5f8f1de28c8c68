/**
 * The series bomb of issue 10, for unit tests and the store's heap benchmark: a node whose one
 * valid metrics message asks for 65,536 series (1,024 device rows × 64 metric columns, the most a
 * grid may hold). 48 such nodes took a page past a 1 GB heap before the store had a global budget.
 */
import type { Grid, MetricsMessage } from '../../../collector/core/protocol/spec.js';

export const BOMB_ROWS = 1024;
export const BOMB_COLS = 64;

const rows = Array.from({ length: BOMB_ROWS }, (_, r) => ({ d: `bomb-device-${r}` }));
const cols = Array.from({ length: BOMB_COLS }, (_, c) => ({ m: `bomb.metric.${c}` }));

export function bombNodeName(i: number): string {
  return `bomb-${String(i).padStart(2, '0')}`;
}

/** One bomb message of node `node` stamped `ts` (a fresh values array each call). */
export function bombMetrics(node: string, ts: number, cluster = 'local'): MetricsMessage {
  const v = new Array<number>(BOMB_ROWS * BOMB_COLS);
  for (let k = 0; k < v.length; k++) v[k] = (k + ts) % 100;
  const grid: Grid = { rows, cols, v };
  return {
    v: 1,
    type: 'metrics',
    cluster,
    node,
    ts,
    seq: ts,
    interval: 1000,
    samples: [],
    grids: [grid],
  };
}
