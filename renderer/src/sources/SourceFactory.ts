/**
 * Every source the console can show comes from a factory (issue 11, item 2), as Lichtblick's
 * data-source factories: what kind it is, what it is called, what it can do, and how to make one.
 * The shell is given the list (`<App sources={…}>`; tests inject fakes) and shows only what the
 * active source can do: the player bar only where `seek`, the Latency tab only where `history`,
 * Record only where `record`.
 */
import type { ConnectionConfig } from '../../../collector/core/connections/schema.js';
import type { CollectorEndpoint, OpenedFile } from '../platform/Platform.js';
import type { NatsSource, SecretProvider } from './NatsSource.js';
import type { PrometheusSource } from './prometheus/PrometheusSource.js';
import type { Source } from './Source.js';

export interface SourceCapabilities {
  /** Jump to any time of the source (recordings). */
  seek: boolean;
  /** Play faster or slower than real time (recordings). */
  playbackSpeed: boolean;
  /** Range queries over the past (a Prometheus beside the source). */
  history: boolean;
  /** CPU/GPU profiles on demand (later issues: flame graphs). */
  profiles: boolean;
  /** Annotations published back to the cluster (later issues: war room). */
  publishAnnotations: boolean;
  /** What the source shows can be recorded to a snapshot. */
  record: boolean;
}

export type SourceCapability = keyof SourceCapabilities;

export const NO_CAPABILITIES: SourceCapabilities = {
  seek: false,
  playbackSpeed: false,
  history: false,
  profiles: false,
  publishAnnotations: false,
  record: false,
};

export function capabilities(...names: SourceCapability[]): SourceCapabilities {
  const out = { ...NO_CAPABILITIES };
  for (const name of names) out[name] = true;
  return out;
}

interface FactoryBase<K extends 'live' | 'recorded', Args, Made> {
  readonly id: string;
  readonly kind: K;
  readonly displayName: string;
  readonly capabilities: SourceCapabilities;
  create(args: Args): Made;
}

/** The embedded or local collector (`osprey serve`), over its WebSocket stream. */
export type LocalSourceFactory = FactoryBase<'live', CollectorEndpoint, Source>;

/**
 * A saved NATS cluster connection; `secret` is fetched at connect time (a provider asks the
 * platform), never stored here.
 */
export type NatsSourceFactory = FactoryBase<
  'live',
  { config: ConnectionConfig; secret: SecretProvider | string | null },
  NatsSource
>;

/**
 * A saved connection with Prometheus and no NATS URL: the live fleet read from the exporters'
 * series (PrometheusFleetSource), through the connection's Prometheus.
 */
export type PrometheusFleetSourceFactory = FactoryBase<
  'live',
  { config: ConnectionConfig; prometheus: PrometheusSource },
  Source
>;

/**
 * Something a file can be opened as. `create` never reads the file: the recording it returns
 * opens (and fails, with the reason) when it is initialized.
 */
export interface FileSourceFactory<Made = unknown> extends FactoryBase<
  'recorded',
  OpenedFile,
  Made
> {
  /** Extensions without the dot the Open dialog offers, e.g. `['mcap']`. */
  readonly extensions: readonly string[];
}

export type SourceFactory =
  LocalSourceFactory | NatsSourceFactory | PrometheusFleetSourceFactory | FileSourceFactory;

/** The factories the shell is given. */
export interface SourceFactories<Recording = unknown> {
  local: LocalSourceFactory;
  nats: NatsSourceFactory;
  /** Prometheus-only connections; without it they offer history only. */
  prometheusFleet?: PrometheusFleetSourceFactory;
  /** What "Open recording…", a dropped file and `serve --snapshot` open; the first that fits. */
  files: readonly FileSourceFactory<Recording>[];
}

/** The factory for a file by its extension; the first one when none matches (it will say why). */
export function factoryForFile<R>(
  files: readonly FileSourceFactory<R>[],
  name: string,
): FileSourceFactory<R> | undefined {
  const extension = name.slice(name.lastIndexOf('.') + 1).toLowerCase();
  return files.find((f) => f.extensions.includes(extension)) ?? files[0];
}
