import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';

import { afterEach, describe, expect, it } from 'vitest';

import type { PrometheusSettings } from '../core/connections/schema.js';
import { freePort } from '../testing/freePort.js';
import { fetchPrometheus, PrometheusTransportError } from './fetchPrometheus.js';

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;
const servers: http.Server[] = [];

async function serve(handler: Handler): Promise<string> {
  const server = http.createServer(handler);
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    s.close();
  }
});

const query = { endpoint: 'query', params: [['query', 'up']] } as const;
const settings = (url: string, more: Partial<PrometheusSettings> = {}): PrometheusSettings => ({
  url,
  auth: 'none',
  ...more,
});

async function transportError(promise: Promise<unknown>): Promise<PrometheusTransportError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (error instanceof PrometheusTransportError) return error;
  throw new Error(`expected a PrometheusTransportError, got ${String(error)}`);
}

describe('fetchPrometheus', () => {
  it('asks below the path prefix with auth and extra headers, and returns the answer untouched', async () => {
    const seen: http.IncomingHttpHeaders[] = [];
    const paths: string[] = [];
    const url = await serve((req, res) => {
      seen.push(req.headers);
      paths.push(req.url ?? '');
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end('{"status":"error","errorType":"bad_data","error":"parse error"}');
    });
    const s = settings(`${url}/prometheus/`, {
      auth: 'bearer',
      headers: [{ name: 'X-Scope-OrgID', value: 'tenant-1' }],
    });
    const answer = await fetchPrometheus({ settings: s, secret: 'tok-123', request: query });
    expect(answer).toEqual({
      status: 400,
      contentType: 'application/json',
      body: '{"status":"error","errorType":"bad_data","error":"parse error"}',
      url: `${url}/prometheus/api/v1/query`,
    });
    expect(paths).toEqual(['/prometheus/api/v1/query?query=up']);
    expect(seen[0]!.authorization).toBe('Bearer tok-123');
    expect(seen[0]!['x-scope-orgid']).toBe('tenant-1');

    await fetchPrometheus({
      settings: settings(url, { auth: 'basic', user: 'ops' }),
      secret: 'pa:ss',
      request: query,
    });
    expect(seen[1]!.authorization).toBe(`Basic ${Buffer.from('ops:pa:ss').toString('base64')}`);
  });

  it('passes HTML error pages through and decodes gzip', async () => {
    const url = await serve((req, res) => {
      if (req.url?.includes('labels')) {
        res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
        res.end(gzipSync('{"status":"success","data":["job"]}'));
        return;
      }
      res.writeHead(502, { 'content-type': 'text/html' });
      res.end('<html><body><h1>502 Bad Gateway</h1></body></html>');
    });
    const html = await fetchPrometheus({ settings: settings(url), secret: null, request: query });
    expect(html.status).toBe(502);
    expect(html.contentType).toBe('text/html');
    expect(html.body).toContain('502 Bad Gateway');
    const labels = await fetchPrometheus({
      settings: settings(url),
      secret: null,
      request: { endpoint: 'labels', params: [] },
    });
    expect(labels.body).toBe('{"status":"success","data":["job"]}');
  });

  it('sends very long queries as a form POST', async () => {
    let got = { method: '', body: '' };
    const url = await serve(async (req, res) => {
      let body = '';
      for await (const chunk of req) body += String(chunk);
      got = { method: req.method ?? '', body };
      res.end('{}');
    });
    const long = `sum(${'x'.repeat(9000)})`;
    await fetchPrometheus({
      settings: settings(url),
      secret: null,
      request: { endpoint: 'query', params: [['query', long]] },
    });
    expect(got.method).toBe('POST');
    expect(new URLSearchParams(got.body).get('query')).toBe(long);
  });

  it('follows a redirect under its path prefix, returns one to another prefix or host as it is', async () => {
    const otherHost: string[] = [];
    const other = await serve((req, res) => {
      otherHost.push(`${req.url} ${req.headers.authorization}`);
      res.end('{"status":"success"}');
    });
    const seen: string[] = [];
    const url = await serve((req, res) => {
      seen.push(`${req.url} ${req.headers.authorization}`);
      if (req.url?.startsWith('/old/api/')) {
        res.writeHead(301, { location: req.url.replace('/old/', '/old/v2/') }).end();
      } else if (req.url?.startsWith('/away/')) {
        res.writeHead(302, { location: `${other}/steal`, 'content-type': 'text/plain' });
        res.end('moved');
      } else if (req.url?.startsWith('/team-a/')) {
        // Same origin, another tenant's prefix (a shared Mimir): the token is not theirs.
        res.writeHead(307, { location: req.url.replace('/team-a/', '/team-a2/') });
        res.end('elsewhere');
      } else {
        res.end('{"status":"success"}');
      }
    });
    const s = (prefix: string) => settings(`${url}${prefix}`, { auth: 'bearer' });
    const moved = await fetchPrometheus({ settings: s('/old'), secret: 't', request: query });
    expect(moved).toMatchObject({ status: 200, url: `${url}/old/v2/api/v1/query` });
    expect(seen).toEqual([
      '/old/api/v1/query?query=up Bearer t',
      '/old/v2/api/v1/query?query=up Bearer t',
    ]);
    const away = await fetchPrometheus({ settings: s('/away'), secret: 't', request: query });
    expect(away).toMatchObject({ status: 302, body: 'moved' });
    const tenant = await fetchPrometheus({ settings: s('/team-a'), secret: 't', request: query });
    expect(tenant).toMatchObject({ status: 307, body: 'elsewhere' });
    expect(seen.slice(2)).toEqual([
      '/away/api/v1/query?query=up Bearer t',
      '/team-a/api/v1/query?query=up Bearer t',
    ]);
    expect(otherHost).toEqual([]);
  });

  it('names the URL and the cause when there is no answer, never the credentials', async () => {
    const port = await freePort();
    const refused = await transportError(
      fetchPrometheus({
        settings: settings(`http://127.0.0.1:${port}/prom`, { auth: 'bearer' }),
        secret: 'hunter2',
        request: query,
      }),
    );
    expect(refused.message).toBe(
      `cannot reach Prometheus at http://127.0.0.1:${port}/prom: connection refused (is it running, and on this port?)`,
    );
    expect(refused.message).not.toContain('hunter2');
    const dns = await transportError(
      fetchPrometheus({
        settings: settings('http://prometheus.invalid:9090'),
        secret: null,
        request: query,
      }),
    );
    expect(dns.message).toMatch(
      /^cannot reach Prometheus at http:\/\/prometheus.invalid:9090: host /,
    );
  });

  it('says when https meets a plain http server', async () => {
    const url = await serve((_req, res) => res.end('{}'));
    const error = await transportError(
      fetchPrometheus({
        settings: settings(url.replace('http:', 'https:')),
        secret: null,
        request: query,
      }),
    );
    expect(error.message).toMatch(/TLS handshake failed: the server does not speak https/);
  });

  it('gives up after the timeout, and on abort rejects with the AbortError', async () => {
    const url = await serve(() => undefined);
    const slow = await transportError(
      fetchPrometheus({ settings: settings(url), secret: null, request: query, timeoutMs: 200 }),
    );
    expect(slow.message).toBe(`cannot reach Prometheus at ${url}: no answer in 200 ms`);
    const controller = new AbortController();
    const pending = fetchPrometheus({
      settings: settings(url),
      secret: null,
      request: query,
      signal: controller.signal,
    });
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('refuses answers above the size cap with a clear error', async () => {
    const url = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('x'.repeat(3 * 1024 * 1024));
    });
    const error = await transportError(
      fetchPrometheus({ settings: settings(url), secret: null, request: query, maxBytes: 1 << 20 }),
    );
    expect(error.message).toMatch(/is larger than 1 MiB: narrow the query or the time range$/);
  });
});
