import { describe, expect, it } from 'vitest';

import { createConnectionsClient } from './connectionsClient.js';
import { ConnectionSaveError } from './Platform.js';

interface Call {
  url: string;
  method: string;
  headers: Record<string, string>;
  body?: string;
}

function fakeFetch(answer: (call: Call) => { status: number; body?: string }) {
  const calls: Call[] = [];
  const impl = (async (url: string, init: RequestInit) => {
    const call: Call = {
      url,
      method: init.method ?? 'GET',
      headers: init.headers as Record<string, string>,
      ...(typeof init.body === 'string' ? { body: init.body } : {}),
    };
    calls.push(call);
    const { status, body } = answer(call);
    return new Response(status === 204 ? null : (body ?? ''), { status });
  }) as unknown as typeof fetch;
  return { calls, impl };
}

const summary = {
  id: 'a b',
  name: 'prod',
  kind: 'nats',
  natsUrl: 'ws://n',
  auth: 'none',
  hasSecret: false,
};

describe('connections client', () => {
  it('sends the token as a bearer header on every call, and JSON bodies', async () => {
    const { calls, impl } = fakeFetch((c) =>
      c.method === 'DELETE'
        ? { status: 204 }
        : c.url.endsWith('/secret')
          ? { status: 200, body: '{"secret":"s"}' }
          : c.method === 'GET'
            ? { status: 200, body: JSON.stringify({ connections: [summary] }) }
            : { status: 200, body: JSON.stringify({ connection: summary }) },
    );
    const client = createConnectionsClient('http://127.0.0.1:7420', 'tok', impl);
    await expect(client.list()).resolves.toEqual([summary]);
    await client.save({ name: 'prod', kind: 'nats', natsUrl: 'ws://n', auth: 'none' });
    await client.save({ name: 'prod', kind: 'nats', natsUrl: 'ws://n', auth: 'none' }, 'a b');
    await expect(client.secret('a b')).resolves.toBe('s');
    await client.remove('a b');
    expect(calls.map((c) => `${c.method} ${c.url}`)).toEqual([
      'GET http://127.0.0.1:7420/api/connections',
      'POST http://127.0.0.1:7420/api/connections',
      'PUT http://127.0.0.1:7420/api/connections/a%20b',
      'GET http://127.0.0.1:7420/api/connections/a%20b/secret',
      'DELETE http://127.0.0.1:7420/api/connections/a%20b',
    ]);
    for (const c of calls) expect(c.headers.authorization).toBe('Bearer tok');
    expect(calls[1]!.headers['content-type']).toBe('application/json');
    expect(JSON.parse(calls[1]!.body!)).toMatchObject({ name: 'prod' });
  });

  it('turns a 400 into a ConnectionSaveError with the fields, and other refusals into errors', async () => {
    const errors = [{ field: 'natsUrl', message: 'must be a ws:// or wss:// URL' }];
    const bad = createConnectionsClient(
      'http://h',
      't',
      fakeFetch(() => ({ status: 400, body: JSON.stringify({ error: 'natsUrl: …', errors }) }))
        .impl,
    );
    const refusal = await bad
      .save({ name: 'x', kind: 'nats', natsUrl: 'x', auth: 'none' })
      .catch((e) => e);
    expect(refusal).toBeInstanceOf(ConnectionSaveError);
    expect(refusal.errors).toEqual(errors);

    const denied = createConnectionsClient(
      'http://h',
      't',
      fakeFetch(() => ({
        status: 401,
        body: '{"error":"unauthorized: send Authorization: Bearer <token>"}',
      })).impl,
    );
    await expect(denied.list()).rejects.toThrow(/^unauthorized/);

    const proxy = createConnectionsClient(
      'http://h',
      't',
      fakeFetch(() => ({ status: 502, body: '<html>Bad gateway</html>' })).impl,
    );
    await expect(proxy.list()).rejects.toThrow(
      'the Osprey server answered 502 with something other than JSON: <html>Bad gateway</html>',
    );

    const down = createConnectionsClient('http://h', 't', (async () => {
      throw new TypeError('Failed to fetch');
    }) as unknown as typeof fetch);
    await expect(down.list()).rejects.toThrow(
      'cannot reach the Osprey server at http://h: Failed to fetch',
    );
  });
});
