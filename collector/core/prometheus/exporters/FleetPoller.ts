/**
 * One refresh of a Prometheus-only fleet, whoever schedules it (the console's
 * PrometheusFleetSource, tests, benchmarks): metric names (re-read every minute, so an exporter
 * deployed later shows up), the targets list (scrape interval and errors; optional, as Thanos,
 * Mimir and VictoriaMetrics may not serve it, contracts §6.4), one query per family
 * (fleetQueries.ts), and the answers turned into messages (FleetAssembler.ts).
 */
import { discover, type Discovery } from '../discovery.js';
import { ENGINE_FAMILIES, type EngineFamilyId } from '../families.js';
import type { ScrapeTarget } from '../payloads.js';
import type { InstantSample, MatrixSeries, QueryData } from '../response.js';
import { FleetAssembler, type FleetAnswers } from './FleetAssembler.js';
import { planFleetQueries, type FleetQuery } from './fleetQueries.js';
import { pollInterval } from './pollInterval.js';
import type { WireMessage } from '../../protocol/spec.js';

/**
 * The part of an AbortSignal a refresh reads (the core compiles without DOM or Node types; a
 * browser's or Node's AbortSignal is one).
 */
export interface CancelSignal {
  readonly aborted: boolean;
  throwIfAborted(): void;
}

/** What a refresh asks of Prometheus; every call rejects on abort. */
export interface FleetPort<S extends CancelSignal = CancelSignal> {
  metricNames(signal: S): Promise<string[]>;
  /** Undefined where the server does not serve `/api/v1/targets`. */
  targets(signal: S): Promise<ScrapeTarget[] | undefined>;
  query(query: string, signal: S): Promise<QueryData>;
}

export interface FleetRefresh {
  messages: WireMessage[];
  problems: string[];
  /** Queries asked (one per family, plus up). */
  queries: number;
  /** The server holds none of the families the fleet is read from. */
  empty: boolean;
}

/** Metric names change when exporters are deployed or removed, not every scrape. */
export const NAMES_EVERY_MS = 60_000;

export interface FleetPollerOptions {
  /** Cluster name for series without a `cluster` label. */
  cluster: string;
  nodeLabel?: string;
  seriesLimit?: number;
}

export class FleetPoller {
  private assembler: FleetAssembler | undefined;
  private names: Set<string> | undefined;
  private discovery: Discovery | undefined;
  private namesAt = Number.NEGATIVE_INFINITY;
  /** Scrape jobs that ever delivered fleet series: their targets' health is the fleet's. */
  private readonly jobs = new Set<string>();
  /** The refresh interval (ms): the scrape interval of the fleet's targets. */
  intervalMs = 15_000;

  constructor(private readonly opts: FleetPollerOptions) {}

  async refresh<S extends CancelSignal>(
    port: FleetPort<S>,
    signal: S,
    now: number,
  ): Promise<FleetRefresh> {
    if (!this.names || now - this.namesAt >= NAMES_EVERY_MS) {
      this.names = new Set(await port.metricNames(signal));
      this.discovery = discover(this.names);
      this.namesAt = now;
    }
    const targets = await port.targets(signal);
    this.intervalMs = pollInterval(targets, this.jobs);
    const plan = planFleetQueries(this.names, this.discovery!, this.intervalMs);
    const data = await Promise.all(plan.map((q) => port.query(q.query, signal)));
    signal.throwIfAborted();
    this.assembler ??= new FleetAssembler({
      cluster: this.opts.cluster,
      intervalMs: this.intervalMs,
      ...(this.opts.nodeLabel ? { nodeLabel: this.opts.nodeLabel } : {}),
      ...(this.opts.seriesLimit ? { seriesLimit: this.opts.seriesLimit } : {}),
    });
    const { messages, problems } = this.assembler.assemble(this.answers(plan, data, targets, now));
    return { messages, problems, queries: plan.length, empty: plan.length === 1 };
  }

  private answers(
    plan: readonly FleetQuery[],
    data: readonly QueryData[],
    targets: readonly ScrapeTarget[] | undefined,
    now: number,
  ): FleetAnswers {
    const devices: Array<FleetAnswers['devices'][number]> = [];
    const engines = new Map<string, FleetAnswers['engines'][number]>();
    let evalTime = now;
    let up: FleetAnswers['targets'] = [];
    const rates: Array<NonNullable<FleetAnswers['host']>['rates'][number]> = [];
    const host = {
      info: [] as InstantSample[],
      gauges: [] as MatrixSeries[],
      cores: [] as InstantSample[],
      rates,
    };
    const engine = (family: string) => {
      const spec = ENGINE_FAMILIES[family as EngineFamilyId];
      const e = engines.get(family) ?? {
        family,
        title: spec?.label ?? family,
        series: [],
        quantities: new Map(),
        ...(spec?.modelLabel ? { modelLabel: spec.modelLabel } : {}),
        ...(spec?.engineLabel ? { engineLabel: spec.engineLabel } : {}),
      };
      engines.set(family, e);
      return e;
    };
    const matrix = (d: QueryData): MatrixSeries[] => {
      const list = d.resultType === 'matrix' ? d.result : [];
      for (const s of list) if (s.metric.job) this.jobs.add(s.metric.job);
      return list;
    };
    plan.forEach((q, i) => {
      const d = data[i]!;
      if (q.kind === 'device') devices.push({ exporter: q.exporter, series: matrix(d) });
      else if (q.kind === 'engine') {
        engines.set(q.family, { ...engine(q.family), series: matrix(d), quantities: q.quantities });
      } else if (q.kind === 'host') {
        if (q.part === 'gauges') host.gauges = matrix(d);
        else if (d.resultType === 'vector') {
          for (const s of d.result) if (s.metric.job) this.jobs.add(s.metric.job);
          if (q.part === 'info') host.info = d.result;
          else if (q.part === 'cores') host.cores = d.result;
          else rates.push({ part: q.part, samples: d.result });
        }
      } else if (q.kind === 'engineTtft') {
        if (d.resultType === 'vector')
          engines.set(q.family, { ...engine(q.family), ttftP99: d.result });
      } else if (d.resultType === 'vector') {
        // `up` is asked last: the jobs of this refresh's series are known by now.
        const errors = new Map(
          (targets ?? []).map((t) => [`${t.labels.job}\u0000${t.labels.instance}`, t.lastError]),
        );
        if (d.result[0]) evalTime = d.result[0].time;
        up = d.result
          .filter((s) => this.jobs.has(s.metric.job ?? ''))
          .map((s) => {
            const lastError = errors.get(`${s.metric.job}\u0000${s.metric.instance}`);
            return { labels: s.metric, up: s.value === 1, ...(lastError ? { lastError } : {}) };
          });
      }
    });
    return { evalTime, devices, engines: [...engines.values()], targets: up, host };
  }
}
