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
        prometheus: { url: 'https://prom.example.com:9090', auth: 'none' },
        eagleEye: { enabled: true, mapping: DEFAULT_EAGLE_EYE_MAPPING },
      }),
    ).toEqual([]);
  });

  it('names missing and unknown fields', () => {
    expect(errorsOf({ kind: 'nats', auth: 'bogus' })).toEqual([
      'name: is required',
      'auth: must be one of "none", "token", "user-password", "nkey", "creds"',
    ]);
    const { natsUrl: _natsUrl, ...noUrl } = base;
    expect(errorsOf(noUrl)).toEqual([
      'natsUrl: is required unless a Prometheus URL is given (a connection needs one)',
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
    expect(errorsOf({ ...base, prometheus: { url: 'ftp://x', auth: 'none' } })[0]).toMatch(
      /^prometheus.url: must be an http:\/\/ or https:\/\/ URL with an optional path prefix/,
    );
    const prom = (nodeLabel: string) => ({
      ...base,
      prometheus: { url: 'http://p:9090', auth: 'none', nodeLabel },
    });
    expect(errorsOf(prom('host_name'))).toEqual([]);
    expect(errorsOf(prom('9host'))).toEqual([
      'prometheus.nodeLabel: must be a label name (letters, digits, _; not starting with a digit), got "9host"',
    ]);
    expect(errorsOf({ ...base, prometheusUrl: 'http://x' })).toEqual([
      'prometheusUrl: is not a known field',
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

const CA = `-----BEGIN CERTIFICATE-----
MIIBszCCAVmgAwIBAgIUQ2m3
ZXhhbXBsZQ==
-----END CERTIFICATE-----
`;

describe('validateConnectionInput, Prometheus part', () => {
  const prom = (more: object) => ({
    ...base,
    prometheus: { url: 'https://mimir.example/prometheus', auth: 'none', ...more },
  });

  it('accepts a Prometheus-only connection with a path prefix, auth, headers and a CA', () => {
    const { natsUrl: _natsUrl, ...noNats } = base;
    const input = {
      ...noNats,
      prometheus: {
        url: ' https://mimir.example/prometheus/ ',
        auth: 'basic',
        user: 'ops',
        headers: [{ name: ' X-Scope-OrgID ', value: ' tenant-1 ' }],
        ca: CA,
      },
      prometheusSecret: ' pw ',
    };
    expect(validateConnectionInput(input)).toEqual({
      ok: true,
      input: {
        ...input,
        name: 'prod',
        prometheus: {
          ...input.prometheus,
          url: 'https://mimir.example/prometheus/',
          headers: [{ name: 'X-Scope-OrgID', value: 'tenant-1' }],
        },
        prometheusSecret: 'pw',
      },
    });
    expect(errorsOf(prom({ auth: 'bearer' }))).toEqual([]);
    expect(errorsOf({ ...prom({ auth: 'bearer' }), prometheusSecret: 't' })).toEqual([]);
  });

  it('refuses NATS authentication without a NATS URL', () => {
    const { natsUrl: _natsUrl, ...noNats } = prom({});
    expect(errorsOf({ ...noNats, auth: 'token' })).toEqual([
      'auth: NATS authentication needs a NATS URL: choose "none" or give the URL',
    ]);
  });

  it('refuses hop-by-hop, auth and host headers, bad names and duplicates by index', () => {
    const headers = [
      { name: 'Authorization', value: 'Bearer x' },
      { name: 'Connection', value: 'close' },
      { name: 'Host', value: 'x' },
      { name: 'X Bad', value: 'x' },
      { name: 'X-Scope-OrgID', value: 'a' },
      { name: 'x-scope-orgid', value: 'b' },
      { name: 'X-Ok', value: 'a\r\nX-Injected: 1' },
    ];
    expect(errorsOf(prom({ headers }))).toEqual([
      'prometheus.headers.0.name: Authorization is set from the authentication fields: choose bearer or basic there',
      'prometheus.headers.1.name: Connection is a hop-by-hop header',
      'prometheus.headers.2.name: Host is set from the URL',
      'prometheus.headers.3.name: "X Bad" is not a valid header name',
      'prometheus.headers.5.name: x-scope-orgid is given twice',
      'prometheus.headers.6.value: must be one line without control characters',
    ]);
  });

  it('checks the URL, the user, the CA and the secret against the authentication', () => {
    expect(errorsOf(prom({ url: 'https://ops:pw@prom.example' }))).toEqual([
      'prometheus.url: must not hold credentials: use the authentication fields',
    ]);
    expect(errorsOf(prom({ url: 'http://prom:9090/api?x=1' }))[0]).toMatch(/no \?query/);
    expect(errorsOf(prom({ auth: 'basic' }))).toEqual([
      'prometheus.user: is required for basic authentication',
    ]);
    expect(errorsOf(prom({ user: 'ops' }))).toEqual([
      'prometheus.user: is only used with basic authentication',
    ]);
    expect(errorsOf(prom({ auth: 'basic', user: 'a:b' }))).toEqual([
      'prometheus.user: must not contain ":" (RFC 7617)',
    ]);
    expect(errorsOf(prom({ ca: 'hello' }))[0]).toMatch(
      /^prometheus.ca: must be PEM certificate text/,
    );
    expect(errorsOf(prom({ ca: `${CA}-----BEGIN PRIVATE KEY-----\nx\n` }))).toEqual([
      'prometheus.ca: holds a private key: paste only the CA certificate (never a key)',
    ]);
    expect(errorsOf(prom({ url: 'http://prom:9090', ca: CA }))).toEqual([
      'prometheus.ca: is only used with an https:// URL',
    ]);
    expect(errorsOf({ ...prom({}), prometheusSecret: 'x' })).toEqual([
      'prometheusSecret: is not used without authentication (auth is "none")',
    ]);
    expect(errorsOf({ ...base, prometheusSecret: 'x' })).toEqual([
      'prometheusSecret: is not used without a Prometheus URL',
    ]);
    expect(errorsOf({ ...prom({ auth: 'bearer' }), prometheusSecret: ' ' })).toEqual([
      'prometheusSecret: must not be blank',
    ]);
  });
});
