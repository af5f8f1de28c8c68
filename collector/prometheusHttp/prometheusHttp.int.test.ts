/**
 * Prometheus through the real local server (`osprey serve`), end to end: a real `prometheus`, a
 * real reverse proxy in front of it demanding a bearer token and a tenant header under a path
 * prefix, TLS with a CA made by openssl at test time, and every error path the console must show
 * plainly. The renderer's side of the API is what these requests do.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { freePort } from '../testing/freePort.js';
import { makeTlsFiles } from '../testing/natsCredentials.js';
import { startPrometheus, type PrometheusServer } from '../testing/prometheusServer.js';
import { startReverseProxy, type Proxy } from '../testing/reverseProxy.js';
import { startServe, type Served } from '../testing/serveProcess.js';

const TOKEN = 'tok-int-7f3a9c';
const TENANT = { name: 'X-Scope-OrgID', value: 'tenant-1' };

let dir: string;
let prometheus: PrometheusServer;
let proxy: Proxy;
let tlsProxy: Proxy;
let serve: Served;
let caPem: string;
let otherCaPem: string;

interface Upstream {
  status: number;
  contentType: string;
  body: string;
  url: string;
}

async function api(method: string, path: string, body?: unknown) {
  const res = await fetch(`${serve.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${serve.token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  expect(text).not.toContain(TOKEN);
  return { status: res.status, json: JSON.parse(text) as { upstream?: Upstream; error?: string } };
}

async function save(name: string, prometheusPart: object, prometheusSecret?: string) {
  const r = await fetch(`${serve.url}/api/connections`, {
    method: 'POST',
    headers: { authorization: `Bearer ${serve.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      name,
      kind: 'nats',
      auth: 'none',
      prometheus: prometheusPart,
      prometheusSecret,
    }),
  });
  expect(r.status).toBe(201);
  return ((await r.json()) as { connection: { id: string } }).connection.id;
}

const ask = (id: string, endpoint: string, query = '') =>
  api('GET', `/api/connections/${id}/prometheus/${endpoint}${query}`);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'osprey-prom-int-'));
  const tls = makeTlsFiles(dir);
  caPem = readFileSync(tls.caFile, 'utf8');
  otherCaPem = readFileSync(tls.otherCaFile, 'utf8');
  // Scrapes a port nobody listens on: `up` exists (value 0) from the first scrape on.
  prometheus = await startPrometheus({ targets: [`127.0.0.1:${await freePort()}`] });
  await prometheus.waitForData('up');
  proxy = await startReverseProxy({
    upstream: prometheus.url,
    prefix: '/prometheus',
    require: { authorization: `Bearer ${TOKEN}`, 'x-scope-orgid': TENANT.value },
    brokenPrefix: '/broken',
  });
  tlsProxy = await startReverseProxy({
    upstream: prometheus.url,
    prefix: '/prometheus',
    tls: { cert: readFileSync(tls.certFile, 'utf8'), key: readFileSync(tls.keyFile, 'utf8') },
  });
  serve = await startServe(['--config-dir', join(dir, 'config')]);
});

afterAll(async () => {
  await serve?.stop();
  await proxy?.stop();
  await tlsProxy?.stop();
  await prometheus?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('Prometheus through osprey serve', () => {
  it('reaches Prometheus behind a proxy with a bearer token, a tenant header and a path prefix', async () => {
    const id = await save(
      'behind proxy',
      { url: `${proxy.url}/prometheus/`, auth: 'bearer', headers: [TENANT] },
      TOKEN,
    );
    const r = await ask(id, 'query', '?query=up');
    expect(r.status).toBe(200);
    expect(r.json.upstream).toMatchObject({
      status: 200,
      contentType: 'application/json',
      url: `${proxy.url}/prometheus/api/v1/query`,
    });
    const body = JSON.parse(r.json.upstream!.body) as {
      status: string;
      data: { result: unknown[] };
    };
    expect(body.status).toBe('success');
    expect(body.data.result).toHaveLength(1);
    const last = proxy.seen.at(-1)!;
    expect(last.authorization).toBe(`Bearer ${TOKEN}`);
    expect(last['x-scope-orgid']).toBe('tenant-1');

    const values = await ask(id, 'label_values', '?label=job');
    expect(JSON.parse(values.json.upstream!.body)).toEqual({ status: 'success', data: ['osprey'] });
    const list = await api('GET', '/api/connections');
    expect(JSON.stringify(list.json)).toContain('"hasPrometheusSecret":true');
  });

  it('passes the proxy’s 401 through when the token is wrong', async () => {
    const id = await save(
      'wrong token',
      { url: `${proxy.url}/prometheus`, auth: 'bearer', headers: [TENANT] },
      'nope',
    );
    const r = await ask(id, 'query', '?query=up');
    expect(r.json.upstream).toMatchObject({
      status: 401,
      body: 'missing or wrong authorization\n',
    });
  });

  it('speaks TLS with a custom CA, and says so when the CA does not fit', async () => {
    const trusted = await save('tls', {
      url: `${tlsProxy.url}/prometheus`,
      auth: 'none',
      ca: caPem,
    });
    const ok = await ask(trusted, 'buildinfo');
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.json.upstream!.body).data.version).toMatch(/^2\.42\./);
    const wrong = await save('tls other ca', {
      url: `${tlsProxy.url}/prometheus`,
      auth: 'none',
      ca: otherCaPem,
    });
    const refused = await ask(wrong, 'buildinfo');
    expect(refused.status).toBe(502);
    expect(refused.json.error).toMatch(
      new RegExp(
        `^cannot reach Prometheus at ${tlsProxy.url}/prometheus: TLS certificate not trusted \\(`,
      ),
    );
  });

  it('says plainly when Prometheus is down', async () => {
    const port = await freePort();
    const id = await save('down', { url: `http://127.0.0.1:${port}`, auth: 'none' });
    expect(await ask(id, 'query', '?query=up')).toEqual({
      status: 502,
      json: {
        error: `cannot reach Prometheus at http://127.0.0.1:${port}: connection refused (is it running, and on this port?)`,
      },
    });
  });

  it('passes Prometheus’s own errors, a proxy’s HTML page and an empty result through untouched', async () => {
    const id = await save('direct', { url: prometheus.url, auth: 'none' });
    const bad = await ask(id, 'query', `?query=${encodeURIComponent('sum(')}`);
    expect(bad.status).toBe(200);
    expect(bad.json.upstream!.status).toBe(400);
    expect(JSON.parse(bad.json.upstream!.body)).toMatchObject({
      status: 'error',
      errorType: 'bad_data',
    });

    // Each step of a range evaluation checks the deadline: 61 steps of 3 × 172,800-point
    // subqueries cannot finish in 10 ms, so Prometheus answers its own 503 `timeout`.
    const heavy = 'count_over_time(vector(1)[2d:1s])';
    const slowQuery = encodeURIComponent(`count(${heavy} + ${heavy} + ${heavy})`);
    const slow = await ask(
      id,
      'query_range',
      `?query=${slowQuery}&start=1700000000&end=1700003600&step=60&timeout=10ms`,
    );
    expect(slow.json.upstream!.status).toBe(503);
    expect(JSON.parse(slow.json.upstream!.body)).toMatchObject({
      status: 'error',
      errorType: 'timeout',
    });

    const empty = await ask(id, 'query', '?query=no_such_metric_anywhere');
    expect(JSON.parse(empty.json.upstream!.body)).toEqual({
      status: 'success',
      data: { resultType: 'vector', result: [] },
    });

    const broken = await save('broken', { url: `${proxy.url}/broken`, auth: 'none' });
    const html = await ask(broken, 'query', '?query=up');
    expect(html.json.upstream).toMatchObject({ status: 502, contentType: 'text/html' });
    expect(html.json.upstream!.body).toContain('<h1>502 Bad Gateway</h1>');
  });

  it('tests unsaved settings with a typed secret, and never logs a secret', async () => {
    const r = await api('POST', '/api/prometheus/test', {
      settings: { url: `${proxy.url}/prometheus`, auth: 'bearer', headers: [TENANT] },
      secret: TOKEN,
    });
    expect(r.status).toBe(200);
    expect(JSON.parse(r.json.upstream!.body).data.version).toMatch(/^2\.42\./);
    expect(serve.output.join('')).not.toContain(TOKEN);
    const file = readFileSync(join(dir, 'config', 'connections.json'), 'utf8');
    expect(file).toContain('"prometheusSecret"');
  });
});
