/**
 * Every auth mode of `osprey serve --nats` against the real nats-server: the right credentials
 * publish, the wrong ones are refused with a clear line in the output while /metrics keeps
 * answering. Right and wrong agents run side by side against one server per mode.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { REPLAY_H100 } from '../../testing/fixtures.js';
import { makeNkeyUser, makeOperatorSetup, makeTlsFiles } from '../../testing/natsCredentials.js';
import { startNatsServer, type NatsServerOptions } from '../../testing/natsServer.js';
import { subscribeCluster } from '../../testing/natsSubscriber.js';
import { eventually, startServe } from '../../testing/serveProcess.js';
import type { NatsClientOptions } from './connect.js';

const dir = mkdtempSync(join(tmpdir(), 'osprey-agent-auth-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Mode {
  name: string;
  server: NatsServerOptions;
  /** flags and the subscriber's options, given the server URL */
  right: string[];
  wrong: string[];
  client: Omit<NatsClientOptions, 'servers'>;
  refusal: RegExp;
  scheme?: string;
}

function modes(): Mode[] {
  const nkey = makeNkeyUser(dir, 'agent');
  const stranger = makeNkeyUser(dir, 'stranger');
  const op = makeOperatorSetup(dir);
  const tls = makeTlsFiles(dir);
  const auth = /refused the connection \(Authorization Violation\)/;
  return [
    {
      name: 'token',
      server: { auth: { token: 's3cret' } },
      right: ['--nats-token', 's3cret'],
      wrong: ['--nats-token', 'guess'],
      client: { token: 's3cret' },
      refusal: auth,
    },
    {
      name: 'user/password',
      server: { auth: { users: [{ user: 'agent', password: 'pw1' }] } },
      right: ['--nats-user', 'agent', '--nats-password', 'pw1'],
      wrong: ['--nats-user', 'agent', '--nats-password', 'pw2'],
      client: { user: 'agent', pass: 'pw1' },
      refusal: auth,
    },
    {
      name: 'nkey',
      server: { auth: { nkeys: [nkey.publicKey] } },
      right: ['--nats-nkey', nkey.seedFile],
      wrong: ['--nats-nkey', stranger.seedFile],
      client: { nkeySeedFile: nkey.seedFile },
      refusal: auth,
    },
    {
      name: 'creds (operator/account/user JWTs)',
      server: { auth: { operator: op.server } },
      right: ['--nats-creds', op.credsFile],
      wrong: ['--nats-creds', op.foreignCredsFile],
      client: { credsFile: op.credsFile },
      refusal: auth,
    },
    {
      name: 'tls (tls:// URL, server verified by the generated CA)',
      server: { tls: { certFile: tls.certFile, keyFile: tls.keyFile } },
      right: ['--nats-ca', tls.caFile],
      wrong: ['--nats-ca', tls.otherCaFile],
      client: { tls: { caFile: tls.caFile } },
      refusal: /refused the connection \(.*certificate/,
      scheme: 'tls',
    },
    {
      name: 'mutual tls (client certificate required)',
      server: {
        tls: { certFile: tls.certFile, keyFile: tls.keyFile, caFile: tls.caFile, verify: true },
      },
      right: [
        '--nats-ca',
        tls.caFile,
        '--nats-cert',
        tls.clientCertFile,
        '--nats-key',
        tls.clientKeyFile,
      ],
      wrong: ['--nats-ca', tls.caFile],
      client: {
        tls: { caFile: tls.caFile, certFile: tls.clientCertFile, keyFile: tls.clientKeyFile },
      },
      refusal: /nats: .*(certificate|pass --nats-cert and --nats-key)/,
    },
  ];
}

describe('osprey serve --nats: authentication and TLS', () => {
  for (const mode of modes()) {
    it(`${mode.name}: right credentials publish, wrong ones are refused`, async () => {
      const nats = await startNatsServer(mode.server);
      const url = mode.scheme ? nats.url.replace('nats:', `${mode.scheme}:`) : nats.url;
      const sub = await subscribeCluster({ servers: [url], ...mode.client }, 'auth');
      const common = ['--no-ui', '--nats', url, '--cluster', 'auth', '--interval', '200'];
      const replay = ['--replay', `nvidia-smi=${REPLAY_H100}`];
      const [right, wrong] = await Promise.all([
        startServe([...common, '--node', 'right', ...mode.right, ...replay]),
        startServe([...common, '--node', 'wrong', ...mode.wrong, ...replay]),
      ]);
      try {
        await eventually(async () => {
          const from = sub.received.filter((r) => r.message.node === 'right');
          expect(from.some((r) => r.message.type === 'metrics')).toBe(true);
        });
        await eventually(async () => expect(wrong.output.join('')).toMatch(mode.refusal));
        const res = await fetch(`${wrong.url}/metrics`);
        expect(res.status).toBe(200);
        expect(wrong.child.exitCode).toBeNull();
        expect(sub.received.filter((r) => r.message.node === 'wrong')).toEqual([]);
        // no secret in what the agents print
        expect(right.output.join('') + wrong.output.join('')).not.toMatch(/s3cret|guess|pw1|pw2/);
      } finally {
        await Promise.all([right.stop(), wrong.stop()]);
        await sub.close();
        await nats.stop();
      }
    });
  }
});
