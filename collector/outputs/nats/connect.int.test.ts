import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { makeNkeyUser, makeOperatorSetup, makeTlsFiles } from '../../testing/natsCredentials.js';
import { startNatsServer, type NatsServerOptions } from '../../testing/natsServer.js';
import { connectNats, type NatsClientOptions } from './connect.js';

const dir = mkdtempSync(join(tmpdir(), 'osprey-nats-auth-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Connects, round-trips one message through the server, closes. */
async function roundTrip(opts: NatsClientOptions): Promise<string> {
  const nc = await connectNats(opts);
  try {
    const sub = nc.subscribe('osprey.test', { max: 1 });
    nc.publish('osprey.test', 'hello');
    for await (const m of sub) return m.string();
    return 'no message';
  } finally {
    await nc.close();
  }
}

async function withServer(
  opts: NatsServerOptions,
  body: (url: string) => Promise<void>,
): Promise<void> {
  const server = await startNatsServer(opts);
  try {
    await body(server.url);
  } finally {
    await server.stop();
  }
}

describe('connectNats against a real nats-server', () => {
  it('token: right token passes, wrong one is refused', async () => {
    await withServer({ auth: { token: 't0ken' } }, async (url) => {
      expect(await roundTrip({ servers: [url], token: 't0ken' })).toBe('hello');
      await expect(roundTrip({ servers: [url], token: 'nope' })).rejects.toThrow(/authoriz/i);
      await expect(roundTrip({ servers: [url] })).rejects.toThrow(/authoriz/i);
    });
  });

  it('user/password', async () => {
    await withServer({ auth: { users: [{ user: 'agent', password: 'pw' }] } }, async (url) => {
      expect(await roundTrip({ servers: [url], user: 'agent', pass: 'pw' })).toBe('hello');
      await expect(roundTrip({ servers: [url], user: 'agent', pass: 'x' })).rejects.toThrow(
        /authoriz/i,
      );
    });
  });

  it('nkey: the seed file of an allowed key passes, another key is refused', async () => {
    const allowed = makeNkeyUser(dir, 'allowed');
    const other = makeNkeyUser(dir, 'other');
    await withServer({ auth: { nkeys: [allowed.publicKey] } }, async (url) => {
      expect(await roundTrip({ servers: [url], nkeySeedFile: allowed.seedFile })).toBe('hello');
      await expect(roundTrip({ servers: [url], nkeySeedFile: other.seedFile })).rejects.toThrow(
        /authoriz/i,
      );
    });
  });

  it('creds: a user JWT signed by the known account passes, a foreign one is refused', async () => {
    const op = makeOperatorSetup(dir);
    await withServer({ auth: { operator: op.server } }, async (url) => {
      expect(await roundTrip({ servers: [url], credsFile: op.credsFile })).toBe('hello');
      await expect(roundTrip({ servers: [url], credsFile: op.foreignCredsFile })).rejects.toThrow(
        /authoriz/i,
      );
    });
  });

  it('tls: the server CA verifies, another CA does not', async () => {
    const tls = makeTlsFiles(dir);
    await withServer({ tls: { certFile: tls.certFile, keyFile: tls.keyFile } }, async (url) => {
      expect(await roundTrip({ servers: [url], tls: { caFile: tls.caFile } })).toBe('hello');
      await expect(roundTrip({ servers: [url], tls: { caFile: tls.otherCaFile } })).rejects.toThrow(
        /certificate/i,
      );
    });
  });

  it('bad files fail before connecting, naming the file', async () => {
    await expect(
      connectNats({ servers: ['127.0.0.1:1'], nkeySeedFile: join(dir, 'missing.nk') }),
    ).rejects.toThrow(/missing\.nk/);
    const notSeed = makeNkeyUser(dir, 'x');
    await expect(
      connectNats({ servers: ['127.0.0.1:1'], credsFile: notSeed.seedFile }),
    ).rejects.toThrow(/creds file .*x\.nk/);
  });
});
