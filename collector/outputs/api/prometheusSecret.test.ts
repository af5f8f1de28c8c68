/**
 * A stored Prometheus secret goes to the URL it was stored with and nowhere else (issue 10): two
 * real HTTP servers record everything they receive, the stored one and an "other" one that must
 * never see the secret, whatever a caller of the API asks.
 */
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { ConnectionStore } from '../../core/connections/ConnectionStore.js';
import { connectionFile } from '../../hostServices/connectionFile.js';
import { HostServices } from '../../hostServices/HostServices.js';
import { createConnectionsApi } from './connectionsApi.js';

const TOKEN = 'api-token';
const BEARER = 'stored-bearer-secret';
const PASSWORD = 'stored-basic-password';

interface Recorded {
  url: string;
  authorization: string | undefined;
  /** Everything the server received, to look for the secrets anywhere. */
  raw: string;
}

interface Recorder {
  server: Server;
  url: string;
  seen: Recorded[];
}

let dir: string;
let api: Server;
let base: string;
let stored: Recorder;
let other: Recorder;

async function recorder(
  respond: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<Recorder> {
  const seen: Recorded[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      seen.push({
        url: req.url ?? '',
        authorization: req.headers.authorization,
        raw: `${req.method} ${req.url}\n${JSON.stringify(req.headers)}\n${body}`,
      });
      respond(req, res);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

const ok = (_req: IncomingMessage, res: ServerResponse) => {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end('{"status":"success","data":{"version":"2.53.0"}}');
};

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'osprey-secret-'));
  let n = 0;
  const store = new ConnectionStore(connectionFile(dir), () => `id-${++n}`);
  const handler = createConnectionsApi(new HostServices(store), TOKEN);
  api = createServer((req, res) => void handler(req, res));
  api.listen(0, '127.0.0.1');
  await once(api, 'listening');
  base = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
  other = await recorder(ok);
  stored = await recorder((req, res) => {
    // Same origin, another path prefix: a shared Mimir with another tenant under /team-b.
    if (req.url?.startsWith('/team-a/api/v1/query')) {
      res.writeHead(302, { location: req.url.replace('/team-a/', '/team-b/') }).end();
    } else if (req.url?.startsWith('/team-a/api/v1/labels')) {
      res.writeHead(302, { location: `${other.url}/steal` }).end();
    } else {
      ok(req, res);
    }
  });
});

afterEach(async () => {
  for (const s of [api, stored.server, other.server]) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
  await rm(dir, { recursive: true, force: true });
});

