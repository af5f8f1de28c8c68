import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';

import { CollectorServer } from '../outputs/CollectorServer.js';
import { newToken } from '../outputs/token.js';
import { createSystemRunner, killRunningTools } from '../probes/systemRunner.js';
import { buildCollector, CliError } from './buildCollector.js';
import { natsClientOptions, type NatsFlagValues } from './natsFlags.js';
import type { ReplaySpec } from './options.js';
import type { EventHistoryOptions } from '../outputs/nats/NatsPublisher.js';

export interface ServeOptions extends NatsFlagValues {
  host: string;
  /** More Host names the console, /api and /stream answer to (--allow-host). */
  allowHost?: string[];
  port: number;
  token?: string;
  interval: number;
  ui: boolean;
  exitWithStdin?: boolean;
  node?: string;
  cluster?: string;
  /** bytes held while NATS is unreachable (default 8 MiB) */
  natsBuffer?: number;
  /** The JetStream event stream's limits when this agent creates it (--events-max-age/-bytes). */
  eventsMaxAge?: number;
  eventsMaxBytes?: number;
  /** false with --no-events-history: events on NATS core only. */
  eventsHistory?: boolean;
  replay: ReplaySpec[];
  /** Where the web console's cluster connections are kept (default ~/.config/osprey). */
  configDir?: string;
  /** Snapshot file recording this collector's own messages (--record). */
  record?: string;
  /** Osprey's version, written into a --record snapshot. */
  version?: string;
  /** A snapshot file the console opens at start (--snapshot), served at /api/snapshot. */
  snapshot?: string;
  /**
   * Answer profile requests from NATS (--allow-profiling): py-spy and perf read other processes'
   * memory, so a node agent does it only when told. The local console API (token-protected, this
   * machine's user) captures either way.
   */
  allowProfiling?: boolean;
}

/** dist/collector/cli/serve.js → dist/renderer */
const UI_ROOT = fileURLToPath(new URL('../../renderer/', import.meta.url));

