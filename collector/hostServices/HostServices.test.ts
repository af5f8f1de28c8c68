/**
 * The host services both transports call (the web API over HTTP, the desktop over IPC): the
 * connection operations with their per-field refusals, the stored-secret rule for Prometheus and
 * the calls made with it. A recording fetch stands in for Prometheus; the transports' own tests
 * (collector/outputs/api, electron/main/ipc.test.ts) run the real HTTP client and servers.
 */
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { ConnectionStore } from '../core/connections/ConnectionStore.js';
import { PrometheusTransportError } from '../core/prometheus/transportError.js';
import { HostError } from './hostError.js';
import { HostServices, type FetchPrometheus } from './HostServices.js';
import { openHostServices } from './openHostServices.js';

function memoryStore(initial?: string): ConnectionStore {
  let text = initial;
  let n = 0;
  const file = {
    path: '/tmp/connections.json',
    read: async () => text,
    write: async (t: string) => void (text = t),
  };
  return new ConnectionStore(file, () => `c${++n}`);
}

/** Answers 200 with the secret it was given as the body, and records every call. */
function recordingFetch(answer?: (call: Parameters<FetchPrometheus>[0]) => Promise<never>) {
  const calls: Parameters<FetchPrometheus>[0][] = [];
  const fetch: FetchPrometheus = async (call) => {
    calls.push(call);
    if (answer) return answer(call);
    return {
      status: 200,
      contentType: 'text/plain',
      body: call.secret ?? '',
      url: call.settings.url,
    };
  };
  return { calls, fetch };
}

/** What the promise rejected with, as a HostError (fails the test otherwise). */
async function refusal(promise: Promise<unknown>): Promise<HostError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (error instanceof HostError) return error;
  throw new Error(`expected a HostError, got ${String(error)}`);
}

const nats = { name: 'prod', kind: 'nats', natsUrl: 'wss://n.example', auth: 'token', secret: 't' };
const withProm = (prometheus: Record<string, unknown>, prometheusSecret?: string) => ({
  name: 'prom',
  kind: 'nats',
  auth: 'none',
  prometheus,
  ...(prometheusSecret === undefined ? {} : { prometheusSecret }),
});

describe('HostServices: connections', () => {
  it('saves, lists, hands out the secret of, updates and removes a connection', async () => {
    const host = new HostServices(memoryStore());
    const saved = await host.saveConnection(nats);
    expect(saved).toMatchObject({ id: 'c1', name: 'prod', hasSecret: true });
    expect(saved).not.toHaveProperty('secret');
    const { secret: _secret, ...kept } = nats;
    await host.saveConnection({ ...kept, name: 'prod-2' }, 'c1');
    expect(await host.listConnections()).toEqual({
      connections: [expect.objectContaining({ id: 'c1', name: 'prod-2', hasSecret: true })],
      problems: [],
    });
    expect(await host.connectionSecret('c1')).toBe('t');
    await host.removeConnection('c1');
    expect((await host.listConnections()).connections).toEqual([]);
  });

  it('refuses a bad save with 400 and a message per bad field', async () => {
    const host = new HostServices(memoryStore());
    const error = await refusal(
      host.saveConnection({ name: '', kind: 'nats', natsUrl: 'nats://n', auth: 'none' }),
    );
    expect(error.status).toBe(400);
    expect(error.errors.map((e) => e.field).sort()).toEqual(['name', 'natsUrl']);
    expect(error.message).toContain('natsUrl: must be a ws:// or wss:// URL');
    expect((await host.listConnections()).connections).toEqual([]);
  });

  it('answers 404 for an unknown id and 400 for an id that is not a short string', async () => {
    const host = new HostServices(memoryStore());
    const unknown = await refusal(host.removeConnection('nope'));
    expect([unknown.status, unknown.message]).toEqual([404, 'no connection with id "nope"']);
    for (const id of [7, '', 'x'.repeat(257), { id: 1 }]) {
      const bad = await refusal(host.connectionSecret(id));
      expect(bad.status).toBe(400);
      expect(bad.message).toMatch(/^connection id must be a string of 1–256 characters/);
    }
  });

  it('names the skipped entries of a hand-edited file beside the good ones', async () => {
    const text = JSON.stringify({
      version: 1,
      connections: [
        { id: 'a', name: 'good', kind: 'nats', natsUrl: 'wss://n.example', auth: 'none' },
        { id: 'b', name: 'evil', kind: 'nats', natsUrl: 'javascript:alert(1)', auth: 'none' },
      ],
    });
    const list = await new HostServices(memoryStore(text)).listConnections();
    expect(list.connections.map((c) => c.id)).toEqual(['a']);
    expect(list.problems).toEqual([expect.stringMatching(/entry 1 \("evil", id "b"\): natsUrl:/)]);
  });
});

