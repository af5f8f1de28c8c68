import { describe, expect, it } from 'vitest';

import type { PrometheusHttpResponse } from './request.js';
import {
  parseInstantResponse,
  parseQueryResponse,
  parseRangeResponse,
  parseSampleValue,
} from './response.js';

const res = (body: unknown, status = 200): PrometheusHttpResponse => ({
  status,
  body: typeof body === 'string' ? body : JSON.stringify(body),
  contentType: 'application/json',
  url: 'http://p/api/v1/query_range',
});
const ok = (data: unknown, extra: object = {}) => res({ status: 'success', data, ...extra });

describe('parseSampleValue', () => {
  it('reads Go float formatting and the special values', () => {
    expect(parseSampleValue('1')).toBe(1);
    expect(parseSampleValue('1e+06')).toBe(1e6);
    expect(parseSampleValue('-0.25')).toBe(-0.25);
    expect(parseSampleValue('+Inf')).toBe(Infinity);
    expect(parseSampleValue('-Inf')).toBe(-Infinity);
    expect(parseSampleValue('NaN')).toBeNaN();
    expect(parseSampleValue('')).toBeNaN();
    expect(parseSampleValue('abc')).toBeNaN();
  });
});

describe('parseQueryResponse', () => {
  it('decodes a matrix into millisecond times and numbers, special values included', () => {
    const r = parseRangeResponse(
      ok(
        {
          resultType: 'matrix',
          result: [
            {
              metric: { __name__: 'up', job: 'a' },
              values: [
                [1435781430.781, '1'],
                [1435781445.781, 'NaN'],
                [1435781460.781, '+Inf'],
                [1435781475.781, '-Inf'],
              ],
            },
          ],
        },
        { warnings: ['slow'] },
      ),
    );
    expect(r.warnings).toEqual(['slow']);
    const s = r.data[0]!;
    expect(s.metric).toEqual({ __name__: 'up', job: 'a' });
    expect([...s.times]).toEqual([1435781430781, 1435781445781, 1435781460781, 1435781475781]);
    expect(s.values[0]).toBe(1);
    expect(s.values[1]).toBeNaN();
    expect(s.values[2]).toBe(Infinity);
    expect(s.values[3]).toBe(-Infinity);
  });

  it('decodes vector, scalar and string results', () => {
    const v = parseQueryResponse(
      ok({ resultType: 'vector', result: [{ metric: {}, value: [1.5, '2'] }] }),
    );
    expect(v.data).toEqual({
      resultType: 'vector',
      result: [{ metric: {}, time: 1500, value: 2 }],
    });
    expect(parseQueryResponse(ok({ resultType: 'scalar', result: [10, '42'] })).data).toEqual({
      resultType: 'scalar',
      time: 10000,
      value: 42,
    });
    expect(parseQueryResponse(ok({ resultType: 'string', result: [10, 'hi'] })).data).toEqual({
      resultType: 'string',
      time: 10000,
      value: 'hi',
    });
    expect(parseInstantResponse(ok({ resultType: 'scalar', result: [1, '3'] })).data).toEqual([
      { metric: {}, time: 1000, value: 3 },
    ]);
  });

  it('treats an empty result as no data, not as an error', () => {
    expect(parseRangeResponse(ok({ resultType: 'matrix', result: [] })).data).toEqual([]);
    expect(parseInstantResponse(ok({ resultType: 'vector', result: [] })).data).toEqual([]);
  });

  it('names the path of the first malformed value', () => {
    const bad = (values: unknown[]) =>
      ok({
        resultType: 'matrix',
        result: [
          { metric: {}, values: [[1, '1']] },
          { metric: {}, values },
        ],
      });
    expect(() =>
      parseRangeResponse(
        bad([
          [1, '1'],
          [2, 3],
        ]),
      ),
    ).toThrow('data.result[1].values[1][1]: expected a string sample value, got 3');
    expect(() => parseRangeResponse(bad([[1, 'one']]))).toThrow(
      'data.result[1].values[0][1]: not a number: "one"',
    );
    expect(() => parseRangeResponse(bad([['1', '1']]))).toThrow(
      'data.result[1].values[0][0]: expected a unix time in seconds, got "1"',
    );
    expect(() => parseRangeResponse(bad([[1]]))).toThrow(
      'data.result[1].values[0]: expected [time, "value"]',
    );
    expect(() =>
      parseRangeResponse(ok({ resultType: 'matrix', result: [{ metric: { a: 1 }, values: [] }] })),
    ).toThrow('data.result[0].metric.a: expected a string, got 1');
    expect(() => parseQueryResponse(ok({ resultType: 'table', result: [] }))).toThrow(
      'data.resultType: expected matrix|vector|scalar|string, got "table"',
    );
    expect(() => parseRangeResponse(ok({ resultType: 'vector', result: [] }))).toThrow(
      'a range query should give "matrix", got "vector"',
    );
    expect(() => parseQueryResponse(ok({ resultType: 'matrix', result: {} }))).toThrow(
      'data.result: expected a list, got {}',
    );
  });

  it('leaves native-histogram samples out with a warning', () => {
    const r = parseQueryResponse(
      ok({
        resultType: 'vector',
        result: [
          { metric: { a: '1' }, value: [1, '1'] },
          { metric: { a: '2' }, histogram: [1, { count: '1', sum: '1', buckets: [] }] },
        ],
      }),
    );
    expect(r.data.resultType === 'vector' && r.data.result).toHaveLength(1);
    expect(r.warnings).toEqual(['1 native-histogram samples left out (classic buckets only)']);
  });
});
