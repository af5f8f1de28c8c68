import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';

import { subjectFor } from '../core/protocol/subjects.js';
import { createConsoleApi } from '../outputs/api/consoleApi.js';
import { CollectorServer } from '../outputs/CollectorServer.js';
import { describeServers } from '../outputs/nats/connect.js';
import { createNatsPublisher } from '../outputs/nats/NatsPublisher.js';
import { newToken } from '../outputs/token.js';
import { buildCollector, CliError } from './buildCollector.js';
import { natsClientOptions, type NatsFlagValues } from './natsFlags.js';
import type { ReplaySpec } from './options.js';

export interface ServeOptions extends NatsFlagValues {
  host: string;
  port: number;
  token?: string;
  interval: number;
  ui: boolean;
  exitWithStdin?: boolean;
  node?: string;
  cluster?: string;
  /** bytes held while NATS is unreachable (default 8 MiB) */
  natsBuffer?: number;
  replay: ReplaySpec[];
  /** Where the web console's cluster connections are kept (default ~/.config/osprey). */
  configDir?: string;
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
  if (opts.cluster !== undefined && opts.cluster.trim() === '') {
    throw new CliError('--cluster: the cluster name is empty');
  }
  const collector = await buildCollector({
    intervalMs: opts.interval,
    replay: opts.replay,
    node: opts.node,
    cluster: opts.cluster ?? 'default',
  });
  // Subscribed before the first tick so NATS gets it too; connects in the background.
  const agent = nats
    ? createNatsPublisher({
        collector,
        client: nats,
        buffer: opts.natsBuffer !== undefined ? { maxBytes: opts.natsBuffer } : undefined,
      })
    : undefined;
  agent?.start();
  await collector.start();
  const server = new CollectorServer({
    collector,
    node: collector.ref.node,
    host: opts.host,
    port: opts.port,
    token,
    uiRoot,
    ...(uiRoot ? { api: createConsoleApi(opts.configDir, token) } : {}),
  });
  let url: string;
  try {
    ({ url } = await server.listen());
  } catch (error) {
    await agent?.stop();
    await collector.stop();
    throw new CliError(`cannot listen on ${opts.host}:${opts.port}: ${(error as Error).message}`);
  }
  if (uiRoot) console.log(`Osprey console: ${url}/#token=${token}`);
  console.log(
    `Metrics: ${url}/metrics   Stream: ${url.replace('http', 'ws')}/stream (token required)`,
  );
  if (nats) {
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
  await agent?.stop();
  await collector.stop();
  // A stdin we were watching would otherwise keep the event loop, and so the process, alive.
  if (opts.exitWithStdin) process.stdin.destroy();
  return 0;
}