describe('HostServices: Prometheus', () => {
  it('calls the saved Prometheus with the stored secret, which no other answer carries', async () => {
    const upstream = recordingFetch();
    const host = new HostServices(memoryStore(), upstream.fetch);
    await host.saveConnection(withProm({ url: 'http://prom:9090', auth: 'bearer' }, 'tok'));
    const request = { endpoint: 'query', params: [['query', 'up']] };
    const signal = new AbortController().signal;
    expect(await host.prometheusRequest('c1', request, signal)).toMatchObject({ body: 'tok' });
    expect(upstream.calls[0]).toMatchObject({ request, secret: 'tok', signal });
    expect(await host.connectionSecret('c1')).toBeNull();
    expect(JSON.stringify(await host.listConnections())).not.toContain('tok"');
  });

  it('refuses a malformed request, an unknown connection and one without Prometheus before any call', async () => {
    const upstream = recordingFetch();
    const host = new HostServices(memoryStore(), upstream.fetch);
    await host.saveConnection(nats);
    const admin = await refusal(host.prometheusRequest('c1', { endpoint: 'admin', params: [] }));
    expect([admin.status, admin.message]).toEqual([
      400,
      expect.stringMatching(/^unknown Prometheus endpoint "admin"/),
    ]);
    const query = { endpoint: 'query', params: [['query', 'up']] };
    expect((await refusal(host.prometheusRequest('nope', query))).status).toBe(404);
    const none = await refusal(host.prometheusRequest('c1', query));
    expect([none.status, none.message]).toEqual([400, 'connection "prod" has no Prometheus URL']);
    expect(upstream.calls).toEqual([]);
  });

  it('tests unsaved settings with the stored secret only for its own URL and user', async () => {
    const upstream = recordingFetch();
    const host = new HostServices(memoryStore(), upstream.fetch);
    const own = { url: 'https://prom.a:9090/prom', auth: 'basic', user: 'ops' };
    await host.saveConnection(withProm(own, 'stored-pw'));
    for (const settings of [
      { ...own, url: 'http://evil.example:9090/prom' },
      { ...own, url: 'https://prom.a:9090/other' },
      { ...own, user: 'attacker' },
    ]) {
      const error = await refusal(host.testPrometheus({ settings, connectionId: 'c1' }));
      expect(error.status).toBe(400);
      expect(error.message).toMatch(
        /^the saved password belongs to (user "ops" at )?https:\/\/prom\.a:9090\/prom; type it again to test another (URL|user name)$/,
      );
      expect(error.errors).toEqual([{ field: 'secret', message: error.message }]);
    }
    expect(upstream.calls).toEqual([]);
    await host.testPrometheus({
      settings: { ...own, url: 'https://prom.a:9090/prom/' },
      connectionId: 'c1',
    });
    await host.testPrometheus({
      settings: { ...own, user: 'x' },
      connectionId: 'c1',
      secret: 'typed',
    });
    expect(upstream.calls.map((c) => [c.request.endpoint, c.secret])).toEqual([
      ['buildinfo', 'stored-pw'],
      ['buildinfo', 'typed'],
    ]);
  });

  it('refuses bad test settings with a message per field', async () => {
    const upstream = recordingFetch();
    const host = new HostServices(memoryStore(), upstream.fetch);
    const error = await refusal(host.testPrometheus({ settings: { url: 'x', auth: 'none' } }));
    expect(error.status).toBe(400);
    expect(error.errors).toEqual([
      {
        field: 'settings.url',
        message: expect.stringMatching(/^must be an http:\/\/ or https:\/\//),
      },
    ]);
    expect(upstream.calls).toEqual([]);
  });

  it('passes "no answer" on as the one PrometheusTransportError', async () => {
    const refused = new PrometheusTransportError('cannot reach Prometheus at http://p: refused');
    const host = new HostServices(
      memoryStore(),
      recordingFetch(() => Promise.reject(refused)).fetch,
    );
    await expect(host.testPrometheus({ settings: { url: 'http://p', auth: 'none' } })).rejects.toBe(
      refused,
    );
  });
});

describe('openHostServices', () => {
  let dir: string;
  beforeEach(async () => void (dir = await mkdtemp(join(tmpdir(), 'osprey-host-'))));
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('keeps connections in a 0600 connections.json, secrets as the injected codec seals them', async () => {
    const lines: string[] = [];
    const reversed = {
      encrypts: true,
      encrypt: (s: string) => [...s].reverse().join(''),
      decrypt: (s: string) => [...s].reverse().join(''),
    };
    const opened = openHostServices({
      dir: join(dir, 'cfg'),
      cipher: reversed,
      log: (l) => lines.push(l),
    });
    expect([opened.path, opened.encrypts]).toEqual([join(dir, 'cfg', 'connections.json'), true]);
    const { id } = await opened.services.saveConnection({ ...nats, secret: 'abc123' });
    const text = await readFile(opened.path, 'utf8');
    expect(text).toContain('"value": "321cba"');
    expect(text).not.toContain('abc123');
    expect((await stat(opened.path)).mode & 0o777).toBe(0o600);
    expect(await opened.services.connectionSecret(id)).toBe('abc123');
    expect(lines).toEqual([]);
  });

  it('stores plain text without a codec and logs a skipped entry once', async () => {
    const lines: string[] = [];
    const opened = openHostServices({ dir, log: (l) => lines.push(l) });
    expect(opened.encrypts).toBe(false);
    await opened.services.saveConnection(nats);
    expect(await readFile(opened.path, 'utf8')).toContain('"value": "t"');
    const text = JSON.stringify({
      version: 1,
      connections: [{ id: 'b', name: 'evil', kind: 'nats', natsUrl: 'javascript:x', auth: 'none' }],
    });
    await rm(opened.path);
    await import('node:fs/promises').then((fs) => fs.writeFile(opened.path, text));
    expect(await opened.problems()).toHaveLength(1);
    await opened.services.listConnections();
    expect(lines).toEqual([expect.stringMatching(/^connections: .*entry 0 \("evil", id "b"\)/)]);
  });
});
