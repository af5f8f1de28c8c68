import { describe, expect, it } from 'vitest';

import {
  parseAlertsResponse,
  parseBuildInfoResponse,
  parseMetadataResponse,
  parseSeriesResponse,
  parseStringListResponse,
} from './payloads.js';
import type { PrometheusHttpResponse } from './request.js';

const ok = (data: unknown): PrometheusHttpResponse => ({
  status: 200,
  body: JSON.stringify({ status: 'success', data }),
  contentType: 'application/json',
  url: 'http://p/api/v1/x',
});

describe('payload decoders', () => {
  it('checks series label sets and string lists', () => {
    expect(parseSeriesResponse(ok([{ __name__: 'up', job: 'a' }])).data).toEqual([
      { __name__: 'up', job: 'a' },
    ]);
    expect(() => parseSeriesResponse(ok([{ job: 1 }]))).toThrow(
      'data[0].job: expected a string, got 1',
    );
    expect(parseStringListResponse(ok(['a', 'b'])).data).toEqual(['a', 'b']);
    expect(parseStringListResponse(ok(null)).data).toEqual([]);
    expect(() => parseStringListResponse(ok(['a', 2]))).toThrow(
      'data[1]: expected a string, got 2',
    );
  });

  it('decodes alerts with their value, and refuses unknown states', () => {
    const a = parseAlertsResponse(
      ok({
        alerts: [
          {
            labels: { alertname: 'X' },
            annotations: {},
            state: 'firing',
            value: '1e+00',
            activeAt: 't',
          },
        ],
      }),
    ).data[0]!;
    expect(a).toEqual({
      labels: { alertname: 'X' },
      annotations: {},
      state: 'firing',
      activeAt: 't',
      value: 1,
    });
    expect(() => parseAlertsResponse(ok({ alerts: [{ labels: {}, state: 'on' }] }))).toThrow(
      'data.alerts[0].state: expected firing|pending|inactive, got "on"',
    );
    expect(() => parseAlertsResponse(ok({}))).toThrow('data.alerts: expected a list, got nothing');
  });

  it('needs a version in build info and {type, help} in metadata', () => {
    expect(
      parseBuildInfoResponse(ok({ version: '2.42.0', goVersion: 'go1.19', extra: 1 })).data,
    ).toEqual({
      version: '2.42.0',
      goVersion: 'go1.19',
    });
    expect(() => parseBuildInfoResponse(ok({}))).toThrow('data.version: expected a version string');
    expect(parseMetadataResponse(ok({ up: [{ type: 'gauge', help: 'h' }] })).data).toEqual({
      up: [{ type: 'gauge', help: 'h', unit: '' }],
    });
    expect(() => parseMetadataResponse(ok({ up: [{}] }))).toThrow(
      'data.up[0]: expected {type, help, unit}',
    );
  });
});
