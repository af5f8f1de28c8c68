import { describe, expect, it } from 'vitest';

import { checkPrometheusRequest } from './checkRequest.js';

describe('checkPrometheusRequest', () => {
  it('keeps a well-formed request as it is', () => {
    const r = {
      endpoint: 'series',
      params: [
        ['match[]', 'up'],
        ['match[]', 'x'],
      ],
    };
    expect(checkPrometheusRequest(r)).toEqual(r);
    const lv = { endpoint: 'label_values', params: [], label: 'job' };
    expect(checkPrometheusRequest(lv)).toEqual(lv);
  });

  it('names what is wrong with anything else', () => {
    expect(() => checkPrometheusRequest(null)).toThrow('Prometheus request must be an object');
    expect(() => checkPrometheusRequest({ endpoint: 'admin/tsdb', params: [] })).toThrow(
      /^unknown Prometheus endpoint "admin\/tsdb" \(known: query, query_range/,
    );
    expect(() => checkPrometheusRequest({ endpoint: 'toString', params: [] })).toThrow(/unknown/);
    expect(() => checkPrometheusRequest({ endpoint: 'query', params: 'query=up' })).toThrow(
      'Prometheus request params must be an array',
    );
    expect(() => checkPrometheusRequest({ endpoint: 'query', params: [['query', 1]] })).toThrow(
      'Prometheus request params.0 must be a [name, value] pair of strings',
    );
    expect(() =>
      checkPrometheusRequest({ endpoint: 'label_values', params: [], label: '../admin' }),
    ).toThrow('invalid label name "../admin"');
    expect(() =>
      checkPrometheusRequest({ endpoint: 'query', params: [['query', 'x'.repeat(1 << 20)]] }),
    ).toThrow(/larger than 1 MB/);
  });
});
