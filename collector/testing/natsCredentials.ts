/**
 * Credentials for the auth variants of natsServer.ts, made at test time: NKey users, a complete
 * operator → account → user JWT chain with a .creds file (the server verifies every signature, so
 * the creds path is exercised for real), and a CA + server + client certificate made with openssl.
 * JWTs follow the nats-io/jwt v2 format: header {typ: JWT, alg: ed25519-nkey}, base64url parts,
 * the signature an ed25519 signature of `header.payload` by the issuer's NKey.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { nkeys } from '@nats-io/nats-core';

import type { NatsOperatorConfig } from './natsServer.js';

type KeyPair = ReturnType<typeof nkeys.createUser>;

const text = (b: Uint8Array): string => new TextDecoder().decode(b);
const b64url = (b: Uint8Array | string): string => Buffer.from(b).toString('base64url');

export interface NkeyUser {
  publicKey: string;
  seed: string;
  seedFile: string;
}

export function makeNkeyUser(dir: string, name = 'user'): NkeyUser {
  const kp = nkeys.createUser();
  const seed = text(kp.getSeed());
  const seedFile = join(dir, `${name}.nk`);
  writeFileSync(seedFile, seed + '\n', { mode: 0o600 });
  return { publicKey: kp.getPublicKey(), seed, seedFile };
}

function encodeJwt(issuer: KeyPair, subject: string, name: string, nats: object): string {
  const header = b64url(JSON.stringify({ typ: 'JWT', alg: 'ed25519-nkey' }));
  const claims = {
    iat: Math.floor(Date.now() / 1000),
    iss: issuer.getPublicKey(),
    name,
    sub: subject,
    nats: { ...nats, version: 2 },
  };
  // jti: a unique id (nsc uses base32 of a SHA-512/256 of the claims); the server only reads it.
  const jti = createHash('sha256').update(JSON.stringify(claims)).digest('hex').toUpperCase();
  const payload = b64url(JSON.stringify({ jti, ...claims }));
  const sig = issuer.sign(new TextEncoder().encode(`${header}.${payload}`));
  return `${header}.${payload}.${b64url(sig)}`;
}

const UNLIMITED = { subs: -1, data: -1, payload: -1 };

export interface OperatorSetup {
  server: NatsOperatorConfig;
  credsFile: string;
  /** a creds file of a user signed by an account the server does not know */
  foreignCredsFile: string;
}

function credsText(jwt: string, seed: string): string {
  return [
    '-----BEGIN NATS USER JWT-----',
    jwt,
    '------END NATS USER JWT------',
    '',
    '************************* IMPORTANT *************************',
    'NKEY Seed printed below can be used to sign and prove identity.',
    'NKEYs are sensitive and should be treated as secrets.',
    '',
    '-----BEGIN USER NKEY SEED-----',
    seed,
    '------END USER NKEY SEED------',
    '',
  ].join('\n');
}

export function makeOperatorSetup(dir: string): OperatorSetup {
  const operator = nkeys.createOperator();
  const operatorJwt = encodeJwt(operator, operator.getPublicKey(), 'osprey-test', {
    type: 'operator',
  });
  const account = nkeys.createAccount();
  const accountJwt = encodeJwt(operator, account.getPublicKey(), 'fleet', {
    type: 'account',
    limits: { ...UNLIMITED, imports: -1, exports: -1, wildcards: true, conn: -1, leaf: -1 },
    default_permissions: { pub: {}, sub: {} },
  });
  const userCreds = (signer: KeyPair, file: string): string => {
    const user = nkeys.createUser();
    const jwt = encodeJwt(signer, user.getPublicKey(), 'agent', {
      type: 'user',
      pub: {},
      sub: {},
      ...UNLIMITED,
    });
    const path = join(dir, file);
    writeFileSync(path, credsText(jwt, text(user.getSeed())), { mode: 0o600 });
    return path;
  };
  return {
    server: { operatorJwt, accountPublicKey: account.getPublicKey(), accountJwt },
    credsFile: userCreds(account, 'agent.creds'),
    foreignCredsFile: userCreds(nkeys.createAccount(), 'foreign.creds'),
  };
}

export interface TlsFiles {
  caFile: string;
  certFile: string;
  keyFile: string;
  /** a second CA that signed nothing the server presents */
  otherCaFile: string;
  /** a client certificate signed by the CA, for mutual TLS */
  clientCertFile: string;
  clientKeyFile: string;
}

function openssl(dir: string, args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
}

function makeCa(dir: string, name: string): void {
  // prettier-ignore
  openssl(dir, [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-keyout', `${name}.key`, '-out', `${name}.pem`, '-days', '2', '-subj', `/CN=${name}`,
    '-addext', 'basicConstraints=critical,CA:TRUE',
    '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
  ]);
}

function makeLeaf(dir: string, name: string, ext: string): void {
  writeFileSync(join(dir, `${name}.ext`), ext);
  // prettier-ignore
  openssl(dir, [
    'req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${name}`,
  ]);
  // prettier-ignore
  openssl(dir, [
    'x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key',
    '-CAcreateserial', '-out', `${name}.pem`, '-days', '2', '-extfile', `${name}.ext`,
  ]);
}

/** A throwaway CA, and server (127.0.0.1/localhost) and client certificates signed by it. */
export function makeTlsFiles(dir: string): TlsFiles {
  makeCa(dir, 'ca');
  makeCa(dir, 'other-ca');
  makeLeaf(
    dir,
    'server',
    'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n',
  );
  makeLeaf(dir, 'client', 'extendedKeyUsage=clientAuth\n');
  return {
    caFile: join(dir, 'ca.pem'),
    certFile: join(dir, 'server.pem'),
    keyFile: join(dir, 'server.key'),
    otherCaFile: join(dir, 'other-ca.pem'),
    clientCertFile: join(dir, 'client.pem'),
    clientKeyFile: join(dir, 'client.key'),
  };
}
