import { describe, expect, it } from 'vitest';

import { DEFAULT_EAGLE_EYE_MAPPING } from '../eagleEye/mapping.js';
import { validateConnectionInput } from './validateConnection.js';

const base = { name: ' prod ', kind: 'nats', natsUrl: 'ws://127.0.0.1:8080', auth: 'none' };
const SEED = `SU${'B'.repeat(56)}`;
/** The shape of a creds file (nsc generate creds), with placeholder contents. */
const CREDS = `-----BEGIN NATS USER JWT-----
eyJ0eXAiOiJKV1QifQ.e30.x
------END NATS USER JWT------

-----BEGIN USER NKEY SEED-----
${SEED}
------END USER NKEY SEED------
`;

function errorsOf(value: unknown): string[] {
  const r = validateConnectionInput(value);
  return r.ok ? [] : r.errors.map((e) => `${e.field}: ${e.message}`);
}

describe('validateConnectionInput', () => {
  it('accepts every kind of authentication with its secret, trimming name and URL', () => {
    const ok = validateConnectionInput(base);
    expect(ok).toEqual({ ok: true, input: { ...base, name: 'prod' } });
    for (const extra of [
      { auth: 'token', secret: 't' },
      { auth: 'user-password', user: 'ops', secret: 'pw' },
      { auth: 'nkey', secret: SEED },
      { auth: 'creds', secret: CREDS },
      { auth: 'token' },
    ]) {
      expect(errorsOf({ ...base, ...extra, natsUrl: 'wss://nats.example.com/ws' })).toEqual([]);
    }
    expect(
      errorsOf({
        ...base,
        cluster: 'prod',
        prometheusUrl: 'https://prom.example.com:9090',
        eagleEye: { enabled: true, mapping: DEFAULT_EAGLE_EYE_MAPPING },
      }),
    ).toEqual([]);
  });

  it('names missing and unknown fields', () => {
    expect(errorsOf({ kind: 'nats', auth: 'bogus' })).toEqual([
      'name: is required',
      'natsUrl: is required',
      'auth: must be one of "none", "token", "user-password", "nkey", "creds"',
    ]);
    expect(errorsOf({ ...base, port: 1 })).toEqual(['port: is not a known field']);
    expect(errorsOf(null)).toEqual(['(body): must be object']);
  });

  it('refuses URLs the console cannot use, and credentials inside a URL', () => {
    expect(errorsOf({ ...base, natsUrl: 'nats://10.0.0.1:4222' })[0]).toMatch(
      /^natsUrl: must be a ws:\/\/ or wss:\/\/ URL .* got "nats:\/\/10.0.0.1:4222"$/,
    );
    expect(errorsOf({ ...base, natsUrl: 'wss://ops:hunter2@nats.example.com' })).toEqual([
      'natsUrl: must not hold credentials: use the authentication fields',
    ]);
    expect(errorsOf({ ...base, prometheusUrl: 'ftp://x' })).toEqual([
      'prometheusUrl: must be an http:// or https:// URL',
    ]);
    expect(errorsOf({ ...base, name: '   ' })).toEqual(['name: must not be blank']);
  });

  it('checks the user name and the shape of each secret against the authentication', () => {
    expect(errorsOf({ ...base, auth: 'user-password', secret: 'pw' })).toEqual([
      'user: is required for user-password authentication',
    ]);
    expect(errorsOf({ ...base, user: 'ops' })).toEqual([
      'user: is only used with user-password authentication',
    ]);
    expect(errorsOf({ ...base, secret: 'x' })).toEqual([
      'secret: is not used without authentication (auth is "none")',
    ]);
    expect(errorsOf({ ...base, auth: 'nkey', secret: 'UABC' })[0]).toMatch(
      /^secret: must be an NKey user seed/,
    );
    expect(errorsOf({ ...base, auth: 'creds', secret: SEED })[0]).toMatch(
      /^secret: must be a NATS creds file/,
    );
    expect(errorsOf({ ...base, auth: 'token', secret: '  ' })).toEqual([
      'secret: must not be blank',
    ]);
  });

  it('names errors inside the Eagle Eye mapping by their full path', () => {
    const mapping = {
      ...DEFAULT_EAGLE_EYE_MAPPING,
      metrics: [{ metric: 'engine.bogus', path: 'x' }],
    };
    expect(errorsOf({ ...base, eagleEye: { enabled: true, mapping } })).toEqual([
      'eagleEye.mapping.metrics.0.metric: "engine.bogus" is not an engine metric of the catalog (e.g. engine.requests.running)',
    ]);
  });
});
