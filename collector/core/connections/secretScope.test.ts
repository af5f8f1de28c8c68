import { describe, expect, it } from 'vitest';

import { prometheusTestSecret, sameSecretScope, secretScope } from './secretScope.js';

describe('secretScope', () => {
  it('is scheme, host, port and path, with case, default port and trailing slashes ignored', () => {
    expect(secretScope('HTTPS://Prom.A:443/prom/')).toBe('https://prom.a/prom');
    expect(secretScope('http://prom.a:80')).toBe('http://prom.a');
    expect(secretScope('wss://nats.example:443/ws')).toBe('wss://nats.example/ws');
    expect(secretScope('ws://[::1]:8080/')).toBe('ws://[::1]:8080');
    expect(secretScope('not a url')).toBeUndefined();
    expect(secretScope('https://user@prom.a')).toBeUndefined();
  });

  it('matches only the exact origin and path prefix', () => {
    const stored = 'https://prom.a:9090/prom';
    expect(sameSecretScope(stored, 'https://PROM.a:9090/prom/')).toBe(true);
    for (const other of [
      'http://prom.a:9090/prom', // scheme
      'https://prom.b:9090/prom', // host
      'https://prom.a.evil.example:9090/prom', // a longer host
      'https://prom.a:9091/prom', // port
      'https://prom.a:9090', // shorter prefix
      'https://prom.a:9090/prom/other', // longer prefix
      'https://prom.a:9090/Prom', // paths are case-sensitive
      'https://prom.a:9090/prom/../other', // dot segments a URL parser would resolve
      'https://prom.a:9090\\@evil.example/prom', // a backslash a URL parser reads as a slash
      'https://prom%2ea:9090/prom', // escapes a URL parser would decode
      'https://prom.a.:9090/prom', // the root dot
      'https://prom.a:09090/prom', // a port written differently
    ]) {
      expect(sameSecretScope(stored, other), other).toBe(false);
    }
    expect(sameSecretScope('garbage', 'garbage')).toBe(false);
  });
});

describe('prometheusTestSecret', () => {
  const stored = {
    settings: { url: 'https://prom.a:9090/prom', auth: 'bearer' },
    secret: 'tok',
  };

  it('gives the stored secret for its own URL only, and says where it belongs otherwise', () => {
    expect(
      prometheusTestSecret(stored, { url: 'https://prom.a:9090/prom/', auth: 'bearer' }),
    ).toEqual({ ok: true, secret: 'tok' });
    expect(
      prometheusTestSecret(stored, { url: 'https://prom.b:9090/prom', auth: 'bearer' }),
    ).toEqual({
      ok: false,
      field: 'secret',
      message:
        'the saved bearer token belongs to https://prom.a:9090/prom; type it again to test another URL',
    });
  });

  it('gives no secret for another kind of auth or without a stored one', () => {
    const basic = { url: 'https://prom.a:9090/prom', auth: 'basic', user: 'ops' };
    expect(prometheusTestSecret(stored, basic)).toEqual({ ok: true, secret: null });
    expect(prometheusTestSecret(undefined, basic)).toEqual({ ok: true, secret: null });
    expect(prometheusTestSecret({ ...stored, secret: null }, stored.settings)).toEqual({
      ok: true,
      secret: null,
    });
  });

  it('keeps a basic password with its user name', () => {
    const basic = { settings: { url: 'http://p', auth: 'basic', user: 'ops' }, secret: 'pw' };
    expect(prometheusTestSecret(basic, { url: 'http://p', auth: 'basic', user: 'ops' })).toEqual({
      ok: true,
      secret: 'pw',
    });
    const other = prometheusTestSecret(basic, { url: 'http://p', auth: 'basic', user: 'root' });
    expect(other).toEqual({
      ok: false,
      field: 'secret',
      message:
        'the saved password belongs to user "ops" at http://p; type it again to test another user name',
    });
  });
});
