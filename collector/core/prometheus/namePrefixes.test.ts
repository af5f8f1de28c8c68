import { describe, expect, it } from 'vitest';

import { namePrefix, namePrefixes, prefixSummaryText } from './namePrefixes.js';

describe('namePrefix', () => {
  it('cuts at the first colon, else the first underscore, else keeps the name', () => {
    expect(namePrefix('ray_vllm:num_requests_running')).toBe('ray_vllm:');
    expect(namePrefix('vllm:e2e_request_latency_seconds_bucket')).toBe('vllm:');
    expect(namePrefix('DCGM_FI_DEV_GPU_UTIL')).toBe('DCGM_');
    expect(namePrefix('tgi_queue_size')).toBe('tgi_');
    expect(namePrefix('up')).toBe('up');
    expect(namePrefix('_hidden')).toBe('_hidden');
  });
});

describe('namePrefixes', () => {
  const names = [
    ...Array.from({ length: 120 }, (_, i) => `foo_metric_${i}`),
    ...Array.from({ length: 40 }, (_, i) => `bar:thing_${i}`),
    ...Array.from({ length: 40 }, (_, i) => `baz_${i}`),
    'up',
    'up',
    'scrape_duration_seconds',
  ];

  it('counts distinct names per prefix, most first, ties by prefix', () => {
    const s = namePrefixes(names);
    expect(s.top).toEqual([
      { prefix: 'foo_', count: 120 },
      { prefix: 'bar:', count: 40 },
      { prefix: 'baz_', count: 40 },
      { prefix: 'scrape_', count: 1 },
      { prefix: 'up', count: 1 },
    ]);
    expect(s.total).toBe(202);
    expect(s.otherGroups).toBe(0);
  });

  it('keeps the top groups and counts the rest', () => {
    const s = namePrefixes(names, 2);
    expect(s.top.map((p) => p.prefix)).toEqual(['foo_', 'bar:']);
    expect(s.otherGroups).toBe(3);
    expect(s.otherNames).toBe(42);
    expect(prefixSummaryText(s)).toBe('foo_ ×120, bar: ×40 and 3 more prefixes (42 names)');
  });

  it('says when the server has no names at all', () => {
    expect(prefixSummaryText(namePrefixes([]))).toBe('no metric names at all');
    expect(prefixSummaryText(namePrefixes(['up']))).toBe('up ×1');
  });
});
