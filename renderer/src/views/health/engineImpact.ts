/**
 * What an incident did to inference: the engines on its node (engine samples carry the node and
 * the `engine` label; none names its devices, so every engine of the node counts — a
 * tensor-parallel engine spans the node's GPUs anyway), each with running/waiting and TTFT p50/p99
 * in the minute before the incident against the minute after it, from the store's history.
 *
 * Before: mean of the reported values in [ts − 60 s, ts). After, in (ts, min(now, ts + 60 s)]:
 * running and waiting as the last value reported (where the queue settled), TTFT as the mean. An
 * engine that reported before and has ticks after with no value at all stopped serving (a dead
 * GPU takes its process with it: the agent sends nulls, or nothing).
 *
 * Error rate: engine.requests.finished is a counter by vLLM finish reason (catalog.ts); over a
 * window, the requests that finished `abort` or `error` as a share of all that finished, each
 * counter's increase from its last value before the window to its last value in it. The two
 * windows split at the incident: before counts up to the last value before it, after from there
 * on (the tick of the incident itself included: an engine losing its GPU fails its requests on
 * that very tick). Finished counters alone do not count as serving (a dying engine's last word).
 */
import { IMPACT_WINDOW_MS } from '../../../../collector/core/prometheus/impactQueries.js';
import type { LiveStore, SeriesState } from '../../store/LiveStore.js';

/** Defined with the PromQL that reads the same windows from Prometheus (core impactQueries.ts). */
export { IMPACT_WINDOW_MS };

/** vLLM finish reasons that are failures (contracts §1.3; `error` only in the newest). */
export const FAILED_REASONS: ReadonlySet<string> = new Set(['abort', 'error']);

const FINISHED = 'engine.requests.finished';

/** TTFT p99 this many times its level before reads as "slowed". */
export const SLOWED_RATIO = 1.5;

export type EngineImpactState = 'stopped' | 'stalled' | 'slowed' | 'serving' | 'unknown';

export interface Window {
  /** null: no value reported in the window. */
  running: number | null;
  waiting: number | null;
  ttftP50: number | null;
  ttftP99: number | null;
  /** Requests finished in the window, and how many of them failed; null: no counter or no data. */
  finished: number | null;
  failed: number | null;
  /** failed ÷ finished in percent; null when nothing finished or the engine does not count it. */
  errorRate: number | null;
  /** Ticks of the node in the window, and how many carried any engine value. */
  ticks: number;
  reported: number;
}

export interface EngineImpact {
  engine: string;
  model: string;
  before: Window;
  after: Window;
  state: EngineImpactState;
  /** Whether the engine reports finished requests by reason at all (else error rate: no data). */
  countsFailures: boolean;
  /** Local time of the engine's newest value the store holds (when a stopped one last spoke). */
  lastReportedAt: number | undefined;
  /** Set where a window's numbers are Prometheus's (impactHistory.ts): the PromQL asked. */
  prometheus?: { queries: string[] } | undefined;
}

type Reader = Pick<LiveStore, 'seriesOf' | 'node'>;

const METRICS = {
  running: ['engine.requests.running', undefined],
  waiting: ['engine.requests.waiting', undefined],
  ttftP50: ['engine.latency.ttft', 'p50'],
  ttftP99: ['engine.latency.ttft', 'p99'],
} as const;

type Key = keyof typeof METRICS;

/** The engines of `nodeKey` around local time `ts`, by engine name. */
export function engineImpact(
  reader: Reader,
  nodeKey: string,
  ts: number,
  now: number,
): EngineImpact[] {
  const offset = reader.node(nodeKey)?.clockOffset ?? 0;
  // History times are on the node's timeline.
  const at = ts - offset;
  const end = Math.min(now - offset, at + IMPACT_WINDOW_MS);
  const byEngine = new Map<string, SeriesState[]>();
  for (const s of reader.seriesOf(nodeKey)) {
    if (!s.metric.startsWith('engine.')) continue;
    const id = s.labels.engine ?? '';
    const list = byEngine.get(id) ?? [];
    list.push(s);
    byEngine.set(id, list);
  }
  const out: EngineImpact[] = [];
  for (const [engine, list] of byEngine) {
    const find = (k: Key) =>
      list.find((s) => s.metric === METRICS[k][0] && s.labels.q === METRICS[k][1]);
    const serving = list.filter((s) => s.metric !== FINISHED);
    const finished = list.filter((s) => s.metric === FINISHED && s.labels.reason !== undefined);
    const before = {
      ...window(serving, find, at - IMPACT_WINDOW_MS, at, false, false),
      ...failures(finished, at - IMPACT_WINDOW_MS, at, false),
    };
    const after = {
      ...window(serving, find, at, end, true, true),
      ...failures(finished, at, end, true),
    };
    let last: number | undefined;
    for (const s of serving) {
      const h = s.history;
      for (let i = h.length - 1; i >= 0; i--) {
        if (!Number.isNaN(h.valueAt(i))) {
          last = Math.max(last ?? h.timeAt(i), h.timeAt(i));
          break;
        }
      }
    }
    out.push({
      engine: engine === '' ? '(unnamed)' : engine,
      model: list[0]?.labels.model ?? '',
      before,
      after,
      state: stateOf(before, after),
      countsFailures: finished.length > 0,
      lastReportedAt: last === undefined ? undefined : last + offset,
    });
  }
  return out.sort((a, b) => a.engine.localeCompare(b.engine, 'en', { numeric: true }));
}

