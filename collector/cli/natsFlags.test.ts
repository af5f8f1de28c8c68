import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Command } from 'commander';
import { afterAll, describe, expect, it } from 'vitest';

import { makeNkeyUser } from '../testing/natsCredentials.js';
import {
  addNatsFlags,
  natsClientOptions,
  parseByteSize,
  parseStreamAge,
  parseStreamBytes,
  type NatsFlagValues,
} from './natsFlags.js';

const dir = mkdtempSync(join(tmpdir(), 'osprey-nats-flags-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string): string => {
  writeFileSync(join(dir, name), text);
  return join(dir, name);
};

function parse(args: string[], env: NodeJS.ProcessEnv = {}) {
  const cmd = addNatsFlags(new Command('x').exitOverride());
  cmd.parse(args, { from: 'user' });
  return natsClientOptions(cmd.opts<NatsFlagValues>(), env);
}

describe('natsClientOptions', () => {
  it('is undefined without --nats, and refuses NATS flags given without it', () => {
    expect(parse([])).toBeUndefined();
    expect(() => parse(['--nats-user', 'a'])).toThrow('--nats-user needs --nats <url>');
    // a token in the environment alone is not an error: serve simply does not use NATS
    expect(parse([], { OSPREY_NATS_TOKEN: 't' })).toBeUndefined();
  });

  it('takes comma-separated servers and checks each URL', () => {
    expect(parse(['--nats', 'nats://a:4222, tls://b:4443,c'])?.servers).toEqual([
      'nats://a:4222',
      'tls://b:4443',
      'c',
    ]);
    expect(() => parse(['--nats', 'http://a:4222'])).toThrow(/"http:\/\/a:4222" is not a NATS URL/);
    expect(() => parse(['--nats', 'nats://a:99999'])).toThrow(/no valid port/);
    expect(() => parse(['--nats', 'nats://u:secret@a:4222'])).toThrow(/credentials in the URL/);
    expect(() => parse(['--nats', ' , '])).toThrow(/no server URL/);
  });

  it('reads secrets from the environment only when no flag chose another mode', () => {
    const env = { OSPREY_NATS_TOKEN: 'from-env', OSPREY_NATS_PASSWORD: 'pw-env' };
    expect(parse(['--nats', 'h'], env)).toEqual({ servers: ['h'], token: 'from-env' });
    expect(parse(['--nats', 'h', '--nats-user', 'u'], env)).toEqual({
      servers: ['h'],
      user: 'u',
      pass: 'pw-env',
    });
  });

  it('refuses two auth modes at once and half-given pairs', () => {
    expect(() => parse(['--nats', 'h', '--nats-token', 't', '--nats-user', 'u'])).toThrow(
      /choose one NATS authentication: --nats-token, --nats-user\/--nats-password/,
    );
    expect(() => parse(['--nats', 'h', '--nats-user', 'u'])).toThrow(/needs --nats-password/);
    expect(() => parse(['--nats', 'h', '--nats-password', 'p'])).toThrow(/needs --nats-user/);
    const pem = file('c.pem', '-----BEGIN CERTIFICATE-----\n');
    expect(() => parse(['--nats', 'h', '--nats-cert', pem])).toThrow(/go together/);
  });

  it('names the flag and the file when a file is missing or not what it should be', () => {
    expect(() => parse(['--nats', 'h', '--nats-creds', join(dir, 'nope.creds')])).toThrow(
      /--nats-creds: no such file: .*nope\.creds/,
    );
    const junk = file('junk.txt', 'hello\n');
    expect(() => parse(['--nats', 'h', '--nats-nkey', junk])).toThrow(
      /--nats-nkey: .*no NKey seed/,
    );
    expect(() => parse(['--nats', 'h', '--nats-creds', junk])).toThrow(/--nats-creds: .*JWT/);
    expect(() => parse(['--nats', 'h', '--nats-ca', junk])).toThrow(/--nats-ca: .*not a PEM file/);
    const user = makeNkeyUser(dir);
    expect(parse(['--nats', 'h', '--nats-nkey', user.seedFile])?.nkeySeedFile).toBe(user.seedFile);
  });
});

describe('parseByteSize', () => {
  it('reads binary sizes and refuses nonsense', () => {
    expect(parseByteSize('8MiB')).toBe(8 * 1024 * 1024);
    expect(parseByteSize('16KiB')).toBe(16384);
    expect(parseByteSize('1.5 GB')).toBe(1.5 * 1024 ** 3);
    expect(parseByteSize('65536')).toBe(65536);
    for (const bad of ['', 'lots', '10', '8 parsecs', '9GiB']) {
      expect(() => parseByteSize(bad)).toThrow(/not a size/);
    }
  });
});

describe('event stream limits', () => {
  it('reads --events-max-age as a duration and --events-max-bytes as a binary size', () => {
    expect(parseStreamAge('7d')).toBe(7 * 86_400_000);
    expect(parseStreamAge('1h30m')).toBe(5_400_000);
    expect(parseStreamBytes('256MiB')).toBe(256 * 1024 ** 2);
    expect(parseStreamBytes('1TiB')).toBe(1024 ** 4);
  });

  it('refuses ages under a minute and sizes under 1 MiB, naming the accepted range', () => {
    for (const bad of ['', '30s', '7', 'forever']) {
      expect(() => parseStreamAge(bad)).toThrow(/not a duration from 1m to 10y/);
    }
    for (const bad of ['', '512KiB', 'big', '2TiB']) {
      expect(() => parseStreamBytes(bad)).toThrow(/not a size from 1MiB to 1TiB/);
    }
  });
});
