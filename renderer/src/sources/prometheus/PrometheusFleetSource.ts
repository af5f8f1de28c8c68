/**
 * A live fleet from Prometheus alone (issue 12): for clusters that run DCGM exporter,
 * nvidia_gpu_exporter, the NPU exporter, node_exporter and their engines' /metrics but no Osprey
 * agent. Every scrape interval it asks one instant query per exporter and engine family
 * (core/prometheus/exporters/fleetQueries.ts) plus `up` and the targets list, and hands the store
 * the inventory and metrics messages a NATS agent would have sent (FleetAssembler), so the fleet
 * heatmap, drawer and engines table work unchanged. Metric names are re-read every minute: an
 * exporter deployed later shows up without reconnecting.
 */
import {
  FleetPoller,
  type FleetPort,
} from '../../../../collector/core/prometheus/exporters/FleetPoller.js';
import { backoffDelay } from '../backoff.js';
import { browserScheduler, type FrameScheduler } from '../FrameBatcher.js';
import type { BatchListener, Source, SourceStatus } from '../Source.js';
import { StatusKeeper } from '../StatusKeeper.js';
import type { PrometheusSource } from './PrometheusSource.js';

export interface PrometheusFleetOptions {
  id: string;
  displayName: string;
  prometheus: PrometheusSource;
  /** Cluster name for series without a `cluster` label. */
  cluster?: string;
  /** A label to read node names from, before the built-in table. */
  nodeLabel?: string;
  now?: () => number;
  /** Timers: the browser's, or a test's. */
  scheduler?: Pick<FrameScheduler, 'setTimer'>;
}

export class PrometheusFleetSource implements Source {
  readonly kind = 'connection' as const;
  private readonly keeper: StatusKeeper;
  private readonly listeners = new Set<BatchListener>();
  private readonly now: () => number;
  private readonly scheduler: Pick<FrameScheduler, 'setTimer'>;
  private running = false;
  private cancelTimer: (() => void) | undefined;
  private abort: AbortController | undefined;
  private failures = 0;
  private readonly poller: FleetPoller;
  private readonly port: FleetPort<AbortSignal>;

  constructor(private readonly opts: PrometheusFleetOptions) {
    this.now = opts.now ?? Date.now;
    this.scheduler = opts.scheduler ?? browserScheduler;
    this.keeper = new StatusKeeper(this.now);
    this.poller = new FleetPoller({
      cluster: opts.cluster ?? 'default',
      ...(opts.nodeLabel ? { nodeLabel: opts.nodeLabel } : {}),
    });
    const p = opts.prometheus;
    this.port = {
      metricNames: async (signal) => (await p.labelValues('__name__', undefined, signal)).data,
      targets: (signal) =>
        p.targets(signal).then(
          (r) => r.data,
          (e: unknown) => {
            if (signal.aborted) throw e;
            return undefined;
          },
        ),
      query: async (query, signal) => (await p.query(query, undefined, signal)).data,
    };
  }

  /** The refresh interval in use (ms): the scrape interval of the fleet's targets. */
  get intervalMs(): number {
    return this.poller.intervalMs;
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
      const { messages, problems, empty } = await this.poller.refresh(
        this.port,
        abort.signal,
        started,
      );
      if (!this.running || abort.signal.aborted) return;
      for (const problem of problems) this.keeper.addProblem('series-limit', problem);
      this.keeper.setPresence(
        'live',
        empty
          ? 'Prometheus holds no DCGM, nvidia_gpu_exporter, NPU exporter, Osprey or engine series'
          : undefined,
      );
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
    this.cancelTimer = this.scheduler.setTimer(() => void this.refresh(), Math.max(0, ms));
  }
}
