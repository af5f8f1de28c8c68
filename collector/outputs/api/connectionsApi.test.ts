import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { ConnectionStore } from '../../core/connections/ConnectionStore.js';
import { connectionFile, defaultConfigDir } from '../../hostServices/connectionFile.js';
import { HostServices } from '../../hostServices/HostServices.js';
import { createConnectionsApi } from './connectionsApi.js';

const TOKEN = 'test-token';
const prod = {
  name: 'prod',
  kind: 'nats',
  natsUrl: 'wss://nats.prod.example',
  auth: 'user-password',
  user: 'ops',
  secret: 'hunter2',
};

let dir: string;
let server: Server;
let base: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'osprey-api-'));
  let n = 0;
  const store = new ConnectionStore(connectionFile(join(dir, 'osprey')), () => `id-${++n}`);
  const api = createConnectionsApi(new HostServices(store), TOKEN);
  server = createServer((req, res) => void api(req, res));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(async () => {
  await new Promise((r) => server.close(r));
  await rm(dir, { recursive: true, force: true });
});

function call(method: string, path: string, body?: unknown, token: string | null = TOKEN) {
  const headers: Record<string, string> = {};
  if (token !== null) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  return fetch(`${base}${path}`, {
    method,
    headers,
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
}

describe('/api/connections', () => {
  it('refuses every route without the token', async () => {
    for (const [method, path] of [
      ['GET', '/api/connections'],
      ['GET', '/api/connections/id-1/secret'],
      ['DELETE', '/api/connections/id-1'],
    ] as const) {
      const none = await call(method, path, undefined, null);
      expect(none.status).toBe(401);
      expect(none.headers.get('www-authenticate')).toBe('Bearer');
      expect((await call(method, path, undefined, 'wrong')).status).toBe(401);
    }
  });

  it('creates, lists without secrets, updates, hands out the secret, and deletes', async () => {
    const created = await call('POST', '/api/connections', prod);
    expect(created.status).toBe(201);
    const { connection } = (await created.json()) as { connection: Record<string, unknown> };
    expect(connection).toEqual({
      ...prod,
      secret: undefined,
      id: 'id-1',
      hasSecret: true,
      hasPrometheusSecret: false,
    });

    const list = await call('GET', '/api/connections');
    expect(list.headers.get('cache-control')).toBe('no-store');
    const listed = await list.text();
    expect(listed).not.toContain('hunter2');
    expect(JSON.parse(listed)).toEqual({ connections: [connection] });

    const { secret: _secret, ...noSecret } = prod;
    const updated = await call('PUT', '/api/connections/id-1', { ...noSecret, cluster: 'prod' });
    expect(updated.status).toBe(200);
    const secret = await call('GET', '/api/connections/id-1/secret');
    expect(await secret.json()).toEqual({ secret: 'hunter2' });

    expect((await call('DELETE', '/api/connections/id-1')).status).toBe(204);
    expect(await (await call('GET', '/api/connections')).json()).toEqual({ connections: [] });
  });

  it('answers 400 naming each bad field, 404 for unknown ids, 415 and 405 for wrong requests', async () => {
    const bad = await call('POST', '/api/connections', {
      ...prod,
      natsUrl: 'http://x',
      user: undefined,
    });
    expect(bad.status).toBe(400);
    const body = (await bad.json()) as { error: string; errors: Array<{ field: string }> };
    expect(body.errors.map((e) => e.field)).toEqual(['natsUrl', 'user']);
    expect(body.error).toMatch(/^natsUrl: must be a ws:\/\/ or wss:\/\/ URL/);

    const notJson = await call('POST', '/api/connections', '{"name":');
    expect(notJson.status).toBe(400);
    expect(((await notJson.json()) as { error: string }).error).toMatch(/^body is not JSON/);

    expect((await call('PUT', '/api/connections/nope', prod)).status).toBe(404);
    expect((await call('GET', '/api/connections/nope/secret')).status).toBe(404);
    expect((await call('GET', '/api/other')).status).toBe(404);
    expect((await call('PATCH', '/api/connections')).status).toBe(405);
    const plain = await fetch(`${base}/api/connections`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'text/plain' },
      body: JSON.stringify(prod),
    });
    expect(plain.status).toBe(415);
  });

  it('keeps the file readable by its owner only', async () => {
    await call('POST', '/api/connections', prod);
    const file = join(dir, 'osprey', 'connections.json');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await stat(join(dir, 'osprey'))).mode & 0o777).toBe(0o700);
    expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({ version: 1 });
  });
});

describe('defaultConfigDir', () => {
  it('follows XDG_CONFIG_HOME, else ~/.config', () => {
    expect(defaultConfigDir({ XDG_CONFIG_HOME: '/x/cfg' })).toBe('/x/cfg/osprey');
    expect(defaultConfigDir({ XDG_CONFIG_HOME: 'relative' })).toMatch(/\/\.config\/osprey$/);
  });
});
