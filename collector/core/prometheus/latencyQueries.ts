/**
 * The PromQL behind the latency view, built from what discovery found: stage percentiles (queue,
 * prefill, decode), TTFT / inter-token / e2e percentiles, heatmap bucket rates, token throughput,
 * running and waiting requests, KV-cache usage, preemptions, prefix-cache hit rate and finish
 * reasons. Where a server holds two naming generations, each selector is `a or b` (the newer name
 * first: `or` drops right-hand series whose labels, name aside, already appear on the left, so an
 * engine that exposes both names is counted once). Values come out in catalog units: seconds,
 * tokens/s, requests, percent, events/s.
 */
import type { EngineFamilyDiscovery, Discovery, Generation, ResolvedSeries } from './discovery.js';
import {
  ENGINE_FAMILIES,
  LATENCY_STAGES,
  type EngineFamilyId,
  type EngineQuantity,
  type LatencyStage,
} from './families.js';
import { byClause, selector, type LabelFilter } from './promql.js';
import { promDuration } from './step.js';

export interface LatencySelection {
  /** Served-model label values (`model_name` on every flavour that has one; TGI has none) */
  models?: readonly string[];
  /** Prometheus `instance` (the scraped host:port) */
  instances?: readonly string[];
  jobs?: readonly string[];
  /** vLLM's `engine` label (DP rank, or the simulator's engine id); other flavours have none */
  engines?: readonly string[];
  /** Any other equality or alternation filters, e.g. `{ cluster: 'east' }` */
  labels?: LabelFilter;
}

export interface LatencyQueryOptions {
  /** The range query's step in seconds (step.ts) */
  stepS: number;
  /** The targets' scrape interval in seconds; default 15 */
  scrapeIntervalS?: number;
  /** Default p50, p90, p99 */
  quantiles?: readonly number[];
  /** Labels kept apart in every result, e.g. `['model_name']` or `['instance', 'engine']` */
  by?: readonly string[];
}

export type LatencyPanel =
  | 'stages'
  | 'ttft'
  | 'inter_token'
  | 'e2e'
  | 'heatmap'
  | 'tokens'
  | 'requests'
  | 'kvCache'
  | 'preemptions'
  | 'prefixCache'
  | 'finishReasons';

export type PanelUnit = 'seconds' | 'tokens/s' | 'count' | 'percent' | 'per second';

export interface PanelQuery {
  panel: LatencyPanel;
  /** Unique within a plan: `ttft:p99`, `tokens:prompt`, `heatmap:e2e` */
  key: string;
  /** Legend text: "p99", "prompt", "running" */
  label: string;
  query: string;
  unit: PanelUnit;
  quantile?: number;
  stage?: LatencyStage;
}

export interface LatencyPlan {
  family: EngineFamilyId;
  generation: Generation;
  /** rate() window in seconds and as PromQL text */
  windowS: number;
  window: string;
  queries: PanelQuery[];
  /** Panels (or parts) this server cannot fill, with the reason in words */
  unavailable: { panel: LatencyPanel; reason: string }[];
}

export const DEFAULT_QUANTILES: readonly number[] = [0.5, 0.9, 0.99];

/**
 * rate() window: at least 4 scrape intervals, so a window always holds ≥ 2 samples even with a
 * missed scrape or two (rate needs two; Grafana's $__rate_interval uses the same 4× floor), and at
 * least 4 steps, so consecutive points overlap and no observation between two points is skipped;
 * the overlap also smooths a p99 that would otherwise jump between single buckets.
 */
export function rateWindowS(stepS: number, scrapeIntervalS = 15): number {
  return Math.max(4 * stepS, 4 * scrapeIntervalS);
}

/**
 * The selection as label filters for one family: only the labels the family has (SGLang has no
 * `engine`, TGI no model label). Anything else (Ray Serve's `WorkerId`, `deployment`…) is left
 * alone, so a query matches whatever labels a deployment adds.
 */
export function selectionFilter(sel: LatencySelection, family: EngineFamilyId): LabelFilter {
  const f = ENGINE_FAMILIES[family];
  return {
    ...sel.labels,
    ...(f.modelLabel ? { [f.modelLabel]: sel.models } : {}),
    instance: sel.instances,
    job: sel.jobs,
    ...(f.engineLabel ? { [f.engineLabel]: sel.engines } : {}),
  };
}

