/**
 * The instant queries one refresh of a Prometheus-only fleet asks: one per exporter family (a
 * `{__name__=~"A|B|…"}[w]` range selector: every series of the family with its raw samples and
 * their own timestamps, so a value's age is its sample's age in Prometheus, not the query's), one
 * per engine family for its gauges and counters (rates are taken here from the raw samples, as
 * `rate()` would drop the names that tell the series apart), one per engine family for TTFT p99,
 * and `up`. Never one query per device: 4,096 devices cost as many queries as 8.
 */
import type { Discovery } from '../discovery.js';
import type { EngineQuantity } from '../families.js';
import { checkMetricName, regexEscape } from '../promql.js';
import { presentExporters, exporterSeriesNames, type DeviceExporter } from './deviceExporters.js';
import { hostQueries, type HostPart } from './hostQueries.js';

/** Engine quantities read as raw samples: gauges as they are, counters as rates. */
export const ENGINE_RAW_QUANTITIES: readonly EngineQuantity[] = [
  'running',
  'waiting',
  'kvUsage',
  'cacheHitRate',
  'preemptions',
  'promptTokens',
  'generationTokens',
  'prefixQueries',
  'prefixHits',
  'finished',
];

export type FleetQuery =
  | { kind: 'device'; exporter: DeviceExporter; query: string }
  | {
      kind: 'engine';
      family: string;
      query: string;
      /** Stored series name → quantity. */
      quantities: ReadonlyMap<string, EngineQuantity>;
    }
  | { kind: 'engineTtft'; family: string; query: string }
  | { kind: 'host'; part: HostPart; query: string }
  | { kind: 'up'; query: string };

/**
 * How far back each refresh reads. Device gauges need their newest sample only: 1.5 scrapes
 * holds one or two (bench:prom-fleet: 3 scrapes made 15 MB a refresh at 4,096 devices, a third
 * of it samples never read). Engine counters need two samples for a rate: 2.5 scrapes.
 */
export function windowSeconds(intervalMs: number, scrapes = 1.5): number {
  return Math.max(2, Math.ceil((scrapes * intervalMs) / 1000));
}

const ENGINE_SCRAPES = 2.5;

function nameSelector(names: readonly string[], windowS: number): string {
  const alternation = names.map((n) => regexEscape(checkMetricName(n))).join('|');
  return `{__name__=~"${alternation}"}[${windowS}s]`;
}

export function planFleetQueries(
  metricNames: ReadonlySet<string>,
  discovery: Discovery,
  intervalMs: number,
): FleetQuery[] {
  const w = windowSeconds(intervalMs);
  const out: FleetQuery[] = [];
  for (const exporter of presentExporters(metricNames)) {
    const names = exporterSeriesNames(exporter).filter((n) => metricNames.has(n));
    out.push({ kind: 'device', exporter, query: nameSelector(names, w) });
  }
  for (const [family, d] of Object.entries(discovery.engines)) {
    if (!d) continue;
    const quantities = new Map<string, EngineQuantity>();
    for (const q of ENGINE_RAW_QUANTITIES) {
      const r = d.quantities[q];
      if (!r || r.kind === 'histogram') continue;
      // The newest generation only: a fleet mid-upgrade exposes one or the other per engine,
      // 0.9–0.10 expose both with the same value (families.ts).
      for (const name of r.names) if (!quantities.has(name)) quantities.set(name, q);
    }
    if (quantities.size > 0) {
      const we = windowSeconds(intervalMs, ENGINE_SCRAPES);
      out.push({
        kind: 'engine',
        family,
        query: nameSelector([...quantities.keys()], we),
        quantities,
      });
    }
    const ttft = d.quantities.ttft;
    if (ttft && ttft.kind === 'histogram') {
      const buckets = ttft.names.map((b) => `${checkMetricName(b)}_bucket`);
      const rate = buckets.map((b) => `rate(${b}[${Math.max(w, 60)}s])`).join(' or ');
      out.push({ kind: 'engineTtft', family, query: `histogram_quantile(0.99, ${rate})` });
    }
  }
  for (const h of hostQueries(metricNames, windowSeconds(intervalMs, ENGINE_SCRAPES))) {
    out.push({ kind: 'host', ...h });
  }
  out.push({ kind: 'up', query: 'up' });
  return out;
}
