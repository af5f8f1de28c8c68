/**
 * The PromQL for an incident's impact on inference when the live store no longer holds the minute
 * around it: for the engines of the incident's node, vLLM's running and waiting requests and TTFT
 * p50/p99 over the minute before the incident and the minute after it, as engineImpact.ts reads
 * them from the store (renderer views/health/engineImpact.ts). Pure: the hook (useImpactHistory.ts)
 * asks, this says what.
 *
 * Each window is one instant query evaluated at its end over a range selector of its length:
 * before at the incident time over [ts − 60 s, ts], after at min(now, ts + 60 s) over the time
 * since the incident (Prometheus 2.x ranges include both ends). Running and waiting: the mean
 * before, the last value after (where the queue settled), as the store does. TTFT: the Latency
 * view's histogram_quantile over `vllm:time_to_first_token_seconds_bucket` rates, by engine.
 *
 * The engine is vLLM's `engine` label (the simulator's engine id, the name the engines table
 * shows); the node is the series' `node` label (the simulator's, or a scrape config's target
 * label), else the scrape target's host (`instance="node-017:8000"`): `or` keeps one series where
 * both match (its labels, name aside, are already on the left).
 */
import { byClause, promString, regexEscape, selector } from './promql.js';
import { promDuration } from './step.js';

export type ImpactQuantity = 'running' | 'waiting' | 'ttftP50' | 'ttftP99';
export type ImpactSide = 'before' | 'after';

export interface ImpactQuery {
  quantity: ImpactQuantity;
  side: ImpactSide;
  query: string;
  /** Evaluation time in ms: the window's end. */
  time: number;
}

export interface ImpactHistoryPlan {
  /** The windows in ms, [start, end] each. */
  before: { start: number; end: number };
  after?: { start: number; end: number } | undefined;
  queries: ImpactQuery[];
}

export interface ImpactQueryOptions {
  /** The label naming the node on engine series; default `node`. */
  nodeLabel?: string;
}

/** One minute each side: long enough for a few ticks at the agents' 1–15 s intervals. */
export const IMPACT_WINDOW_MS = 60_000;

export const RUNNING = 'vllm:num_requests_running';
export const WAITING = 'vllm:num_requests_waiting';
export const TTFT_BUCKET = 'vllm:time_to_first_token_seconds_bucket';

/** A window shorter than this holds at most one scrape at the usual 15 s: not asked. */
export const MIN_AFTER_MS = 15_000;

/** One selector per way of naming the node, `or`-ed after `wrap` (a function over the range). */
function alternatives(
  metric: string,
  node: string,
  engines: readonly string[],
  range: string,
  wrap: string,
  o: ImpactQueryOptions,
): string {
  const engine = engines.length === 1 ? engines[0]! : engines;
  const byNode = selector(metric, { engine, [o.nodeLabel ?? 'node']: node });
  // `instance` is host:port; the node is its host (labelRoles.ts instanceHost).
  const engineMatch =
    engines.length === 1
      ? `engine=${promString(engines[0]!)}`
      : `engine=~${promString(engines.map(regexEscape).join('|'))}`;
  const byInstance = `${metric}{${engineMatch},instance=~${promString(`${regexEscape(node)}:[0-9]+`)}}`;
  return `${wrap}(${byNode}[${range}]) or ${wrap}(${byInstance}[${range}])`;
}

function sideQueries(
  side: ImpactSide,
  node: string,
  engines: readonly string[],
  time: number,
  ms: number,
  o: ImpactQueryOptions,
): ImpactQuery[] {
  const range = promDuration(Math.round(ms / 1000));
  const gauge = side === 'before' ? 'avg_over_time' : 'last_over_time';
  const by = byClause(['engine']);
  const buckets = alternatives(TTFT_BUCKET, node, engines, range, 'rate', o);
  const quantile = (q: number): string =>
    `histogram_quantile(${q}, sum${byClause(['le', 'engine'])} (${buckets}))`;
  return [
    {
      quantity: 'running',
      side,
      time,
      query: `sum${by} (${alternatives(RUNNING, node, engines, range, gauge, o)})`,
    },
    {
      quantity: 'waiting',
      side,
      time,
      query: `sum${by} (${alternatives(WAITING, node, engines, range, gauge, o)})`,
    },
    { quantity: 'ttftP50', side, time, query: quantile(0.5) },
    { quantity: 'ttftP99', side, time, query: quantile(0.99) },
  ];
}

/**
 * The queries for `engines` of `node` around incident time `ts` (ms), with the console's clock
 * at `now`; undefined when there is no engine to ask about. The after window is left out while
 * less than MIN_AFTER_MS of it has passed (the live store has that minute anyway).
 */
export function impactQueries(
  node: string,
  engines: readonly string[],
  ts: number,
  now: number,
  o: ImpactQueryOptions = {},
): ImpactHistoryPlan | undefined {
  if (engines.length === 0) return undefined;
  const sorted = [...new Set(engines)].sort();
  const before = { start: ts - IMPACT_WINDOW_MS, end: ts };
  const queries = sideQueries('before', node, sorted, ts, IMPACT_WINDOW_MS, o);
  const end = Math.min(now, ts + IMPACT_WINDOW_MS);
  if (end - ts < MIN_AFTER_MS) return { before, queries };
  // Whole seconds: PromQL durations are; the window ends where the evaluation is.
  const afterMs = Math.floor((end - ts) / 1000) * 1000;
  const after = { start: ts, end: ts + afterMs };
  queries.push(...sideQueries('after', node, sorted, after.end, afterMs, o));
  return { before, after, queries };
}
