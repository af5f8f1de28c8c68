/**
 * The busiest engine instances of a window, so a fleet of hundreds draws first from the few that
 * carry the most requests. One instant query at the window's end counts every instance's finished
 * requests over the window (`sum by (instance, node, engine) (increase(…_count[span]))`): cheap
 * (one counter series per instance, where the panels' quantiles read ~30 buckets each at every
 * step), and its answer also lists every instance with traffic, so the Instance selector has
 * choices before the full series list arrives.
 *
 * The top k are taken by one label (the first of instance, node, engine whose values differ), so
 * the panels' filter is exact: `instance=~"a|b|…"` selects those k and nothing else, where a
 * node × engine cross product would select more than it names.
 */
import type { Discovery, ResolvedSeries } from '../../../../collector/core/prometheus/discovery.js';
import type { EngineFamilyId } from '../../../../collector/core/prometheus/families.js';
import {
  selectionFilter,
  type LatencySelection,
} from '../../../../collector/core/prometheus/latencyQueries.js';
import { byClause, selector } from '../../../../collector/core/prometheus/promql.js';
import { promDuration } from '../../../../collector/core/prometheus/step.js';
import type { InstantSample, Labels } from '../../sources/prometheus/PrometheusSource.js';
import { IDENTITY_LABELS, type IdentityLabel } from './instances.js';

/** Instances the first paint reads (the rest on demand): a readable legend's worth. */
export const TOP_K = 10;

/**
 * The request counter that measures an instance's traffic: the e2e histogram's count (every
 * finished request), else TTFT's, else the finished-request counter. A histogram without `_count`
 * still has its `+Inf` bucket, which counts the same.
 */
function trafficSelectors(
  discovery: Discovery,
  family: EngineFamilyId,
  sel: LatencySelection,
): string[] | undefined {
  const e = discovery.engines[family];
  if (!e) return undefined;
  const f = selectionFilter(sel, family);
  const hist = (r: ResolvedSeries): string[] =>
    r.names.map((n) =>
      r.hasSumCount ? selector(`${n}_count`, f) : selector(`${n}_bucket`, { ...f, le: '+Inf' }),
    );
  for (const q of ['e2e', 'ttft'] as const) {
    const r = e.quantities[q];
    if (r?.kind === 'histogram') return hist(r);
  }
  const finished = e.quantities.finished;
  if (finished?.kind === 'counter') return finished.names.map((n) => selector(n, f));
  return undefined;
}

/** The instant query counting each instance's requests over `spanS`, or undefined if none can. */
export function trafficQuery(
  discovery: Discovery,
  family: EngineFamilyId,
  sel: LatencySelection,
  spanS: number,
): string | undefined {
  const selectors = trafficSelectors(discovery, family, sel);
  if (!selectors) return undefined;
  const w = promDuration(Math.max(1, spanS));
  const inner = selectors.map((s) => `increase(${s}[${w}])`).join(' or ');
  return `sum${byClause(IDENTITY_LABELS)} (${inner})`;
}

export interface TrafficRanking {
  /** The label the top k are taken by: the first identity label whose values differ. */
  label: IdentityLabel;
  /** That label's values, busiest first (ties by value, so the order is stable). */
  ranked: { value: string; requests: number }[];
  /** Every instance's label set, for the selector. */
  sets: Labels[];
}

/** Ranks the traffic answer's instances; undefined when no label tells them apart. */
export function rankTraffic(samples: readonly InstantSample[]): TrafficRanking | undefined {
  const label = IDENTITY_LABELS.find(
    (l) => new Set(samples.map((s) => s.metric[l]).filter((v) => v !== undefined)).size > 1,
  );
  if (!label) return undefined;
  const byValue = new Map<string, number>();
  for (const s of samples) {
    const v = s.metric[label];
    if (v === undefined) continue;
    // NaN (a counter with one sample in the window) counts as no traffic, not as poison.
    byValue.set(v, (byValue.get(v) ?? 0) + (Number.isFinite(s.value) ? s.value : 0));
  }
  const ranked = [...byValue]
    .map(([value, requests]) => ({ value, requests }))
    .sort((a, b) => b.requests - a.requests || (a.value < b.value ? -1 : 1));
  return { label, ranked, sets: samples.map((s) => s.metric) };
}

export interface TopScope {
  label: IdentityLabel;
  /** The values the panels are filtered to. */
  values: string[];
  /** How many values the label has in the window (the "of N"). */
  total: number;
}

/**
 * The first paint's scope: the k busiest values of the ranking's label, or undefined when there
 * are no more than k (then the whole fleet is as cheap, and the panels read it all at once).
 */
export function topScope(r: TrafficRanking | undefined, k = TOP_K): TopScope | undefined {
  if (!r || r.ranked.length <= k) return undefined;
  return {
    label: r.label,
    values: r.ranked.slice(0, k).map((x) => x.value),
    total: r.ranked.length,
  };
}

/** The selection narrowed to the scope's values, on the label the query builder expects. */
export function scopedSelection(sel: LatencySelection, scope: TopScope): LatencySelection {
  if (scope.label === 'instance') return { ...sel, instances: scope.values };
  // `engines` is where a family with an engine label reads it; `labels` where it has none.
  if (scope.label === 'engine')
    return { ...sel, engines: scope.values, labels: { ...sel.labels, engine: scope.values } };
  return { ...sel, labels: { ...sel.labels, [scope.label]: scope.values } };
}

const NOUN: Record<IdentityLabel, string> = {
  instance: 'instances',
  node: 'nodes',
  engine: 'engines',
};

/** "instances", "nodes": what the top k are counted in. */
export function scopeNoun(label: IdentityLabel): string {
  return NOUN[label];
}
