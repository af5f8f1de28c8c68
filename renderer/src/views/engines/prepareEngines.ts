/**
 * Engine samples → one row per engine instance (node + engine label): queue and batch, cache use,
 * token throughput and TTFT p99, each with its unit, and how old the newest of them is. Values
 * stale by the console's one rule (core/time/stale.ts), or any while the source is not live, are
 * marked stale.
 */
import { isStale } from '../../../../collector/core/time/stale.js';
import { formatAge, formatValue } from '../../lib/format.js';
import type { LiveStore, SeriesState } from '../../store/LiveStore.js';

export type EngineReader = Pick<LiveStore, 'nodes' | 'seriesOf' | 'ageOf'>;

export const ENGINE_COLUMNS = [
  { key: 'running', metric: 'engine.requests.running', label: 'Running', unit: 'count' },
  { key: 'waiting', metric: 'engine.requests.waiting', label: 'Waiting', unit: 'count' },
  { key: 'kvCache', metric: 'engine.kv_cache.usage', label: 'KV cache', unit: 'percent' },
  {
    key: 'prefixHit',
    metric: 'engine.prefix_cache.hit_rate',
    label: 'Prefix hit',
    unit: 'percent',
  },
  { key: 'prompt', metric: 'engine.tokens.prompt', label: 'Prompt', unit: 'tokens/s' },
  { key: 'generation', metric: 'engine.tokens.generation', label: 'Generation', unit: 'tokens/s' },
  { key: 'ttftP99', metric: 'engine.latency.ttft', label: 'TTFT p99', unit: 'seconds', q: 'p99' },
] as const;

export type EngineValueKey = (typeof ENGINE_COLUMNS)[number]['key'];

export interface EngineCell {
  value: number | null;
  /** "12", "83.1 %", "9,120 tok/s", "412 ms"; "—" without a value. */
  text: string;
}

export interface EngineRow {
  key: string;
  node: string;
  /** The node's cluster and its own name: where its agent answers (profile captures). */
  cluster: string;
  nodeName: string;
  engine: string;
  model: string;
  framework: string;
  values: Record<EngineValueKey, EngineCell>;
  /** Age of the newest engine sample (ms). */
  ageMs: number;
  ageText: string;
  stale: boolean;
}

export type EngineSortKey = 'node' | 'engine' | 'model' | 'framework' | 'age' | EngineValueKey;

export interface EngineSort {
  key: EngineSortKey;
  descending: boolean;
}

const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

export function prepareEngines(reader: EngineReader, now: number, live: boolean): EngineRow[] {
  const rows: EngineRow[] = [];
  for (const node of reader.nodes()) {
    const byEngine = new Map<string, SeriesState[]>();
    for (const s of reader.seriesOf(node.node)) {
      if (!s.metric.startsWith('engine.')) continue;
      const id = s.labels.engine ?? '';
      const list = byEngine.get(id) ?? [];
      list.push(s);
      byEngine.set(id, list);
    }
    for (const [engine, list] of byEngine) {
      const newest = Math.max(...list.map((s) => s.time));
      const ageMs = reader.ageOf(node.node, newest, now);
      const stale = !live || isStale(ageMs, node.interval);
      const values = {} as Record<EngineValueKey, EngineCell>;
      for (const col of ENGINE_COLUMNS) {
        const q = 'q' in col ? col.q : undefined;
        const s = list.find((x) => x.metric === col.metric && x.labels.q === q);
        const v = s === undefined || Number.isNaN(s.value) ? null : s.value;
        values[col.key] = { value: v, text: v === null ? '—' : formatValue(v, col.unit) };
      }
      const labels = list[0]!.labels;
      rows.push({
        key: `${node.node}\u0000${engine}`,
        node: node.node,
        cluster: node.cluster,
        nodeName: node.name,
        engine: engine === '' ? '(unnamed)' : engine,
        model: labels.model ?? '',
        framework: labels.framework ?? '',
        values,
        ageMs,
        ageText: formatAge(ageMs),
        stale,
      });
    }
  }
  return rows;
}

/** Sorted copy; absent values go last whichever the direction. */
export function sortEngines(rows: readonly EngineRow[], sort: EngineSort): EngineRow[] {
  const dir = sort.descending ? -1 : 1;
  const text = (r: EngineRow): string | undefined =>
    sort.key === 'node' || sort.key === 'engine' || sort.key === 'model' || sort.key === 'framework'
      ? r[sort.key]
      : undefined;
  const num = (r: EngineRow): number | null =>
    sort.key === 'age' ? r.ageMs : (r.values[sort.key as EngineValueKey]?.value ?? null);
  return [...rows].sort((a, b) => {
    const ta = text(a);
    if (ta !== undefined) {
      return dir * collator.compare(ta, text(b)!) || collator.compare(a.key, b.key);
    }
    const [x, y] = [num(a), num(b)];
    if (x === null || y === null) return (x === null ? 1 : 0) - (y === null ? 1 : 0);
    return dir * (x - y) || collator.compare(a.key, b.key);
  });
}

/** Rows whose node, engine, model or framework contains the query (case-insensitive). */
export function searchEngines(rows: readonly EngineRow[], query: string): EngineRow[] {
  const q = query.trim().toLowerCase();
  if (q === '') return [...rows];
  return rows.filter((r) =>
    [r.node, r.engine, r.model, r.framework].some((s) => s.toLowerCase().includes(q)),
  );
}