export async function runServe(opts: ServeOptions): Promise<number> {
  const token = opts.token ?? newToken();
  const uiRoot = opts.ui ? UI_ROOT : undefined;
  if (uiRoot && !existsSync(uiRoot)) {
    throw new CliError(
      `the web console is not built (${uiRoot} missing): run \`npm run build\`, or pass --no-ui`,
    );
  }
  const nats = natsClientOptions(opts);
  if (!nats && opts.natsBuffer !== undefined) {
    throw new CliError('--nats-buffer needs --nats <url>');
  }
  for (const [flag, value] of [
    ['--events-max-age', opts.eventsMaxAge],
    ['--events-max-bytes', opts.eventsMaxBytes],
  ] as const) {
    if (value === undefined) continue;
    if (!nats) throw new CliError(`${flag} needs --nats <url>`);
    if (opts.eventsHistory === false)
      throw new CliError(`${flag} and --no-events-history conflict`);
  }
  if (opts.cluster !== undefined && opts.cluster.trim() === '') {
    throw new CliError('--cluster: the cluster name is empty');
  }
  const collector = await buildCollector({
    intervalMs: opts.interval,
    replay: opts.replay,
    node: opts.node,
    cluster: opts.cluster ?? 'default',
  });
  // The console API, the NATS client and the protocol's schemas (TypeBox) are loaded only when
  // used: together ~25 MB of RSS a headless collector without NATS does not need (BENCHMARKS.md,
  // "2026-12-02: bounded collector").
  const capturer =
    uiRoot || (nats && opts.allowProfiling)
      ? new (await import('../profiling/ProfileCapturer.js')).ProfileCapturer({
          runner: createSystemRunner(),
          node: collector.ref.node,
        })
      : undefined;
  const consoleApi = uiRoot
    ? (await import('../outputs/api/consoleApi.js')).createConsoleApi(
        opts.configDir,
        token,
        capturer,
      )
    : undefined;
  if (opts.snapshot !== undefined && !uiRoot) {
    throw new CliError('--snapshot needs the web console: drop --no-ui');
  }
  if (opts.snapshot !== undefined && !existsSync(opts.snapshot)) {
    throw new CliError(`--snapshot: ${opts.snapshot} does not exist`);
  }
  const api = consoleApi
    ? await (async () => {
        const snapshotApi = await import('../outputs/api/snapshotApi.js');
        const route =
          opts.snapshot !== undefined
            ? snapshotApi.createSnapshotApi(opts.snapshot, token)
            : snapshotApi.createNoSnapshotApi(token);
        return snapshotApi.withSnapshot(route, consoleApi);
      })()
    : undefined;
  const server = new CollectorServer({
    collector,
    node: collector.ref.node,
    host: opts.host,
    port: opts.port,
    token,
    allowHost: opts.allowHost ?? [],
    uiRoot,
    ...(api ? { api } : {}),
  });
  // Listening first: the probes start after, so a tool that hangs never delays /healthz or the
  // console (issue 10: a hanging nvidia-smi held the listener ~10 s).
  let url: string;
  try {
    ({ url } = await server.listen());
  } catch (error) {
    throw new CliError(`cannot listen on ${opts.host}:${opts.port}: ${(error as Error).message}`);
  }
  // Subscribed before the first tick, so the snapshot starts with the first inventory.
  const recorder = opts.record
    ? await (
        await import('../snapshot/Recorder.js')
      ).FileRecorder.create(opts.record, {
        version: opts.version ?? 'unknown',
        recordedBy: 'osprey serve',
        createdAt: new Date().toISOString(),
        connection: 'local collector',
        cluster: collector.ref.cluster,
        redacted: false,
      })
    : undefined;
  const stopRecording = recorder
    ? collector.subscribe((m) => recorder.add(Date.now(), m))
    : undefined;
  // Subscribed before the first tick so NATS gets it too; connects in the background.
  const agent = nats
    ? (await import('../outputs/nats/NatsPublisher.js')).createNatsPublisher({
        collector,
        client: nats,
        buffer: opts.natsBuffer !== undefined ? { maxBytes: opts.natsBuffer } : undefined,
        ...(opts.eventsHistory !== false
          ? { eventHistory: await eventHistoryOptions(opts, collector.ref) }
          : {}),
      })
    : undefined;
  agent?.start();
  // Answered with or without --allow-profiling: without, each request gets the refusal naming the
  // flag, so a console is told why instead of waiting out its timeout.
  const profiles = nats
    ? new (await import('../profiling/NatsProfileResponder.js')).NatsProfileResponder({
        client: nats,
        cluster: collector.ref.cluster,
        node: collector.ref.node,
        capturer: opts.allowProfiling ? capturer : undefined,
      })
    : undefined;
  profiles?.start();
  await collector.start();
  if (uiRoot) console.log(`Osprey console: ${url}/#token=${token}`);
  if (opts.snapshot !== undefined) console.log(`Snapshot offered to the console: ${opts.snapshot}`);
  console.log(
    `Metrics: ${url}/metrics   Stream: ${url.replace('http', 'ws')}/stream (token required)`,
  );
  if (nats) {
    const { subjectFor } = await import('../core/protocol/subjects.js');
    const { describeServers } = await import('../outputs/nats/connect.js');
    const { cluster, node } = collector.ref;
    const subjects = subjectFor('metrics', cluster, node).replace('.metrics.', '.*.');
    console.log(
      `NATS: cluster "${cluster}", node "${node}" → ${subjects} on ${describeServers(nats.servers)}`,
    );
  }
  if (opts.host !== '127.0.0.1' && opts.host !== 'localhost' && opts.host !== '::1') {
    console.log(
      `Listening beyond loopback: /metrics and the console are readable by anyone who can reach ${opts.host}.`,
    );
    console.log(
      `The console answers to the Host names localhost, 127.0.0.1, [::1], ${opts.host}${(opts.allowHost ?? []).map((h) => `, ${h}`).join('')}; add others with --allow-host NAME.`,
    );
  }
  // One machine-readable line for the desktop shell (or a script) that starts us as a child
  // process; people at a terminal have the line above.
  if (!process.stdout.isTTY) console.log(`OSPREY_READY ${JSON.stringify({ url, token })}`);

  await new Promise<void>((resolve) => {
    const stop = (): void => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    if (opts.exitWithStdin) {
      process.stdin.on('end', stop).on('close', stop).resume();
    }
  });
  await server.close();
  capturer?.cancelAll();
  await profiles?.stop();
  await agent?.stop();
  // A tool still hanging would hold the exit for its timeout (up to 10 s).
  killRunningTools();
  await collector.stop();
  stopRecording?.();
  await recorder?.close();
  // A stdin we were watching would otherwise keep the event loop, and so the process, alive.
  if (opts.exitWithStdin) process.stdin.destroy();
  return 0;
}

async function eventHistoryOptions(
  opts: ServeOptions,
  ref: { cluster: string; node: string },
): Promise<EventHistoryOptions> {
  const { DEFAULT_EVENT_STREAM_LIMITS } = await import('../core/protocol/eventStream.js');
  const { subjectFor } = await import('../core/protocol/subjects.js');
  return {
    limits: {
      maxAgeMs: opts.eventsMaxAge ?? DEFAULT_EVENT_STREAM_LIMITS.maxAgeMs,
      maxBytes: opts.eventsMaxBytes ?? DEFAULT_EVENT_STREAM_LIMITS.maxBytes,
    },
    subject: subjectFor('events', ref.cluster, ref.node),
  };
}
