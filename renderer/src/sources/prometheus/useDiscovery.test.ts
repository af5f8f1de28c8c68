import { describe, expect, it } from 'vitest';

import { FakePrometheusSource } from './FakePrometheusSource.js';
import { discoverServer } from './useDiscovery.js';

describe('discoverServer', () => {
  it('finds the families and estimates the scrape interval from samples per window', async () => {
    const source = new FakePrometheusSource((call) => {
      if (call.method === 'labelValues') {
        return ['vllm:num_requests_running', 'vllm:time_to_first_token_seconds_bucket', 'up'];
      }
      if (call.method === 'instant') {
        expect(call.arg).toBe('max(count_over_time(vllm:num_requests_running[120s]))');
        return [{ metric: {}, time: 0, value: 120 }];
      }
      return [];
    });
    const found = await discoverServer(source, new AbortController().signal);
    expect(found.discovery.families).toEqual(['vllm']);
    expect(found.scrapeIntervalS).toBe(1);
  });

  it('leaves the interval unknown when it cannot be counted', async () => {
    const source = new FakePrometheusSource((call) =>
      call.method === 'labelValues' ? ['DCGM_FI_DEV_GPU_UTIL'] : [],
    );
    const found = await discoverServer(source, new AbortController().signal);
    expect(found.discovery.families).toEqual(['dcgm']);
    expect(found.scrapeIntervalS).toBeUndefined();
  });
});
