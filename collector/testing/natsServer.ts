/**
 * Runs the real nats-server (/usr/sbin/nats-server, 2.9) for integration tests, from a config file
 * written to a temp dir. Ports are fixed at start so `restart()` comes back where clients expect
 * it (they reconnect to the same URL). Auth and TLS variants exist so the agent's flags are
 * exercised against the server's own checks, never a mock.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { freePort } from './freePort.js';

export const NATS_SERVER_BIN = process.env.NATS_SERVER_BIN ?? '/usr/sbin/nats-server';

/** Operator mode (JWT auth, what creds files are for): see natsCredentials.ts makeOperatorSetup. */
export interface NatsOperatorConfig {
  operatorJwt: string;
  accountPublicKey: string;
  accountJwt: string;
}

export interface NatsServerAuth {
  token?: string;
  /** user/password pairs */
  users?: { user: string; password: string }[];
  /** public user nkeys (U…) allowed to connect */
  nkeys?: string[];
  operator?: NatsOperatorConfig;
}

export interface NatsServerTls {
  certFile: string;
  keyFile: string;
  /** CA for client certificates; with `verify` the server demands one (mutual TLS). */
  caFile?: string;
  verify?: boolean;
}

export interface NatsServerOptions {
  websocket?: boolean;
  auth?: NatsServerAuth;
  tls?: NatsServerTls;
  port?: number;
  wsPort?: number;
  /** max_payload in bytes (server default 1 MiB); raise it to send consoles oversized messages. */
  maxPayload?: number;
  /** Start with JetStream (`nats-server -js`), stored in the server's temp dir across restarts. */
  jetstream?: boolean;
}

export interface NatsServer {
  /** nats://127.0.0.1:P (clients with TLS options upgrade the same URL) */
  url: string;
  wsUrl?: string;
  port: number;
  wsPort?: number;
  /** everything the server logged, for assertions on auth failures */
  log: string[];
  /** kills the server (SIGTERM, as an operator would) and removes its temp files */
  stop(): Promise<void>;
  /** starts again on the same ports with the same config, also after stop() */
  restart(): Promise<void>;
}

const q = (s: string): string => JSON.stringify(s);

export function natsConfig(
  port: number,
  wsPort: number | undefined,
  o: NatsServerOptions,
  storeDir?: string,
): string {
  const lines = [`listen: "127.0.0.1:${port}"`];
  if (o.jetstream) lines.push(`jetstream { store_dir: ${q(storeDir ?? 'jetstream')} }`);
  if (o.maxPayload !== undefined) lines.push(`max_payload: ${o.maxPayload}`);
  const auth = o.auth ?? {};
  const users = [
    ...(auth.users ?? []).map((u) => `{ user: ${q(u.user)}, password: ${q(u.password)} }`),
    ...(auth.nkeys ?? []).map((k) => `{ nkey: ${q(k)} }`),
  ];
  if (auth.token !== undefined) lines.push(`authorization { token: ${q(auth.token)} }`);
  if (users.length > 0) lines.push(`authorization { users: [ ${users.join(', ')} ] }`);
  if (auth.operator) {
    const op = auth.operator;
    lines.push(`operator: ${q(op.operatorJwt)}`, 'resolver: MEMORY');
    lines.push(`resolver_preload: { ${op.accountPublicKey}: ${q(op.accountJwt)} }`);
  }
  if (o.tls) {
    const t = o.tls;
    const ca = t.caFile ? `, ca_file: ${q(t.caFile)}` : '';
    const verify = t.verify ? ', verify: true' : '';
    lines.push(`tls { cert_file: ${q(t.certFile)}, key_file: ${q(t.keyFile)}${ca}${verify} }`);
  }
  if (wsPort !== undefined) {
    lines.push(`websocket { listen: "127.0.0.1:${wsPort}", no_tls: true }`);
  }
  return lines.join('\n') + '\n';
}

export async function startNatsServer(opts: NatsServerOptions = {}): Promise<NatsServer> {
  const port = opts.port ?? (await freePort());
  const wsPort = opts.websocket ? (opts.wsPort ?? (await freePort())) : undefined;
  const dir = mkdtempSync(join(tmpdir(), 'osprey-nats-'));
  const configFile = join(dir, 'nats.conf');
  const config = natsConfig(port, wsPort, opts, join(dir, 'jetstream'));
  const log: string[] = [];
  let child: ChildProcess | undefined;

  const launch = async (): Promise<void> => {
    // written at every start, so a restart after stop() (which cleans up) works too
    mkdirSync(dir, { recursive: true });
    writeFileSync(configFile, config);
    const proc = spawn(NATS_SERVER_BIN, ['-c', configFile], { stdio: ['ignore', 'pipe', 'pipe'] });
    child = proc;
    // A test process that dies without its afterAll must not leave the server running.
    const orphan = (): void => void proc.kill('SIGKILL');
    process.once('exit', orphan);
    proc.once('exit', () => process.off('exit', orphan));
    await waitReady(proc, log, `nats-server on port ${port}`);
  };
  const stop = async (): Promise<void> => {
    const proc = child;
    child = undefined;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    proc.kill('SIGTERM');
    await once(proc, 'exit');
  };

  await launch();
  return {
    url: `nats://127.0.0.1:${port}`,
    wsUrl: wsPort !== undefined ? `ws://127.0.0.1:${wsPort}` : undefined,
    port,
    wsPort,
    log,
    async stop() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
    async restart() {
      await stop();
      await launch();
    },
  };
}

/** nats-server prints "Server is ready" once every listener (client, websocket) is bound. */
async function waitReady(proc: ChildProcess, log: string[], what: string): Promise<void> {
  // a restart appends to the same log: only what this process printed counts
  const from = log.length;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`${what} not ready in 10 s:\n${log.join('')}`));
    }, 10_000);
    const onData = (d: string): void => {
      log.push(d);
      if (log.slice(from).join('').includes('Server is ready')) {
        clearTimeout(timer);
        resolve();
      }
    };
    proc.stdout!.setEncoding('utf8').on('data', onData);
    proc.stderr!.setEncoding('utf8').on('data', onData);
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${what} exited with ${code}:\n${log.join('')}`));
    });
  });
}
