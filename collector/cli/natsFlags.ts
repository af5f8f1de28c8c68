/**
 * The NATS connection flags shared by `serve` and `simulate`. Secrets may come from the
 * environment (OSPREY_NATS_TOKEN, OSPREY_NATS_PASSWORD) so they stay out of `ps` listings.
 * Every rejection names the flag; values of secrets are never echoed.
 */
import { existsSync, readFileSync } from 'node:fs';

import { InvalidArgumentError, type Command } from 'commander';

import { parseDurationMs } from '../core/prometheus/payloads.js';
import { readCredsFile, readNkeySeed, type NatsClientOptions } from '../outputs/nats/connect.js';
import { CliError } from './buildCollector.js';

export interface NatsFlagValues {
  nats?: string;
  natsToken?: string;
  natsUser?: string;
  natsPassword?: string;
  natsNkey?: string;
  natsCreds?: string;
  natsCa?: string;
  natsCert?: string;
  natsKey?: string;
}

export function addNatsFlags(cmd: Command): Command {
  return cmd
    .option(
      '--nats <url>',
      'NATS server(s) to publish to: nats://host:4222 or tls://host:4222, comma-separated',
    )
    .option('--nats-token <token>', 'NATS token auth (or env OSPREY_NATS_TOKEN)')
    .option('--nats-user <user>', 'NATS user (with --nats-password)')
    .option('--nats-password <password>', 'NATS password (or env OSPREY_NATS_PASSWORD)')
    .option('--nats-nkey <file>', 'NATS NKey auth: file holding the user seed (SU…)')
    .option('--nats-creds <file>', 'NATS JWT auth: a .creds file (as written by nsc)')
    .option('--nats-ca <file>', 'CA certificate (PEM) to verify the NATS server with')
    .option('--nats-cert <file>', 'client certificate (PEM) for mutual TLS (with --nats-key)')
    .option('--nats-key <file>', 'client private key (PEM) for mutual TLS (with --nats-cert)');
}

const FLAG_NAMES: Record<Exclude<keyof NatsFlagValues, 'nats'>, string> = {
  natsToken: '--nats-token',
  natsUser: '--nats-user',
  natsPassword: '--nats-password',
  natsNkey: '--nats-nkey',
  natsCreds: '--nats-creds',
  natsCa: '--nats-ca',
  natsCert: '--nats-cert',
  natsKey: '--nats-key',
};