async function call(method: string, path: string, body?: unknown) {
  const headers: Record<string, string> = { authorization: `Bearer ${TOKEN}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${base}${path}`, {
    method,
    headers,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

async function save(prometheus: object, prometheusSecret: string): Promise<string> {
  const input = { name: 'prom', kind: 'nats', auth: 'none', prometheus, prometheusSecret };
  const created = await call('POST', '/api/connections', input);
  expect(created.status).toBe(201);
  return (created.json.connection as { id: string }).id;
}

function secretsIn(seen: Recorded[]): string[] {
  const basic = Buffer.from(`ops:${PASSWORD}`).toString('base64');
  return seen.flatMap((r) =>
    [BEARER, PASSWORD, basic].filter((s) => r.raw.includes(s) || r.raw.includes(btoa(s))),
  );
}

describe('POST /api/prometheus/test with a saved connection id', () => {
  it('sends the stored bearer token to its own URL (positive control)', async () => {
    const id = await save({ url: `${stored.url}/team-a`, auth: 'bearer' }, BEARER);
    const r = await call('POST', '/api/prometheus/test', {
      settings: { url: `${stored.url}/team-a/`, auth: 'bearer' },
      connectionId: id,
    });
    expect(r.status).toBe(200);
    expect(stored.seen).toEqual([
      expect.objectContaining({
        url: '/team-a/api/v1/status/buildinfo',
        authorization: `Bearer ${BEARER}`,
      }),
    ]);
  });

  it('refuses to send the stored bearer token to another server', async () => {
    const id = await save({ url: `${stored.url}/team-a`, auth: 'bearer' }, BEARER);
    const r = await call('POST', '/api/prometheus/test', {
      settings: { url: `${other.url}/team-a`, auth: 'bearer' },
      connectionId: id,
    });
    const message = `the saved bearer token belongs to ${stored.url}/team-a; type it again to test another URL`;
    expect(r).toEqual({
      status: 400,
      json: { error: message, errors: [{ field: 'secret', message }] },
    });
    expect(other.seen).toEqual([]);
    expect(secretsIn(other.seen)).toEqual([]);
  });

  it('refuses the stored token for another path prefix on the same server', async () => {
    const id = await save({ url: `${stored.url}/team-a`, auth: 'bearer' }, BEARER);
    const r = await call('POST', '/api/prometheus/test', {
      settings: { url: `${stored.url}/team-b`, auth: 'bearer' },
      connectionId: id,
    });
    expect(r.status).toBe(400);
    expect(stored.seen).toEqual([]);
  });

  it('never sends the stored basic password elsewhere, nor with a user name of the caller', async () => {
    const id = await save({ url: stored.url, auth: 'basic', user: 'ops' }, PASSWORD);
    for (const settings of [
      { url: other.url, auth: 'basic', user: 'ops' },
      { url: other.url, auth: 'basic', user: 'attacker' },
      { url: stored.url, auth: 'basic', user: 'attacker' },
    ]) {
      const r = await call('POST', '/api/prometheus/test', { settings, connectionId: id });
      expect(r.status).toBe(400);
      expect(r.json.error).toMatch(/^the saved password belongs to /);
    }
    expect(other.seen).toEqual([]);
    expect(stored.seen).toEqual([]);
    // Its own URL and user: sent (positive control).
    const own = { url: stored.url, auth: 'basic', user: 'ops' };
    expect(
      (await call('POST', '/api/prometheus/test', { settings: own, connectionId: id })).status,
    ).toBe(200);
    expect(stored.seen[0]!.authorization).toBe(`Basic ${btoa(`ops:${PASSWORD}`)}`);
  });

  it('sends a secret typed again to the other URL, and only that one', async () => {
    const id = await save({ url: stored.url, auth: 'bearer' }, BEARER);
    const r = await call('POST', '/api/prometheus/test', {
      settings: { url: other.url, auth: 'bearer' },
      connectionId: id,
      secret: 'typed-token',
    });
    expect(r.status).toBe(200);
    expect(other.seen.map((s) => s.authorization)).toEqual(['Bearer typed-token']);
    expect(secretsIn(other.seen)).toEqual([]);
  });
});

describe('a saved connection', () => {
  it('cannot move its stored secret to another URL by an update without it', async () => {
    const id = await save({ url: stored.url, auth: 'bearer' }, BEARER);
    const moved = await call('PUT', `/api/connections/${id}`, {
      name: 'prom',
      kind: 'nats',
      auth: 'none',
      prometheus: { url: other.url, auth: 'bearer' },
    });
    expect(moved.status).toBe(400);
    expect(moved.json.errors).toEqual([
      {
        field: 'prometheusSecret',
        message: `the saved bearer token belongs to ${stored.url}; type it again to use it with another URL`,
      },
    ]);
    await call('GET', `/api/connections/${id}/prometheus/query?query=up`);
    expect(other.seen).toEqual([]);
    expect(stored.seen.map((s) => s.authorization)).toEqual([`Bearer ${BEARER}`]);
  });

  it('follows no redirect to another path prefix or server with its token', async () => {
    const id = await save({ url: `${stored.url}/team-a`, auth: 'bearer' }, BEARER);
    const prefix = await call('GET', `/api/connections/${id}/prometheus/query?query=up`);
    expect(prefix.json.upstream).toMatchObject({ status: 302 });
    const host = await call('GET', `/api/connections/${id}/prometheus/labels`);
    expect(host.json.upstream).toMatchObject({ status: 302 });
    // The stored server saw both first requests with the token, and nothing under /team-b.
    expect(stored.seen.map((s) => `${s.url.split('?')[0]} ${s.authorization}`)).toEqual([
      `/team-a/api/v1/query Bearer ${BEARER}`,
      `/team-a/api/v1/labels Bearer ${BEARER}`,
    ]);
    expect(other.seen).toEqual([]);
  });
});
