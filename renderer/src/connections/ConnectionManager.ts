/**
 * The console's cluster connections: the saved list (from the platform: the local server or the
 * desktop main process), and for each one a running source feeding its own store, so every entry
 * in the sidebar shows a real presence and a view opened later starts from what is known.
 *
 * The list is held in memory only. Secrets never pass through here: each source asks the platform
 * for its secret when it connects. Saving a changed connection replaces its source; an unchanged
 * one keeps running.
 */
import type { ConnectionInput, ConnectionSummary, Platform } from '../platform/Platform.js';
import type { SecretProvider } from '../sources/NatsSource.js';
import {
  PortPrometheusSource,
  type PrometheusPort,
} from '../sources/prometheus/PrometheusSource.js';
import { PrometheusFill } from '../sources/PrometheusFill.js';
import type { Source } from '../sources/Source.js';
import { FlightRecorder } from '../recording/FlightRecorder.js';
import {
  capabilities,
  type NatsSourceFactory,
  type PrometheusFleetSourceFactory,
  type SourceCapabilities,
} from '../sources/SourceFactory.js';
import { FLEET_STORE_OPTIONS, LiveStore } from '../store/LiveStore.js';

export interface ClusterConnection {
  config: ConnectionSummary;
  /**
   * NATS when the connection has a URL, else the fleet from its Prometheus (where a factory for
   * it is given); absent for a Prometheus-only connection without one (history only).
   */
  source: Source | undefined;
  store: LiveStore;
  /** The last minutes of the source's messages, for "save the last N minutes" (recording/). */
  recorder?: FlightRecorder | undefined;
  /** What the page may offer: the factory's, or Prometheus history only without a NATS source. */
  capabilities: SourceCapabilities;
}

export interface ConnectionsSnapshot {
  /** False until the first list arrived (or failed). */
  loaded: boolean;
  /** Why the list could not be read, e.g. the server's refusal. */
  error?: string;
  connections: readonly ClusterConnection[];
}

export type ConnectionsPlatform = Pick<
  Platform,
  'listConnections' | 'saveConnection' | 'removeConnection' | 'getConnectionSecret'
>;

/** A connection without a NATS URL: only its Prometheus's history, nothing to record. */
const PROMETHEUS_ONLY = capabilities('history');

// The fleet's sources keep no AnswerLog: recordings take the fleet as messages (FlightRecorder),
// and the Latency view's answers from its own source.

export class ConnectionManager {
  private current: ConnectionsSnapshot = { loaded: false, connections: [] };
  private readonly listeners = new Set<() => void>();
  /** Bumped by dispose(), so a list that arrives afterwards starts nothing. */
  private generation = 0;

  constructor(
    private readonly platform: ConnectionsPlatform,
    /** The only maker of the connections' sources (defaultSourceFactories; tests inject fakes). */
    readonly factory: NatsSourceFactory,
    /** The live fleet of Prometheus-only connections, asked through `port`. */
    private readonly prometheusFleet?: {
      factory: PrometheusFleetSourceFactory;
      port: PrometheusPort;
    },
  ) {}

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): ConnectionsSnapshot => this.current;

  find(id: string): ClusterConnection | undefined {
    return this.current.connections.find((c) => c.config.id === id);
  }

  /** Reads the saved list and starts a source for each connection (again after dispose()). */
  async load(): Promise<void> {
    const generation = this.generation;
    try {
      const list = await this.platform.listConnections();
      if (generation === this.generation) this.reconcile(list);
    } catch (error) {
      if (generation !== this.generation) return;
      this.update({ ...this.current, loaded: true, error: (error as Error).message });
    }
  }

  /** Saves through the platform (which validates again) and restarts the connection if it changed. */
  async save(input: ConnectionInput, id?: string): Promise<ConnectionSummary> {
    const saved = await this.platform.saveConnection(input, id);
    const list = this.current.connections.map((c) => c.config);
    // A new secret changes nothing in the summary, so the source must restart regardless.
    this.reconcile(
      id === undefined ? [...list, saved] : list.map((c) => (c.id === saved.id ? saved : c)),
      input.secret !== undefined ? saved.id : undefined,
    );
    return saved;
  }

  async remove(id: string): Promise<void> {
    await this.platform.removeConnection(id);
    this.reconcile(this.current.connections.map((c) => c.config).filter((c) => c.id !== id));
  }

  /** The stored secret of a saved connection, for a test that keeps it. */
  storedSecret(id: string): SecretProvider {
    return () => this.platform.getConnectionSecret(id);
  }

  /** Stops every source; load() may start them again (React's StrictMode does exactly that). */
  dispose(): void {
    this.generation += 1;
    for (const c of this.current.connections) c.source?.stop();
    this.update({ loaded: false, connections: [] });
  }

  private reconcile(list: readonly ConnectionSummary[], restartId?: string): void {
    const old = new Map(this.current.connections.map((c) => [c.config.id, c]));
    const next = list.map((config) => {
      const existing = old.get(config.id);
      old.delete(config.id);
      // A source that stopped for good (refused credentials, say) gets a fresh start on save.
      const stopped = existing?.source?.status.presence.state === 'error';
      if (existing && !stopped && config.id !== restartId && sameConfig(existing.config, config)) {
        return existing;
      }
      existing?.source?.stop();
      // Every cluster of a server: node names are only unique within a cluster.
      const store = new LiveStore({ ...FLEET_STORE_OPTIONS, qualifyNodes: !config.cluster });
      const fleet = this.fleetFromPrometheus(config);
      let source: Source;
      let caps: SourceCapabilities;
      if (config.natsUrl !== undefined) {
        const nats = this.factory.create({ config, secret: this.storedSecret(config.id) });
        source = fleet ? new PrometheusFill(nats, fleet) : nats;
        caps = this.factory.capabilities;
      } else if (fleet) {
        source = fleet;
        caps = this.prometheusFleet!.factory.capabilities;
      } else {
        return { config, source: undefined, store, capabilities: PROMETHEUS_ONLY };
      }
      source.subscribe((batch) => store.ingest(batch));
      const recorder = new FlightRecorder();
      source.subscribe(recorder.ingest);
      source.start();
      return { config, source, store, recorder, capabilities: caps };
    });
    for (const gone of old.values()) gone.source?.stop();
    this.update({ loaded: true, connections: next });
  }

  /** The fleet read from the connection's Prometheus, where it has one and a factory is given. */
  private fleetFromPrometheus(config: ConnectionSummary): Source | undefined {
    if (!config.prometheus || !this.prometheusFleet) return undefined;
    const { factory, port } = this.prometheusFleet;
    return factory.create({ config, prometheus: new PortPrometheusSource(port, config.id) });
  }

  private update(next: ConnectionsSnapshot): void {
    this.current = next;
    for (const listener of this.listeners) listener();
  }
}

function sameConfig(a: ConnectionSummary, b: ConnectionSummary): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
