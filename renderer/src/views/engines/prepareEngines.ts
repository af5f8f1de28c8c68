/**
 * Engine samples → one row per engine instance (node + engine label): its status (engineStatus.ts),
 * queue and batch, cache use, token throughput and TTFT p99, each with its unit, and how old the
 * newest of its values is (an engine whose samples arrive empty is not "updated just now"). Values
 * stale by the console's one rule (core/time/stale.ts), or any while the source is not live, are
 * marked stale.
 */
import { isStale } from '../../../../collector/core/time/stale.js';
import { criticalByNode, type DiagnosisReader } from '../../lib/diagnoses.js';
import { formatAge, formatValue } from '../../lib/format.js';
import type { LiveStore, SeriesState } from '../../store/LiveStore.js';
import {
  engineStatus,
  STATUS_ORDER,
  type EngineStatus,
  type EngineStatusInput,
} from './engineStatus.js';

export type EngineReader = Pick<LiveStore, 'nodes' | 'seriesOf' | 'ageOf'> &
  Partial<DiagnosisReader>;

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
  status: EngineStatus;
  /** Why, with the numbers ("KV cache 100 % ≥ 95 %"). */
  statusReason: string;
  /** Age of the engine's newest value (ms); Infinity when it never sent one. */
  ageMs: number;
  /** "just now", "3 s ago"; "never" without a value. */
  ageText: string;
  stale: boolean;
}

export type EngineSortKey =
  'status' | 'node' | 'engine' | 'model' | 'framework' | 'age' | EngineValueKey;

export interface EngineSort {
  key: EngineSortKey;
  descending: boolean;
}

const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

export function prepareEngines(reader: EngineReader, now: number, live: boolean): EngineRow[] {
  const rows: EngineRow[] = [];
  const critical = reader.diagnosisEvents
    ? criticalByNode(reader as DiagnosisReader)
    : new Map<string, string>();
  for (const node of reader.nodes()) {
    const byEngine = new Map<string, SeriesState[]>();
    for (const s of reader.seriesOf(node.node)) {
      if (!s.metric.startsWith('engine.')) continue;
      const id = s.labels.engine ?? '';
      const list = byEngine.get(id) ?? [];
      list.push(s);
      byEngine.set(id, list);
    }
    const fatal = critical.get(node.node);
    for (const [engine, list] of byEngine) {
      const newest = newestValueTime(list);
      const ageMs = newest === undefined ? Infinity : reader.ageOf(node.node, newest, now);
      const stale = !live || isStale(ageMs, node.interval);
      const values = {} as Record<EngineValueKey, EngineCell>;
      for (const col of ENGINE_COLUMNS) {
        const q = 'q' in col ? col.q : undefined;
        const s = list.find((x) => x.metric === col.metric && x.labels.q === q);
        const v = s === undefined || Number.isNaN(s.value) ? null : s.value;
        values[col.key] = { value: v, text: v === null ? '—' : formatValue(v, col.unit) };
      }
      const series = (metric: string) => list.find((x) => x.metric === metric);
      const input: EngineStatusInput = {
        running: values.running.value,
        waiting: values.waiting.value,
        kvCache: values.kvCache.value,
        runningMax: historyMax(series('engine.requests.running')),
        lastValueAgeMs: newest === undefined ? undefined : ageMs,
        generationZeroMs: zeroFor(series('engine.tokens.generation')),
        intervalMs: node.interval,
        live,
        fatal,
      };
      const { status, reason } = engineStatus(input);
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
        status,
        statusReason: reason,
        ageMs,
        ageText: newest === undefined ? 'never' : formatAge(ageMs),
        stale,
      });
    }
  }
  return rows;
}

/** Time of the newest value any of the engine's series holds (a sample with a number). */
export function newestValueTime(list: readonly SeriesState[]): number | undefined {
  let newest: number | undefined;
  for (const s of list) {
    const t = Number.isNaN(s.value) ? lastValueTime(s) : s.time;
    if (t !== undefined && (newest === undefined || t > newest)) newest = t;
  }
  return newest;
}

/** The time of a series' last numeric point in its history. */
function lastValueTime(s: SeriesState): number | undefined {
  for (let i = s.history.length - 1; i >= 0; i--) {
    if (!Number.isNaN(s.history.valueAt(i))) return s.history.timeAt(i);
  }
  return undefined;
}

/** The largest value in a series' history (null: none). */
export function historyMax(s: SeriesState | undefined): number | null {
  if (!s) return null;
  let max: number | null = null;
  for (let i = 0; i < s.history.length; i++) {
    const v = s.history.valueAt(i);
    if (!Number.isNaN(v) && (max === null || v > max)) max = v;
  }
  return max;
}

/**
 * How long (ms, on the series' own clock) a series has read 0 up to its newest value: from the
 * first 0 after its last non-zero point. Undefined when its newest value is not 0 or absent.
 */
export function zeroFor(s: SeriesState | undefined): number | undefined {
  if (!s || Number.isNaN(s.value) || s.value !== 0) return undefined;
  let since = s.time;
  for (let i = s.history.length - 1; i >= 0; i--) {
    const v = s.history.valueAt(i);
    if (Number.isNaN(v)) continue;
    if (v !== 0) break;
    since = Math.min(since, s.history.timeAt(i));
  }
  return s.time - since;
}

const STATUS_RANK = new Map(STATUS_ORDER.map((s, i) => [s, i]));

/**
 * Sorted copy; absent values go last whichever the direction. By status: worst first (down,
 * stalled, saturated, serving), then by node and engine.
 */
export function sortEngines(rows: readonly EngineRow[], sort: EngineSort): EngineRow[] {
  const dir = sort.descending ? -1 : 1;
  if (sort.key === 'status') {
    return [...rows].sort(
      (a, b) =>
        dir * (STATUS_RANK.get(a.status)! - STATUS_RANK.get(b.status)!) ||
        collator.compare(a.node, b.node) ||
        collator.compare(a.engine, b.engine),
    );
  }
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