type Failures = Pick<Window, 'finished' | 'failed' | 'errorRate'>;

/**
 * Finished and failed requests in a window, from the counters by reason. Before (`after` false):
 * from the last value at or before `from` (else the window's first) to the last before `to`.
 * After: from the last value before `from` to the last at or before `to`. A counter going down
 * restarted from 0 (Prometheus's reading of a reset).
 */
function failures(
  list: readonly SeriesState[],
  from: number,
  to: number,
  after: boolean,
): Failures {
  let finished: number | null = null;
  let failed = 0;
  for (const s of list) {
    const h = s.history;
    let base: number | undefined;
    let prev: number | undefined;
    let grown = 0;
    let seen = false;
    for (let i = 0; i < h.length; i++) {
      const t = h.timeAt(i);
      const v = h.valueAt(i);
      if (Number.isNaN(v)) continue;
      const atStart = after ? t < from : t <= from;
      const inside = after ? t >= from && t <= to : t > from && t < to;
      if (atStart) {
        base = v;
        continue;
      }
      if (!inside) continue;
      if (prev === undefined) {
        if (base === undefined) {
          prev = v;
          continue;
        }
        prev = base;
      }
      grown += v >= prev ? v - prev : v;
      prev = v;
      seen = true;
    }
    if (!seen) continue;
    finished = (finished ?? 0) + grown;
    if (FAILED_REASONS.has(s.labels.reason!)) failed += grown;
  }
  if (finished === null) return { finished: null, failed: null, errorRate: null };
  return { finished, failed, errorRate: finished > 0 ? (100 * failed) / finished : null };
}

function window(
  list: readonly SeriesState[],
  find: (k: Key) => SeriesState | undefined,
  from: number,
  to: number,
  openStart: boolean,
  gaugesLast: boolean,
): Omit<Window, keyof Failures> {
  const inside = (t: number) =>
    (openStart ? t > from : t >= from) && (openStart ? t <= to : t < to);
  // Ticks are the node's: any engine series' history walks the same ticks.
  const times = new Set<number>();
  const reportedTimes = new Set<number>();
  for (const s of list) {
    const h = s.history;
    for (let i = 0; i < h.length; i++) {
      const t = h.timeAt(i);
      if (!inside(t)) continue;
      times.add(t);
      if (!Number.isNaN(h.valueAt(i))) reportedTimes.add(t);
    }
  }
  const stat = (k: Key, last: boolean): number | null => {
    const s = find(k);
    if (s === undefined) return null;
    const values: number[] = [];
    const h = s.history;
    for (let i = 0; i < h.length; i++) {
      const v = h.valueAt(i);
      if (inside(h.timeAt(i)) && !Number.isNaN(v)) values.push(v);
    }
    if (values.length === 0) return null;
    return last ? values[values.length - 1]! : values.reduce((a, b) => a + b, 0) / values.length;
  };
  return {
    running: stat('running', gaugesLast),
    waiting: stat('waiting', gaugesLast),
    ttftP50: stat('ttftP50', false),
    ttftP99: stat('ttftP99', false),
    ticks: times.size,
    reported: reportedTimes.size,
  };
}

export function stateOf(before: Window, after: Window): EngineImpactState {
  if (after.ticks === 0) return 'unknown';
  if (after.reported === 0) return before.reported > 0 ? 'stopped' : 'unknown';
  if (after.running === 0 && (after.waiting ?? 0) > 0) return 'stalled';
  if (
    before.ttftP99 !== null &&
    after.ttftP99 !== null &&
    before.ttftP99 > 0 &&
    after.ttftP99 > SLOWED_RATIO * before.ttftP99
  ) {
    return 'slowed';
  }
  return 'serving';
}