const pct = (q: number): string => `p${Math.round(q * 1000) / 10}`;

/** What every builder needs: label filters, the rate window text, the labels kept apart. */
export interface QueryContext {
  f: LabelFilter;
  w: string;
  by: readonly string[];
}
type Ctx = QueryContext;

/** `rate(a{…}[w]) or rate(b{…}[w])` over every stored name (suffix for histograms). */
function rates(r: ResolvedSeries, c: Ctx, suffix = ''): string {
  return r.names.map((n) => `rate(${selector(n + suffix, c.f)}[${c.w}])`).join(' or ');
}

function gauges(r: ResolvedSeries, c: Ctx): string {
  return r.names.map((n) => selector(n, c.f)).join(' or ');
}

/** histogram_quantile over the selection, merged across everything not in `by`. */
export function quantileQuery(q: number, r: ResolvedSeries, c: Ctx): string {
  return `histogram_quantile(${q}, sum${byClause(['le', ...c.by])} (${rates(r, c, '_bucket')}))`;
}

/** Per-`le` observation rates (observations/s), for the heatmap and console-side quantiles. */
export function bucketRateQuery(r: ResolvedSeries, c: Ctx): string {
  return `sum${byClause(['le', ...c.by])} (${rates(r, c, '_bucket')})`;
}

function latencyPanels(
  e: EngineFamilyDiscovery,
  c: Ctx,
  qs: readonly number[],
  plan: LatencyPlan,
): void {
  for (const stage of LATENCY_STAGES) {
    const panel: LatencyPanel =
      stage === 'queue' || stage === 'prefill' || stage === 'decode' ? 'stages' : stage;
    const r = e.quantities[stage];
    if (!r) {
      const absent = ENGINE_FAMILIES[plan.family].absent;
      const why = absent?.[stage] ?? absent?.stages ?? 'the server does not hold it';
      plan.unavailable.push({ panel, reason: `no ${stage} histogram: ${why}` });
      continue;
    }
    for (const q of qs) {
      const label = panel === 'stages' ? `${stage} ${pct(q)}` : pct(q);
      plan.queries.push({
        panel,
        key: `${stage}:${pct(q)}`,
        label,
        query: quantileQuery(q, r, c),
        unit: 'seconds',
        quantile: q,
        stage,
      });
    }
    plan.queries.push({
      panel: 'heatmap',
      key: `heatmap:${stage}`,
      label: stage,
      query: bucketRateQuery(r, { ...c, by: [] }),
      unit: 'per second',
      stage,
    });
  }
}

function add(
  plan: LatencyPlan,
  e: EngineFamilyDiscovery,
  needs: EngineQuantity[],
  make: (r: ResolvedSeries[]) => Omit<PanelQuery, 'query'> & { query: string },
): void {
  const rs = needs.map((n) => e.quantities[n]);
  if (rs.every((r) => r !== undefined)) plan.queries.push(make(rs as ResolvedSeries[]));
}

