import { describe, expect, it } from 'vitest';

import type { PrometheusHttpResponse } from '../platform/Platform.js';
import { PrometheusTransportError } from '../platform/Platform.js';
import { testPrometheus } from './testPrometheus.js';

const input = { settings: { url: 'http://prom:9090', auth: 'none' as const } };
const answer = (status: number, contentType: string, body: string): PrometheusHttpResponse => ({
  status,
  contentType,
  body,
  url: 'http://prom:9090/api/v1/status/buildinfo',
});
const platformAnswering = (a: PrometheusHttpResponse | Error) => ({
  testPrometheus: async () => {
    if (a instanceof Error) throw a;
    return a;
  },
});

describe('testPrometheus', () => {
  it('names the version and revision of what answered', async () => {
    const body = JSON.stringify({
      status: 'success',
      data: { version: '2.42.0', revision: '225c61122d88b01d1f0eaaee0e05b6f3e0567ac0' },
    });
    await expect(
      testPrometheus(platformAnswering(answer(200, 'application/json', body)), input),
    ).resolves.toEqual({
      ok: true,
      message: 'Prometheus 2.42.0 (rev 225c61122d) at http://prom:9090',
    });
  });

  it('says plainly why nothing usable answered', async () => {
    const refused = 'cannot reach Prometheus at http://prom:9090: connection refused';
    await expect(
      testPrometheus(platformAnswering(new PrometheusTransportError(refused)), input),
    ).resolves.toEqual({ ok: false, message: refused });
    const html = await testPrometheus(
      platformAnswering(answer(502, 'text/html', '<html><h1>502 Bad Gateway</h1></html>')),
      input,
    );
    expect(html.ok).toBe(false);
    expect(html.message).toMatch(/502/);
  });
});
