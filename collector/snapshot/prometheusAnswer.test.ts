import { describe, expect, it } from 'vitest';

import {
  MAX_ANSWER_BODY_CHARS,
  parsePrometheusAnswer,
  requestKey,
} from '../core/snapshot/prometheusAnswer.js';

const GOOD = {
  request: { endpoint: 'label_values', label: '__name__', params: [['match[]', 'up']] },
  status: 200,
  contentType: 'application/json',
  body: '{"status":"success","data":["up"]}',
  time: 1_764_000_000_000,
};

describe('a stored Prometheus answer', () => {
  it('reads back as the answer it was', () => {
    expect(parsePrometheusAnswer(JSON.parse(JSON.stringify(GOOD)))).toEqual(GOOD);
  });

  it.each([
    ['not an object', 'up', 'not a JSON object'],
    [
      'an endpoint the console never asks',
      { ...GOOD, request: { ...GOOD.request, endpoint: 'admin/tsdb/delete_series' } },
      'unknown endpoint "admin/tsdb/delete_series"',
    ],
    [
      'an endpoint named like an Object property',
      { ...GOOD, request: { ...GOOD.request, endpoint: 'toString' } },
      'unknown endpoint "toString"',
    ],
    [
      'params that are not pairs',
      { ...GOOD, request: { ...GOOD.request, params: [['query']] } },
      'request.params is not a list of [name, value]',
    ],
    ['a body that is not text', { ...GOOD, body: { status: 'success' } }, 'body is not text'],
    ['a status that is not an integer', { ...GOOD, status: '200' }, 'status is not an integer'],
    ['a time that is not a number', { ...GOOD, time: 'yesterday' }, 'time is not a number'],
    [
      'a body over the bound',
      { ...GOOD, body: 'x'.repeat(MAX_ANSWER_BODY_CHARS + 1) },
      `body of ${MAX_ANSWER_BODY_CHARS + 1} characters is too large`,
    ],
  ])('refuses %s, saying what', (_what, value, why) => {
    expect(parsePrometheusAnswer(value)).toBe(why);
  });

  it('keys requests by endpoint, label and parameters in order', () => {
    const a = {
      endpoint: 'series' as const,
      params: [
        ['match[]', 'a'],
        ['match[]', 'b'],
      ] as const,
    };
    const b = {
      endpoint: 'series' as const,
      params: [
        ['match[]', 'b'],
        ['match[]', 'a'],
      ] as const,
    };
    expect(requestKey(a)).toBe(requestKey({ ...a, params: [...a.params] }));
    expect(requestKey(a)).not.toBe(requestKey(b));
  });
});
