/**
 * Prometheus's answer for an incident whose minute before or after the live store no longer holds
 * (it keeps a short window; an incident fetched from the event stream can be hours old): which
 * engines to ask about (impactAsk), Prometheus's numbers per engine from the answers of
 * impactQueries.ts (historyFromAnswers), and the engines' windows filled with them where the store
 * has no tick (withHistory), marked as coming from Prometheus with the PromQL asked. Pure.
 */
import type { InstantSample } from '../../sources/prometheus/PrometheusSource.js';
import { stateOf, type EngineImpact, type Window } from './engineImpact.js';
import type {
  ImpactHistoryPlan,
  ImpactQuantity,
} from '../../../../collector/core/prometheus/impactQueries.js';

/** What to ask Prometheus about for one incident: its node (as the series name it) and engines. */
export interface ImpactAsk {
  /** Incident key (IncidentView.key). */
  key: string;
  node: string;
  ts: number;
  engines: string[];
}

export type SideValues = Partial<Record<ImpactQuantity, number>>;

/** Prometheus's numbers for one engine, and the PromQL they came from. */
export interface EngineHistory {
  before: SideValues;
  after: SideValues;
  queries: string[];
}

/** Per incident key, per engine name. */
export type ImpactHistory = ReadonlyMap<string, ReadonlyMap<string, EngineHistory>>;

/** The engines whose minute before or after holds no tick in the store; undefined: none. */
export function impactAsk(
  key: string,
  node: string,
  ts: number,
  engines: readonly EngineImpact[],
): ImpactAsk | undefined {
  const lacking = engines
    .filter((e) => e.engine !== '(unnamed)' && (e.before.ticks === 0 || e.after.ticks === 0))
    .map((e) => e.engine);
  return lacking.length > 0 ? { key, node, ts, engines: lacking } : undefined;
}

/**
 * Prometheus's numbers per engine from a plan's answers (one per query, in order; undefined while
 * it loads or when it failed). NaN (histogram_quantile of no observations) counts as no value.
 */
export function historyFromAnswers(
  plan: ImpactHistoryPlan,
  answers: ReadonlyArray<readonly InstantSample[] | undefined>,
): Map<string, EngineHistory> {
  const out = new Map<string, EngineHistory>();
  const queries = [...new Set(plan.queries.map((q) => q.query))];
  plan.queries.forEach((q, i) => {
    for (const s of answers[i] ?? []) {
      const engine = s.metric.engine;
      if (engine === undefined || !Number.isFinite(s.value)) continue;
      const h = out.get(engine) ?? { before: {}, after: {}, queries };
      h[q.side][q.quantity] = s.value;
      out.set(engine, h);
    }
  });
  return out;
}

const has = (v: SideValues): boolean => Object.keys(v).length > 0;

function filled(store: Window, prom: SideValues, other: SideValues): Window {
  const any = has(prom);
  return {
    ...store,
    running: prom.running ?? null,
    waiting: prom.waiting ?? null,
    ttftP50: prom.ttftP50 ?? null,
    ttftP99: prom.ttftP99 ?? null,
    // Scraped at all in the window, or silent while scraped on the other side (stopped).
    ticks: any || has(other) ? 1 : 0,
    reported: any ? 1 : 0,
  };
}

/**
 * The engines with Prometheus's numbers in the windows the store holds no tick of, their state
 * re-read by `stateOf`; an engine Prometheus knows nothing about stays as the store has it.
 */
export function withHistory(
  engines: readonly EngineImpact[],
  history: ReadonlyMap<string, EngineHistory> | undefined,
): EngineImpact[] {
  if (history === undefined) return [...engines];
  return engines.map((e) => {
    const h = history.get(e.engine);
    if (h === undefined) return e;
    if (e.before.ticks !== 0 && e.after.ticks !== 0) return e;
    const before = e.before.ticks === 0 ? filled(e.before, h.before, h.after) : e.before;
    const after = e.after.ticks === 0 ? filled(e.after, h.after, h.before) : e.after;
    return {
      ...e,
      before,
      after,
      state: stateOf(before, after),
      prometheus: { queries: h.queries },
    };
  });
}
