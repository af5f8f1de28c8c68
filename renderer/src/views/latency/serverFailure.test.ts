import { describe, expect, it } from 'vitest';

import { PrometheusError } from '../../../../collector/core/prometheus/PrometheusError.js';
import { cannotReachPrometheus } from '../../../../collector/core/prometheus/transportError.js';
import { serverFailure, type Settled } from './serverFailure.js';

const down = () => cannotReachPrometheus('http://127.0.0.1:9090', 'connection refused');
const badData = (q: string) =>
  new PrometheusError({
    kind: 'api',
    url: `http://p/api/v1/query_range?query=${q}`,
    status: 400,
    errorType: 'bad_data',
    detail: 'parse error',
  });
const err = (error: Error): Settled => ({ status: 'error', error });
const ok: Settled = { status: 'success' };

describe('serverFailure', () => {
  it('says an unreachable Prometheus once, covering every panel that failed with it', () => {
    const outcomes = Array.from({ length: 22 }, () => err(down()));
    const f = serverFailure(outcomes)!;
    expect(f.message).toBe('cannot reach Prometheus at http://127.0.0.1:9090: connection refused');
    expect(outcomes.every((o) => f.covers(o.error))).toBe(true);
  });

  it('counts a transport failure as server-wide even while other answers arrived', () => {
    const f = serverFailure([ok, ok, err(down()), { status: 'pending' }])!;
    expect(f.covers(down())).toBe(true);
    expect(f.covers(badData('x'))).toBe(false);
  });

  it("leaves one query's bad_data on its panel", () => {
    expect(serverFailure([ok, err(badData('a')), ok])).toBeUndefined();
    expect(serverFailure([err(badData('a'))])).toBeUndefined();
  });

  it('takes the same error on every finished query as server-wide, whatever its kind', () => {
    const timeout = (q: string) =>
      new PrometheusError({
        kind: 'api',
        url: `http://p/api/v1/query_range?query=${q}`,
        status: 503,
        errorType: 'timeout',
        detail: 'query timed out in expression evaluation',
      });
    expect(serverFailure([err(timeout('a')), err(timeout('b'))])?.message).toContain('timed out');
    const execution = (q: string) =>
      new PrometheusError({
        kind: 'api',
        url: `http://p/${q}`,
        status: 422,
        errorType: 'execution',
        detail: 'too many samples',
      });
    const f = serverFailure([err(execution('a')), err(execution('b')), { status: 'pending' }]);
    expect(f?.covers(execution('c'))).toBe(true);
    // Different errors on different queries are each panel's own.
    expect(serverFailure([err(execution('a')), err(badData('b'))])).toBeUndefined();
  });

  it('says nothing when nothing failed', () => {
    expect(serverFailure([ok, { status: 'pending' }])).toBeUndefined();
  });
});
