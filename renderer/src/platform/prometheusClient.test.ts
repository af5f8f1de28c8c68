import { describe, expect, it } from 'vitest';

import { PrometheusTransportError } from './Platform.js';
import { createPrometheusClient } from './prometheusClient.js';

const ORIGIN = 'http://127.0.0.1:7420';
const UPSTREAM = {
  status: 400,
  contentType: 'application/json',
  body: '{"status":"error","errorType":"bad_data","error":"parse error"}',
  url: 'http://prom:9090/api/v1/query',
};

function fakeFetch(status: number, body: string) {
  const calls: Array<{ url: string; init: RequestInit }> = [];
  const impl = (async (url: string, init: RequestInit) => {
    calls.push({ url, init });
    init.signal?.throwIfAborted();
    return new Response(body, { status });
  }) as unknown as typeof fetch;
  return { calls, impl };
}

describe('prometheus client (web)', () => {
  it('asks the server with the token and encoded params, and returns the upstream answer', async () => {
    const { calls, impl } = fakeFetch(200, JSON.stringify({ upstream: UPSTREAM }));
    const client = createPrometheusClient(ORIGIN, 'tok', impl);
    const answer = await client.request('a/b', {
      endpoint: 'series',
      params: [
        ['match[]', 'up{job="a b"}'],
        ['match[]', 'x+y'],
      ],
    });
    expect(answer).toEqual(UPSTREAM);
    expect(calls[0]!.url).toBe(
      `${ORIGIN}/api/connections/a%2Fb/prometheus/series?match%5B%5D=up%7Bjob%3D%22a%20b%22%7D&match%5B%5D=x%2By`,
    );
    expect(calls[0]!.init.headers).toEqual({ authorization: 'Bearer tok' });
    await client.request('c', { endpoint: 'label_values', params: [['start', '1']], label: 'job' });
    expect(calls[1]!.url).toBe(
      `${ORIGIN}/api/connections/c/prometheus/label_values?start=1&label=job`,
    );
  });

  it('posts unsaved settings to the test route', async () => {
    const { calls, impl } = fakeFetch(200, JSON.stringify({ upstream: UPSTREAM }));
    const input = { settings: { url: 'http://p', auth: 'none' as const }, secret: 's' };
    await createPrometheusClient(ORIGIN, 'tok', impl).test(input);
    expect(calls[0]!.url).toBe(`${ORIGIN}/api/prometheus/test`);
    expect(calls[0]!.init.method).toBe('POST');
    expect(JSON.parse(calls[0]!.init.body as string)).toEqual(input);
  });

  it('turns the server’s own errors into PrometheusTransportError with its message', async () => {
    const refused = 'cannot reach Prometheus at http://127.0.0.1:9: connection refused';
    const client = createPrometheusClient(
      ORIGIN,
      't',
      fakeFetch(502, JSON.stringify({ error: refused })).impl,
    );
    const error = await client
      .request('c', { endpoint: 'query', params: [] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PrometheusTransportError);
    expect((error as Error).message).toBe(refused);
    const html = createPrometheusClient(ORIGIN, 't', fakeFetch(500, '<html>oops</html>').impl);
    await expect(html.request('c', { endpoint: 'query', params: [] })).rejects.toThrow(
      'the Osprey server answered 500 with something other than JSON: <html>oops</html>',
    );
  });

  it('lets an abort through as an AbortError', async () => {
    const client = createPrometheusClient(ORIGIN, 't', fakeFetch(200, '{}').impl);
    const controller = new AbortController();
    controller.abort();
    await expect(
      client.request('c', { endpoint: 'query', params: [] }, controller.signal),
    ).rejects.toMatchObject({ name: 'AbortError' });
  });
});
