import { describe, expect, it } from 'vitest';

import { applyCsp, buildCsp, withCsp, type CspSession } from './csp.js';

describe('buildCsp', () => {
  it('allows the app itself, the collector on its port, WebSockets to NATS servers, no forms', () => {
    expect(buildCsp('http://127.0.0.1:41234').split('; ')).toEqual([
      "default-src 'self'",
      "script-src 'self'",
      "style-src 'self' 'unsafe-inline'",
      "connect-src 'self' http://127.0.0.1:41234 ws://127.0.0.1:41234 ws: wss:",
      "img-src 'self' data:",
      "object-src 'none'",
      "base-uri 'none'",
      "frame-ancestors 'none'",
      "form-action 'none'",
    ]);
  });

  it('never allows inline or evaluated script', () => {
    const scriptSrc = buildCsp('http://127.0.0.1:7420')
      .split('; ')
      .find((d) => d.startsWith('script-src'));
    expect(scriptSrc).toBe("script-src 'self'");
  });

  it.each([
    'https://127.0.0.1:7420',
    'http://localhost:7420',
    'http://10.1.2.3:7420',
    'http://127.0.0.1',
    "http://127.0.0.1:7420/; script-src 'unsafe-eval'",
    'not a url',
  ])('refuses %s as the collector', (url) => {
    expect(() => buildCsp(url)).toThrow();
  });
});

describe('withCsp', () => {
  it('replaces the policy the server sent, whatever the header case, and keeps the rest', () => {
    const headers = {
      'content-security-policy': ['default-src *'],
      'Content-Type': ['text/html'],
      'CONTENT-SECURITY-POLICY': ["script-src 'unsafe-inline'"],
    };
    expect(withCsp(headers, "default-src 'self'")).toEqual({
      'Content-Type': ['text/html'],
      'Content-Security-Policy': ["default-src 'self'"],
    });
  });

  it('adds the policy to a response without headers', () => {
    expect(withCsp(undefined, 'p')).toEqual({ 'Content-Security-Policy': ['p'] });
  });
});

describe('applyCsp', () => {
  it('sets the policy on every response of the session', () => {
    let listener: Parameters<CspSession['webRequest']['onHeadersReceived']>[0] | undefined;
    applyCsp({ webRequest: { onHeadersReceived: (l) => (listener = l) } }, 'http://127.0.0.1:5000');
    const answers: unknown[] = [];
    listener!({ responseHeaders: { etag: ['"1"'] } }, (response) => answers.push(response));
    expect(answers).toEqual([
      {
        responseHeaders: {
          etag: ['"1"'],
          'Content-Security-Policy': [buildCsp('http://127.0.0.1:5000')],
        },
      },
    ]);
  });

  it('fails before touching the session when the collector URL is not loopback', () => {
    let registered = false;
    const session = { webRequest: { onHeadersReceived: () => (registered = true) } };
    expect(() => applyCsp(session, 'http://0.0.0.0:5000')).toThrow(/http:\/\/127.0.0.1:PORT/);
    expect(registered).toBe(false);
  });
});