export function parseNatsServers(value: string): string[] {
  const servers = value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  if (servers.length === 0) throw new CliError('--nats: no server URL given');
  for (const s of servers) {
    const m = /^(?:([a-z]+):\/\/)?([^/?#]+)\/?$/i.exec(s);
    const scheme = m?.[1]?.toLowerCase();
    if (!m || (scheme !== undefined && scheme !== 'nats' && scheme !== 'tls')) {
      throw new CliError(
        `--nats: "${s}" is not a NATS URL (expected nats://host:port or tls://host:port)`,
      );
    }
    if (m[2]!.includes('@')) {
      throw new CliError(
        '--nats: credentials in the URL are not accepted (they would show in logs and `ps`); ' +
          'use --nats-user/--nats-password or --nats-token',
      );
    }
    const port = /:(\d+)$/.exec(m[2]!)?.[1];
    if (port !== undefined && (Number(port) < 1 || Number(port) > 65535)) {
      throw new CliError(`--nats: "${s}" has no valid port (1–65535)`);
    }
  }
  return servers;
}

function checkFile(flag: string, file: string, read?: (file: string) => unknown): string {
  if (!existsSync(file)) throw new CliError(`${flag}: no such file: ${file}`);
  try {
    read?.(file);
  } catch (error) {
    throw new CliError(`${flag}: ${(error as Error).message}`);
  }
  return file;
}

function readPem(file: string): void {
  if (!readFileSync(file, 'utf8').includes('-----BEGIN ')) {
    throw new Error(`${file} is not a PEM file (no -----BEGIN line)`);
  }
}

/** The client options for the given flags, or undefined without --nats. */
export function natsClientOptions(
  opts: NatsFlagValues,
  env: NodeJS.ProcessEnv = process.env,
): NatsClientOptions | undefined {
  if (!opts.nats) {
    const given = (Object.keys(FLAG_NAMES) as (keyof typeof FLAG_NAMES)[]).find(
      (k) => opts[k] !== undefined,
    );
    if (given) throw new CliError(`${FLAG_NAMES[given]} needs --nats <url>`);
    return undefined;
  }
  const servers = parseNatsServers(opts.nats);
  const explicitAuth = [
    opts.natsToken !== undefined && '--nats-token',
    (opts.natsUser !== undefined || opts.natsPassword !== undefined) &&
      '--nats-user/--nats-password',
    opts.natsNkey !== undefined && '--nats-nkey',
    opts.natsCreds !== undefined && '--nats-creds',
  ].filter((x): x is string => typeof x === 'string');
  if (explicitAuth.length > 1) {
    throw new CliError(`choose one NATS authentication: ${explicitAuth.join(', ')} were all given`);
  }
  const out: NatsClientOptions = { servers };
  // Environment secrets apply only when no flag chose another mode.
  const token = opts.natsToken ?? (explicitAuth.length === 0 ? env.OSPREY_NATS_TOKEN : undefined);
  if (token !== undefined) {
    if (token === '') throw new CliError('--nats-token: the token is empty');
    out.token = token;
  }
  if (opts.natsUser !== undefined || opts.natsPassword !== undefined) {
    if (!opts.natsUser) throw new CliError('--nats-password needs --nats-user');
    const pass = opts.natsPassword ?? env.OSPREY_NATS_PASSWORD;
    if (pass === undefined) {
      throw new CliError('--nats-user needs --nats-password (or env OSPREY_NATS_PASSWORD)');
    }
    out.user = opts.natsUser;
    out.pass = pass;
  }
  if (opts.natsNkey !== undefined) {
    out.nkeySeedFile = checkFile('--nats-nkey', opts.natsNkey, readNkeySeed);
  }
  if (opts.natsCreds !== undefined) {
    out.credsFile = checkFile('--nats-creds', opts.natsCreds, readCredsFile);
  }
  if ((opts.natsCert === undefined) !== (opts.natsKey === undefined)) {
    throw new CliError('--nats-cert and --nats-key go together (mutual TLS needs both)');
  }
  if (opts.natsCa !== undefined || opts.natsCert !== undefined) {
    out.tls = {};
    const t = out.tls;
    if (opts.natsCa !== undefined) t.caFile = checkFile('--nats-ca', opts.natsCa, readPem);
    if (opts.natsCert !== undefined) t.certFile = checkFile('--nats-cert', opts.natsCert, readPem);
    if (opts.natsKey !== undefined) t.keyFile = checkFile('--nats-key', opts.natsKey, readPem);
  }
  return out;
}

const UNITS: Record<string, number> = { '': 1, b: 1, k: 1024, kb: 1024, kib: 1024 };
UNITS.m = UNITS.mb = UNITS.mib = 1024 ** 2;
UNITS.g = UNITS.gb = UNITS.gib = 1024 ** 3;

UNITS.t = UNITS.tb = UNITS.tib = 1024 ** 4;

function bytesOf(value: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(value.trim());
  const unit = m ? UNITS[m[2]!.toLowerCase()] : undefined;
  return m && unit ? Math.round(Number(m[1]) * unit) : NaN;
}

/** `--nats-buffer 8MiB`: binary units whatever the spelling (KB = KiB), 4 KiB to 4 GiB. */
export function parseByteSize(value: string): number {
  const bytes = bytesOf(value);
  if (!(bytes >= 4096 && bytes <= 4 * 1024 ** 3)) {
    throw new InvalidArgumentError(`"${value}" is not a size from 4KiB to 4GiB (e.g. 8MiB).`);
  }
  return bytes;
}

/** `--events-max-bytes 256MiB`: the event stream's size limit, 1 MiB to 1 TiB. */
export function parseStreamBytes(value: string): number {
  const bytes = bytesOf(value);
  if (!(bytes >= 1024 ** 2 && bytes <= 1024 ** 4)) {
    throw new InvalidArgumentError(`"${value}" is not a size from 1MiB to 1TiB (e.g. 256MiB).`);
  }
  return bytes;
}

/** `--events-max-age 7d`: how long the event stream keeps an event, 1 min to 10 years. */
export function parseStreamAge(value: string): number {
  const ms = parseDurationMs(value.trim());
  if (ms === undefined || !(ms >= 60_000 && ms <= 10 * 365 * 86_400_000)) {
    throw new InvalidArgumentError(
      `"${value}" is not a duration from 1m to 10y (e.g. 7d, 36h, 90m).`,
    );
  }
  return ms;
}
