/**
 * A live fleet from Prometheus alone (issue 12): for clusters that run DCGM exporter,
 * nvidia_gpu_exporter, the NPU exporter, node_exporter and their engines' /metrics but no Osprey
 * agent. Every scrape interval it asks one instant query per exporter and engine family
 * (core/prometheus/exporters/fleetQueries.ts) plus `up` and the targets list, and hands the store
 * the inventory and metrics messages a NATS agent would have sent (FleetAssembler), so the fleet
 * heatmap, drawer and engines table work unchanged. Metric names are re-read every minute: an
 * exporter deployed later shows up without reconnecting.
 */
import { discover, type Discovery } from '../../../../collector/core/prometheus/discovery.js';
import {
  FleetAssembler,
  type FleetAnswers,
} from '../../../../collector/core/prometheus/exporters/FleetAssembler.js';
import {
  planFleetQueries,
  type FleetQuery,
} from '../../../../collector/core/prometheus/exporters/fleetQueries.js';
import { pollInterval } from '../../../../collector/core/prometheus/exporters/pollInterval.js';
import type { ScrapeTarget } from '../../../../collector/core/prometheus/payloads.js';
import type { MatrixSeries, QueryData } from '../../../../collector/core/prometheus/response.js';
import { backoffDelay } from '../backoff.js';
import type { BatchListener, Source, SourceStatus } from '../Source.js';
import { StatusKeeper } from '../StatusKeeper.js';
import type { PrometheusSource } from './PrometheusSource.js';

/** Metric names change when exporters are deployed or removed, not every scrape. */
const NAMES_EVERY_MS = 60_000;

export interface PrometheusFleetOptions {
  id: string;
  displayName: string;
  prometheus: PrometheusSource;
  /** Cluster name for series without a `cluster` label. */
  cluster?: string;
  /** A label to read node names from, before the built-in table. */
  nodeLabel?: string;
  now?: () => number;
  /** Timers, replaceable in tests. */
  setTimer?: (fn: () => void, ms: number) => () => void;
}

const defaultTimer = (fn: () => void, ms: number): (() => void) => {
  const t = setTimeout(fn, ms);
  return () => clearTimeout(t);
};

/** Engine family ids as the user knows them (framework column of the engines table). */
const ENGINE_TITLES: Readonly<Record<string, string>> = { vllm: 'vllm', sglang: 'sglang' };

export class PrometheusFleetSource implements Source {
  readonly kind = 'connection' as const;
  private readonly keeper: StatusKeeper;
  private readonly listeners = new Set<BatchListener>();
  private readonly now: () => number;
  private readonly setTimer: (fn: () => void, ms: number) => () => void;
  private assembler: FleetAssembler | undefined;
  private running = false;
  private cancelTimer: (() => void) | undefined;
  private abort: AbortController | undefined;
  private names: Set<string> | undefined;
  private discovery: Discovery | undefined;
  private namesAt = Number.NEGATIVE_INFINITY;
  /** Scrape jobs that ever delivered fleet series: their targets' health is the fleet's. */
  private readonly jobs = new Set<string>();
  private failures = 0;
  /** The refresh interval in use (ms): the targets' scrape interval. */
  intervalMs = 15_000;

  constructor(private readonly opts: PrometheusFleetOptions) {
    this.now = opts.now ?? Date.now;
    this.setTimer = opts.setTimer ?? defaultTimer;
    this.keeper = new StatusKeeper(this.now);
  }

  get id(): string {
    return this.opts.id;
  }

  get displayName(): string {
    return this.opts.displayName;
  }

  get status(): SourceStatus {
    return this.keeper.status;
  }

