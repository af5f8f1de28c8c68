import { describe, expect, it } from 'vitest';

import { PrometheusError } from '../../../../collector/core/prometheus/PrometheusError.js';
import { cannotReachPrometheus } from '../../../../collector/core/prometheus/transportError.js';
import { notLoaded } from './notLoaded.js';
import type { PanelView } from './preparePanel.js';
import { serverFailure } from './serverFailure.js';

const down = () => cannotReachPrometheus('http://127.0.0.1:9090', 'connection refused');
const failedView: PanelView = {
  state: 'error',
  message: down().message,
  latest: [],
  warnings: [],
};

describe('notLoaded', () => {
  const outcomes = [{ status: 'error', error: down() }];
  const banner = serverFailure([{ status: 'error', error: down() }])!;

  it('turns a panel failing with the banner’s error into "not loaded", without the error text', () => {
    const v = notLoaded(failedView, outcomes, banner);
    expect(v.state).toBe('not-loaded');
    expect(v.message).toBe('Not loaded');
  });

  it('says "not refreshed" over a chart the panel still holds', () => {
    const held: PanelView = {
      ...failedView,
      line: { unit: 'seconds', series: [], range: [0, 1] },
    };
    const v = notLoaded(held, outcomes, banner);
    expect(v.message).toBe('Not refreshed: showing the last answer');
    expect(v.line).toBe(held.line);
  });

  it("keeps a panel's own error (bad_data) and every panel when there is no banner", () => {
    const bad = new PrometheusError({
      kind: 'api',
      url: 'http://p/api/v1/query_range',
      status: 400,
      errorType: 'bad_data',
      detail: 'parse error',
    });
    expect(notLoaded(failedView, [{ status: 'error', error: bad }], banner)).toBe(failedView);
    expect(notLoaded(failedView, outcomes, undefined)).toBe(failedView);
  });
});