/** The full query plan for one engine family, or undefined when the server has none of it. */
export function latencyPlan(
  discovery: Discovery,
  family: EngineFamilyId,
  sel: LatencySelection,
  opts: LatencyQueryOptions,
): LatencyPlan | undefined {
  const e = discovery.engines[family];
  if (!e) return undefined;
  const windowS = rateWindowS(opts.stepS, opts.scrapeIntervalS);
  const c: Ctx = { f: selectionFilter(sel, family), w: promDuration(windowS), by: opts.by ?? [] };
  const plan: LatencyPlan = {
    family,
    generation: e.generation,
    windowS,
    window: c.w,
    queries: [],
    unavailable: [],
  };
  latencyPanels(e, c, opts.quantiles ?? DEFAULT_QUANTILES, plan);
  const by = byClause(c.by);
  const sumRate = (r: ResolvedSeries): string => `sum${by} (${rates(r, c)})`;
  const before = plan.queries.length;
  add(plan, e, ['promptTokens'], ([r]) => ({
    panel: 'tokens',
    key: 'tokens:prompt',
    label: 'prompt',
    unit: 'tokens/s',
    query: sumRate(r!),
  }));
  add(plan, e, ['generationTokens'], ([r]) => ({
    panel: 'tokens',
    key: 'tokens:generation',
    label: 'generation',
    unit: 'tokens/s',
    query: sumRate(r!),
  }));
  add(plan, e, ['running'], ([r]) => ({
    panel: 'requests',
    key: 'requests:running',
    label: 'running',
    unit: 'count',
    query: `sum${by} (${gauges(r!, c)})`,
  }));
  add(plan, e, ['waiting'], ([r]) => ({
    panel: 'requests',
    key: 'requests:waiting',
    label: 'waiting',
    unit: 'count',
    query: `sum${by} (${gauges(r!, c)})`,
  }));
  // Both engines report a 0–1 fraction; the mean over engines, in percent.
  add(plan, e, ['kvUsage'], ([r]) => ({
    panel: 'kvCache',
    key: 'kvCache:mean',
    label: 'mean',
    unit: 'percent',
    query: `100 * avg${by} (${gauges(r!, c)})`,
  }));
  add(plan, e, ['kvUsage'], ([r]) => ({
    panel: 'kvCache',
    key: 'kvCache:max',
    label: 'max',
    unit: 'percent',
    query: `100 * max${by} (${gauges(r!, c)})`,
  }));
  // A counter (vLLM's preemptions, SGLang's retractions) as a rate; SGLang's oldest form is only a
  // gauge of the requests retracted at its last step, shown as that count.
  add(plan, e, ['preemptions'], ([r]) =>
    r!.kind === 'gauge'
      ? {
          panel: 'preemptions',
          key: 'preemptions',
          label: 'retracted (last step)',
          unit: 'count',
          query: `sum${by} (${gauges(r!, c)})`,
        }
      : {
          panel: 'preemptions',
          key: 'preemptions',
          label: family === 'sglang' ? 'retractions' : 'preemptions',
          unit: 'per second',
          query: sumRate(r!),
        },
  );
  add(plan, e, ['prefixHits', 'prefixQueries'], ([h, q]) => ({
    panel: 'prefixCache',
    key: 'prefixCache:hitRate',
    label: 'hit rate',
    unit: 'percent',
    query: `100 * ${sumRate(h!)} / ${sumRate(q!)}`,
  }));
  if (!e.quantities.prefixHits)
    add(plan, e, ['cacheHitRate'], ([r]) => ({
      panel: 'prefixCache',
      key: 'prefixCache:hitRate',
      label: 'hit rate',
      unit: 'percent',
      query: `100 * avg${by} (${gauges(r!, c)})`,
    }));
  add(plan, e, ['finished'], ([r]) => {
    const reason = r!.reasonLabel;
    return {
      panel: 'finishReasons',
      key: 'finishReasons',
      label: reason ? `{{${reason}}}` : 'finished',
      unit: 'per second',
      query: `sum${reason ? byClause([reason, ...c.by]) : by} (${rates(r!, c)})`,
    };
  });
  const have = new Set(plan.queries.slice(before).map((p) => p.panel));
  const absent = ENGINE_FAMILIES[family].absent ?? {};
  const label = ENGINE_FAMILIES[family].label;
  const missingPanels: [LatencyPanel, string][] = [
    ['tokens', 'no prompt/generation token counters'],
    ['requests', 'no running/waiting gauges'],
    ['kvCache', absent.kvUsage ?? 'no KV-cache usage gauge'],
    ['preemptions', absent.preemptions ?? 'no preemption counter'],
    ['prefixCache', absent.prefixHits ?? 'no prefix-cache counters'],
    ['finishReasons', 'no finished-request counter'],
  ];
  for (const [panel, reason] of missingPanels)
    if (!have.has(panel)) plan.unavailable.push({ panel, reason });
  if (have.has('finishReasons') && !e.quantities.finished?.reasonLabel)
    plan.unavailable.push({
      panel: 'finishReasons',
      reason: `${label} does not label finish reasons: total only`,
    });
  return plan;
}