  subscribe(listener: BatchListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  subscribeStatus(listener: () => void): () => void {
    return this.keeper.subscribe(listener);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.keeper.setPresence('connecting', 'asking Prometheus for the fleet');
    void this.refresh();
  }

  stop(): void {
    this.running = false;
    this.cancelTimer?.();
    this.cancelTimer = undefined;
    this.abort?.abort();
    this.keeper.setPresence('closed');
  }

  /** One refresh: names (every minute), targets, the family queries; then the next one. */
  private async refresh(): Promise<void> {
    if (!this.running) return;
    const abort = new AbortController();
    this.abort = abort;
    const started = this.now();
    try {
      const p = this.opts.prometheus;
      if (!this.names || started - this.namesAt >= NAMES_EVERY_MS) {
        const names = await p.labelValues('__name__', undefined, abort.signal);
        this.names = new Set(names.data);
        this.discovery = discover(this.names);
        this.namesAt = started;
      }
      const targets = await p.targets(abort.signal).then(
        (r) => r.data,
        // Thanos, Mimir and VictoriaMetrics may not serve /targets (contracts §6.4): go on without.
        (e: unknown) => {
          if (abort.signal.aborted) throw e;
          return undefined;
        },
      );
      this.intervalMs = pollInterval(targets, this.jobs);
      const plan = planFleetQueries(this.names, this.discovery!, this.intervalMs);
      const answers = await Promise.all(plan.map((q) => p.query(q.query, undefined, abort.signal)));
      if (!this.running || abort.signal.aborted) return;
      const fleet = this.answers(
        plan,
        answers.map((a) => a.data),
        targets,
      );
      this.assembler ??= new FleetAssembler({
        cluster: this.opts.cluster ?? 'default',
        intervalMs: this.intervalMs,
        ...(this.opts.nodeLabel ? { nodeLabel: this.opts.nodeLabel } : {}),
      });
      const { messages, problems } = this.assembler.assemble(fleet);
      for (const problem of problems) this.keeper.addProblem('series-limit', problem);
      if (plan.length === 1) {
        this.keeper.setPresence(
          'live',
          'Prometheus holds no DCGM, nvidia_gpu_exporter, NPU exporter, Osprey or engine series',
        );
      } else {
        this.keeper.setPresence('live');
      }
      this.failures = 0;
      if (messages.length > 0) {
        const batch = { messages, receivedAt: this.now() };
        for (const listener of this.listeners) listener(batch);
      }
      this.schedule(this.intervalMs - (this.now() - started));
    } catch (error) {
      if (!this.running || abort.signal.aborted) return;
      this.failures += 1;
      const delay = Math.max(backoffDelay(this.failures), Math.min(this.intervalMs, 10_000));
      const why = error instanceof Error ? error.message : String(error);
      this.keeper.setPresence(
        this.failures === 1 && this.keeper.status.presence.state === 'connecting'
          ? 'connecting'
          : 'reconnecting',
        `${why}; retrying in ${Math.max(1, Math.round(delay / 1000))} s`,
        true,
      );
      this.schedule(delay);
    }
  }

  private schedule(ms: number): void {
    if (!this.running) return;
    this.cancelTimer = this.setTimer(() => void this.refresh(), Math.max(0, ms));
  }

  private answers(
    plan: readonly FleetQuery[],
    data: readonly QueryData[],
    targets: readonly ScrapeTarget[] | undefined,
  ): FleetAnswers {
    const out: FleetAnswers & { devices: FleetAnswers['devices'][number][] } = {
      evalTime: this.now(),
      devices: [],
      engines: [],
      targets: [],
    };
    const engines = new Map<string, FleetAnswers['engines'][number]>();
    const engine = (family: string) => {
      let e = engines.get(family);
      if (!e) {
        e = { family, title: ENGINE_TITLES[family] ?? family, series: [], quantities: new Map() };
        engines.set(family, e);
      }
      return e;
    };
    const jobs = new Set<string>();
    const matrix = (d: QueryData): MatrixSeries[] => {
      const list = d.resultType === 'matrix' ? d.result : [];
      for (const s of list) if (s.metric.job) jobs.add(s.metric.job);
      return list;
    };
    plan.forEach((q, i) => {
      const d = data[i]!;
      switch (q.kind) {
        case 'device':
          out.devices.push({ exporter: q.exporter, series: matrix(d) });
          return;
        case 'engine': {
          const e = engine(q.family);
          engines.set(q.family, { ...e, series: matrix(d), quantities: q.quantities });
          return;
        }
        case 'engineTtft': {
          const e = engine(q.family);
          if (d.resultType === 'vector') engines.set(q.family, { ...e, ttftP99: d.result });
          return;
        }
        case 'up': {
          if (d.resultType !== 'vector') return;
          const errors = new Map(
            (targets ?? []).map((t) => [`${t.labels.job}\u0000${t.labels.instance}`, t.lastError]),
          );
          if (d.result[0]) out.evalTime = d.result[0].time;
          out.targets = d.result
            .filter((s) => jobs.has(s.metric.job ?? '') || this.jobs.has(s.metric.job ?? ''))
            .map((s) => {
              const lastError = errors.get(`${s.metric.job}\u0000${s.metric.instance}`);
              return {
                labels: s.metric,
                up: s.value === 1,
                ...(lastError ? { lastError } : {}),
              };
            });
          return;
        }
      }
    });
    out.engines = [...engines.values()];
    for (const j of jobs) this.jobs.add(j);
    return out;
  }
}
