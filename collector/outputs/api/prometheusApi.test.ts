import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { ConnectionStore } from '../../core/connections/ConnectionStore.js';
import { freePort } from '../../testing/freePort.js';
import { connectionFile } from '../../hostServices/connectionFile.js';
import { HostServices } from '../../hostServices/HostServices.js';
import { createConnectionsApi } from './connectionsApi.js';

const TOKEN = 'test-token';
let dir: string;
let api: Server;
let upstream: Server;
let base: string;
let upstreamUrl: string;
const seen: IncomingMessage[] = [];
let respond: (req: IncomingMessage, res: ServerResponse) => void;

async function listen(server: Server): Promise<string> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'osprey-prom-api-'));
  let n = 0;
  const store = new ConnectionStore(connectionFile(join(dir, 'osprey')), () => `id-${++n}`);
  const handler = createConnectionsApi(new HostServices(store), TOKEN);
  api = createServer((req, res) => void handler(req, res));
  base = await listen(api);
  seen.length = 0;
  respond = (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"status":"success","data":{"version":"2.42.0"}}');
  };
  upstream = createServer((req, res) => {
    seen.push(req);
    respond(req, res);
  });
  upstreamUrl = await listen(upstream);
});

afterEach(async () => {
  for (const s of [api, upstream]) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
  await rm(dir, { recursive: true, force: true });
});

async function call(method: string, path: string, body?: unknown, signal?: AbortSignal) {
  const headers: Record<string, string> = { authorization: `Bearer ${TOKEN}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${base}${path}`, {
    method,
    headers,
    ...(signal ? { signal } : {}),
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

async function saved(prometheus: object, prometheusSecret?: string): Promise<string> {
  const input = { name: 'prom', kind: 'nats', auth: 'none', prometheus, prometheusSecret };
  const created = await call('POST', '/api/connections', input);
  expect(created.status).toBe(201);
  return (created.json.connection as { id: string }).id;
}

describe('/api/connections/:id/prometheus', () => {
  it('passes params in order and the answer untouched, with the secret only upstream', async () => {
    const id = await saved({ url: `${upstreamUrl}/prom/`, auth: 'bearer' }, 'tok-secret');
    const r = await call(
      'GET',
      `/api/connections/${id}/prometheus/series?match%5B%5D=up&match%5B%5D=a%20b&start=1`,
    );
    expect(r).toEqual({
      status: 200,
      json: {
        upstream: {
          status: 200,
          contentType: 'application/json',
          body: '{"status":"success","data":{"version":"2.42.0"}}',
          url: `${upstreamUrl}/prom/api/v1/series`,
        },
      },
    });
    expect(seen[0]!.url).toBe('/prom/api/v1/series?match%5B%5D=up&match%5B%5D=a%20b&start=1');
    expect(seen[0]!.headers.authorization).toBe('Bearer tok-secret');
    const listed = await call('GET', '/api/connections');
    expect(JSON.stringify(listed.json)).not.toContain('tok-secret');
    expect(listed.json.connections).toMatchObject([
      { hasPrometheusSecret: true, hasSecret: false },
    ]);
  });

  it('takes the label of label_values from label= and refuses unknown endpoints', async () => {
    const id = await saved({ url: upstreamUrl, auth: 'none' });
    await call('GET', `/api/connections/${id}/prometheus/label_values?label=job&start=5`);
    expect(seen[0]!.url).toBe('/api/v1/label/job/values?start=5');
    const bad = await call('GET', `/api/connections/${id}/prometheus/label_values?label=a-b`);
    expect(bad).toEqual({ status: 400, json: { error: expect.stringMatching(/label=.*"a-b"/) } });
    const unknown = await call('GET', `/api/connections/${id}/prometheus/admin`);
    expect(unknown.status).toBe(400);
    expect(unknown.json.error).toMatch(/^unknown Prometheus endpoint "admin" \(known: query, /);
    expect(seen).toHaveLength(1);
  });

  it('answers 502 without an answer, 400 without a Prometheus part, 404 for unknown ids', async () => {
    const port = await freePort();
    const id = await saved({ url: `http://127.0.0.1:${port}`, auth: 'none' });
    expect(await call('GET', `/api/connections/${id}/prometheus/query?query=up`)).toEqual({
      status: 502,
      json: {
        error: `cannot reach Prometheus at http://127.0.0.1:${port}: connection refused (is it running, and on this port?)`,
      },
    });
    const nats = await call('POST', '/api/connections', {
      name: 'nats only',
      kind: 'nats',
      natsUrl: 'ws://n:1',
      auth: 'none',
    });
    const natsId = (nats.json.connection as { id: string }).id;
    expect(await call('GET', `/api/connections/${natsId}/prometheus/query`)).toEqual({
      status: 400,
      json: { error: 'connection "nats only" has no Prometheus URL' },
    });
    expect((await call('GET', '/api/connections/nope/prometheus/query')).status).toBe(404);
  });

  it('aborts the upstream call when the page goes away', async () => {
    respond = () => undefined; // never answers
    const id = await saved({ url: upstreamUrl, auth: 'none' });
    const controller = new AbortController();
    const pending = call(
      'GET',
      `/api/connections/${id}/prometheus/query?query=up`,
      undefined,
      controller.signal,
    );
    while (seen.length === 0) await new Promise((r) => setTimeout(r, 10));
    // The upstream socket closes only if the local server aborts its call: Prometheus never answers.
    const closed = once(seen[0]!.socket, 'close');
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    await closed;
  });
});

describe('/api/prometheus/test', () => {
  it('asks buildinfo with unsaved settings, or the stored secret of the same auth', async () => {
    const settings = { url: upstreamUrl, auth: 'basic', user: 'ops' };
    const typed = await call('POST', '/api/prometheus/test', { settings, secret: 'pw1' });
    expect(typed.json.upstream).toMatchObject({
      status: 200,
      url: `${upstreamUrl}/api/v1/status/buildinfo`,
    });
    expect(seen[0]!.headers.authorization).toBe(`Basic ${btoa('ops:pw1')}`);
    const id = await saved(settings, 'stored-pw');
    await call('POST', '/api/prometheus/test', { settings, connectionId: id });
    expect(seen[1]!.headers.authorization).toBe(`Basic ${btoa('ops:stored-pw')}`);
  });

  it('names bad settings by field', async () => {
    const r = await call('POST', '/api/prometheus/test', {
      settings: { url: 'ftp://x', auth: 'none', headers: [{ name: 'Authorization', value: 'x' }] },
    });
    expect(r.status).toBe(400);
    expect((r.json.errors as Array<{ field: string }>).map((e) => e.field)).toEqual([
      'settings.url',
      'settings.headers.0.name',
    ]);
  });
});
