/**
 * The live edge of the gauge panels: the connection's own NATS store holds the engines' running,
 * waiting and KV-cache gauges second by second; these points, reduced the way the Prometheus query
 * reduces its series (sum for requests, mean and max for KV usage), follow Prometheus's last
 * point. Only engines the Prometheus selection would match are read (model, node, engine); a
 * selection by Prometheus `instance` (host:port) has no NATS counterpart, so it gets no live edge.
 * Only engines of the panels' family are read: agents name their framework by family id (`vllm`,
 * `sglang`); the fleet read from Prometheus names it by the family's label ("vLLM", "TGI") and is
 * Prometheus's own points, no live edge (summed in, a TGI panel read every flavour's engines).
 */
import type { LiveStore } from '../../store/LiveStore.js';
import type { InstanceOption } from './instances.js';
import type { Point } from './types.js';

export type LiveReader = Pick<LiveStore, 'nodes' | 'series'>;

type Reduce = 'sum' | 'mean' | 'max';

/** Query key (latencyQueries.ts) → the catalog metric and how engines combine. */
const LIVE_KEYS: ReadonlyArray<[string, string, Reduce]> = [
  ['requests:running', 'engine.requests.running', 'sum'],
  ['requests:waiting', 'engine.requests.waiting', 'sum'],
  ['kvCache:mean', 'engine.kv_cache.usage', 'mean'],
  ['kvCache:max', 'engine.kv_cache.usage', 'max'],
];

/** Points are combined per whole second: engines on different nodes tick at different ms. */
const BIN_MS = 1000;

export function liveEdge(
  reader: LiveReader,
  model: string | undefined,
  instance: InstanceOption | undefined,
  family?: string,
): Record<string, Point[]> {
  if (instance?.values.instance !== undefined) return {};
  const out: Record<string, Point[]> = {};
  for (const [key, metric, reduce] of LIVE_KEYS) {
    const perEngine: Array<Map<number, number>> = [];
    for (const node of reader.nodes()) {
      if (instance?.values.node !== undefined && node.name !== instance.values.node) continue;
      for (const s of reader.series(node.node, metric)) {
        if (family !== undefined && s.labels.framework !== family) continue;
        if (model !== undefined && s.labels.model !== model) continue;
        if (instance?.values.engine !== undefined && s.labels.engine !== instance.values.engine) {
          continue;
        }
        const bins = new Map<number, number>();
        for (const [t, v] of s.history.toPoints()) {
          if (v !== null) bins.set(Math.floor((t + node.clockOffset) / BIN_MS) * BIN_MS, v);
        }
        perEngine.push(bins);
      }
    }
    const points = combine(perEngine, reduce);
    if (points.length > 0) out[key] = points;
  }
  return out;
}

/** Seconds every engine reported in, reduced; a second some engine missed is left out. */
function combine(perEngine: ReadonlyArray<Map<number, number>>, reduce: Reduce): Point[] {
  if (perEngine.length === 0) return [];
  const out: Point[] = [];
  for (const t of [...perEngine[0]!.keys()].sort((a, b) => a - b)) {
    const values: number[] = [];
    for (const bins of perEngine) {
      const v = bins.get(t);
      if (v !== undefined) values.push(v);
    }
    if (values.length !== perEngine.length) continue;
    const sum = values.reduce((a, b) => a + b, 0);
    out.push([
      t,
      reduce === 'sum' ? sum : reduce === 'mean' ? sum / values.length : Math.max(...values),
    ]);
  }
  return out;
}
