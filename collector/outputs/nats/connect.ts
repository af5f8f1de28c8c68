/**
 * One way to open a NATS connection from Node (the agent and the simulator): TCP through
 * @nats-io/transport-node, the five auth modes of the CLI, TLS from files. After the first connect
 * the client reconnects forever (maxReconnectAttempts -1) with jitter, so a fleet of agents does not
 * hammer a restarted server in lockstep; the first connect is one attempt, and the caller decides
 * whether to retry (the agent does, see NatsPublisher).
 */
import { readFileSync } from 'node:fs';

import { credsAuthenticator, nkeyAuthenticator, nkeys } from '@nats-io/nats-core';
import type { Authenticator, NatsConnection } from '@nats-io/nats-core';
import { connect, type NodeConnectionOptions } from '@nats-io/transport-node';

export interface NatsClientOptions {
  servers: string[];
  token?: string;
  user?: string;
  pass?: string;
  nkeySeedFile?: string;
  credsFile?: string;
  tls?: { caFile?: string; certFile?: string; keyFile?: string };
  name?: string;
}

/** Bad configuration (missing file, not a seed…): names the option and the file. */
export class NatsConfigError extends Error {
  override name = 'NatsConfigError';
}

/** nats.js defaults are 2 s wait + ≤100 ms jitter (≤1 s on TLS); more spread for fleets. */
export const RECONNECT_WAIT_MS = 1000;
export const RECONNECT_JITTER_MS = 1000;

function readOption(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new NatsConfigError(`${what}: cannot read ${file}: ${(error as Error).message}`);
  }
}

/** A user seed (`SU…`, 58 base32 characters) anywhere in the file: nsc writes it alone on a line. */
export function readNkeySeed(file: string): Uint8Array {
  const text = readOption(file, 'NKey seed file');
  const seed = /\bS[A-Z][A-Z2-7]{56}\b/.exec(text)?.[0];
  try {
    if (!seed) throw new Error('no seed found');
    nkeys.fromSeed(new TextEncoder().encode(seed));
  } catch {
    throw new NatsConfigError(`NKey seed file ${file}: no NKey seed in it (expected a line SU…)`);
  }
  return new TextEncoder().encode(seed);
}

/** Checks a creds file now so a typo fails at start, not at the first reconnect. */
export function readCredsFile(file: string): Uint8Array {
  const text = readOption(file, 'creds file');
  const blocks = /-{3,}[^\n]*BEGIN[^\n]*-{3,}\s*\n[\s\S]*?\n\s*-{3,}[^\n]*END[^\n]*-{3,}/g;
  if ((text.match(blocks) ?? []).length < 2) {
    throw new NatsConfigError(
      `creds file ${file}: expected a user JWT block and an NKey seed block (as nsc writes them)`,
    );
  }
  return new TextEncoder().encode(text);
}

function authenticator(o: NatsClientOptions): Authenticator | undefined {
  if (o.credsFile) {
    const file = o.credsFile;
    readCredsFile(file);
    // Re-read at every (re)connect, so rotated credentials are picked up without a restart.
    return credsAuthenticator(() => readCredsFile(file));
  }
  if (o.nkeySeedFile) return nkeyAuthenticator(readNkeySeed(o.nkeySeedFile));
  return undefined;
}

/** The transport-node options for `o` (reads and checks the files it names). */
export function natsConnectionOptions(o: NatsClientOptions): NodeConnectionOptions {
  const auth = authenticator(o);
  const wantsTls = o.servers.some((s) => s.toLowerCase().startsWith('tls://'));
  for (const [what, file] of Object.entries(o.tls ?? {})) {
    if (file) readOption(file, `TLS ${what}`);
  }
  return {
    servers: o.servers,
    name: o.name ?? 'osprey',
    ...(o.token !== undefined ? { token: o.token } : {}),
    ...(o.user !== undefined ? { user: o.user, pass: o.pass } : {}),
    ...(auth ? { authenticator: auth } : {}),
    ...(o.tls || wantsTls ? { tls: { ...o.tls } } : {}),
    maxReconnectAttempts: -1,
    reconnectTimeWait: RECONNECT_WAIT_MS,
    reconnectJitter: RECONNECT_JITTER_MS,
    reconnectJitterTLS: RECONNECT_JITTER_MS,
    // An agent must come back after a server restart with new accounts, not give up after two
    // identical auth errors (the nats.js default).
    ignoreAuthErrorAbort: true,
    timeout: 5000,
    // A silently dead link (no RST, e.g. a partition) is noticed after 2 unanswered pings: ~40 s
    // instead of nats.js's 2 × 2 min, so messages go to our bounded buffer instead of a dead socket.
    pingInterval: 20_000,
    maxPingOut: 2,
  };
}

export async function connectNats(opts: NatsClientOptions): Promise<NatsConnection> {
  return connect(natsConnectionOptions(opts));
}

/** Server URLs without any user-info, for logs and status lines. */
export function describeServers(servers: readonly string[]): string {
  return servers.map((s) => s.replace(/\/\/[^@/]*@/, '//')).join(', ');
}
