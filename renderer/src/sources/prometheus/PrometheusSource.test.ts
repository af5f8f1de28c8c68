import { describe, expect, it } from 'vitest';

import { PrometheusError } from '../../../../collector/core/prometheus/PrometheusError.js';
import type {
  PrometheusHttpResponse,
  PrometheusRequest,
} from '../../../../collector/core/prometheus/request.js';
import { createPrometheusSource, type PrometheusPort } from './PrometheusSource.js';

interface Seen {
  id: string;
  request: PrometheusRequest;
  signal: AbortSignal | undefined;
}

function port(answer: (r: PrometheusRequest) => Partial<PrometheusHttpResponse>) {
  const seen: Seen[] = [];
  const p: PrometheusPort = {
    prometheusRequest: (id, request, signal) => {
      seen.push({ id, request, signal });
      return Promise.resolve({
        status: 200,
        contentType: 'application/json',
        url: 'http://prom:9090/api/v1/x',
        body: '',
        ...answer(request),
      });
    },
  };
  return { p, seen };
}

const json = (data: unknown) => ({ body: JSON.stringify({ status: 'success', data }) });

describe('PrometheusSource', () => {
  it('asks for a range in seconds and decodes the matrix to ms', async () => {
    const { p, seen } = port(() =>
      json({
        resultType: 'matrix',
        result: [
          {
            metric: { engine: 'vllm-0' },
            values: [
              [1715508000, '0.25'],
              [1715508015, 'NaN'],
            ],
          },
        ],
      }),
    );
    const source = createPrometheusSource(p, 'c1');
    const signal = new AbortController().signal;
    const r = await source.range(
      'up',
      { start: 1715508000_000, end: 1715508015_500, step: 15 },
      signal,
    );
    expect(seen[0]).toEqual({
      id: 'c1',
      request: {
        endpoint: 'query_range',
        params: [
          ['query', 'up'],
          ['start', '1715508000'],
          ['end', '1715508015.5'],
          ['step', '15'],
        ],
      },
      signal,
    });
    expect(r.data[0]!.metric).toEqual({ engine: 'vllm-0' });
    expect([...r.data[0]!.times]).toEqual([1715508000_000, 1715508015_000]);
    expect(r.data[0]!.values[1]).toBeNaN();
  });

  it('sends match[] selectors and the label in the request', async () => {
    const { p, seen } = port(() => json(['a', 'b']));
    const source = createPrometheusSource(p, 'c1');
    const signal = new AbortController().signal;
    expect(
      (await source.labelValues('model_name', ['vllm:num_requests_running'], signal)).data,
    ).toEqual(['a', 'b']);
    expect(seen[0]!.request).toEqual({
      endpoint: 'label_values',
      label: 'model_name',
      params: [['match[]', 'vllm:num_requests_running']],
    });
    await source.labels(undefined, signal);
    expect(seen[1]!.request).toEqual({ endpoint: 'labels', params: [] });
  });

  it('turns an error envelope into a PrometheusError with the server text', async () => {
    const { p } = port(() => ({
      status: 400,
      body: JSON.stringify({
        status: 'error',
        errorType: 'bad_data',
        error: 'parse error at char 3',
      }),
    }));
    const source = createPrometheusSource(p, 'c1');
    const error = await source
      .instant('up{', undefined, new AbortController().signal)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PrometheusError);
    expect((error as PrometheusError).errorType).toBe('bad_data');
    expect((error as Error).message).toContain('parse error at char 3');
  });

  it('says plainly when a proxy answers with an HTML page', async () => {
    const { p } = port(() => ({
      status: 502,
      contentType: 'text/html',
      body: '<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>',
    }));
    const error = await createPrometheusSource(p, 'c1')
      .buildinfo(new AbortController().signal)
      .catch((e: unknown) => e as PrometheusError);
    expect((error as PrometheusError).kind).toBe('non-json');
    expect((error as Error).message).toContain('502 Bad Gateway');
  });

  it('refuses to start on an aborted signal, and drops an answer that raced the abort', async () => {
    const controller = new AbortController();
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => (release = r));
    const p: PrometheusPort = {
      prometheusRequest: async () => {
        await gate;
        return { status: 200, contentType: 'application/json', url: 'u', body: '{}' };
      },
    };
    const source = createPrometheusSource(p, 'c1');
    const pending = source.alerts(controller.signal);
    controller.abort();
    release();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    await expect(source.alerts(controller.signal)).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('passes the host transport error through with its own message', async () => {
    const p: PrometheusPort = {
      prometheusRequest: () =>
        Promise.reject(
          new Error('cannot reach Prometheus at http://127.0.0.1:1: connection refused'),
        ),
    };
    await expect(
      createPrometheusSource(p, 'c1').buildinfo(new AbortController().signal),
    ).rejects.toThrow('cannot reach Prometheus at http://127.0.0.1:1: connection refused');
  });

  it('refuses a non-positive step before asking', () => {
    const { p, seen } = port(() => ({}));
    expect(() =>
      createPrometheusSource(p, 'c1').range(
        'up',
        { start: 0, end: 1, step: 0 },
        new AbortController().signal,
      ),
    ).toThrow('step must be positive, got 0');
    expect(seen).toHaveLength(0);
  });
});
