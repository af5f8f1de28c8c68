/**
 * Seeded property-based fuzzing of the Prometheus API response parsers (issue 10, deliverable 7):
 * the envelope and every endpoint's payload decoder, fed arbitrary bodies, valid envelopes with
 * arbitrary JSON as data, mutated valid responses, deep nesting and proxy pages. Each must return a
 * result or throw a PrometheusError whose message is one bounded line — never anything else.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { parseEnvelope } from './envelope.js';
import {
  parseAlertsResponse,
  parseBuildInfoResponse,
  parseMetadataResponse,
  parseSeriesResponse,
  parseStringListResponse,
} from './payloads.js';
import { PrometheusError } from './PrometheusError.js';
import type { PrometheusHttpResponse } from './request.js';
import {
  parseInstantResponse,
  parseQueryResponse,
  parseRangeResponse,
  parseSampleValue,
} from './response.js';

const RUNS = { seed: 0x05b7e7, numRuns: 1000 };
const MAX_MESSAGE = 1000;

const PARSERS: Array<[string, (res: PrometheusHttpResponse) => unknown]> = [
  ['envelope', parseEnvelope],
  ['query', parseQueryResponse],
  ['query_range', parseRangeResponse],
  ['instant', parseInstantResponse],
  ['series', parseSeriesResponse],
  ['labels', parseStringListResponse],
  ['alerts', parseAlertsResponse],
  ['buildinfo', parseBuildInfoResponse],
  ['metadata', parseMetadataResponse],
];

const response = (body: string, status = 200): PrometheusHttpResponse => ({
  status,
  contentType: 'application/json',
  body,
  url: 'http://prom:9090/api/v1/query',
});

/** Runs every parser: a result, or a PrometheusError with a short message. Nothing else. */
function assertAnswers(res: PrometheusHttpResponse): void {
  for (const [name, parse] of PARSERS) {
    try {
      parse(res);
    } catch (error) {
      expect(error, `${name} threw ${String(error)}`).toBeInstanceOf(PrometheusError);
      const message = (error as Error).message;
      expect(message.length, name).toBeGreaterThan(0);
      expect(message.length, name).toBeLessThanOrEqual(MAX_MESSAGE);
    }
  }
}

const sampleValue = fc.oneof(
  fc.constantFrom('1', '0.5', 'NaN', '+Inf', '-Inf', 'Inf', '', ' ', '1e999', '0x10', 'abc'),
  fc.double().map(String),
);
const labels = fc.dictionary(
  fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom('__name__', '__proto__', 'constructor')),
  fc.string({ maxLength: 8 }),
  { maxKeys: 4 },
);
const time = fc.oneof(fc.double(), fc.integer(), fc.constantFrom('1', null));

const matrix = fc.record({
  resultType: fc.constant('matrix'),
  result: fc.array(
    fc.record({ metric: labels, values: fc.array(fc.tuple(time, sampleValue), { maxLength: 4 }) }),
    { maxLength: 4 },
  ),
});
const vector = fc.record({
  resultType: fc.constant('vector'),
  result: fc.array(fc.record({ metric: labels, value: fc.tuple(time, sampleValue) }), {
    maxLength: 4,
  }),
});
const scalar = fc.record({
  resultType: fc.constantFrom('scalar', 'string'),
  result: fc.tuple(time, sampleValue),
});
const data = fc.oneof(
  matrix,
  vector,
  scalar,
  fc.array(labels, { maxLength: 4 }),
  fc.array(fc.string({ maxLength: 8 }), { maxLength: 4 }),
  fc.jsonValue({ maxDepth: 4 }),
);
const envelope = fc.record(
  {
    status: fc.constantFrom('success', 'error', 'ok', ''),
    data,
    errorType: fc.oneof(fc.constantFrom('bad_data', 'timeout', 'execution'), fc.jsonValue()),
    error: fc.oneof(fc.string({ maxLength: 20 }), fc.jsonValue({ maxDepth: 2 })),
    warnings: fc.oneof(fc.array(fc.string({ maxLength: 10 }), { maxLength: 3 }), fc.jsonValue()),
    infos: fc.array(fc.string({ maxLength: 10 }), { maxLength: 3 }),
  },
  { requiredKeys: ['status'] },
);

describe('Prometheus response parsers under fuzzing (seeded)', () => {
  it('answer arbitrary bodies and statuses with data or a PrometheusError', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 200 }),
          fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
          fc.constantFrom('<html><title>502 Bad Gateway</title></html>', '', '{', 'null', '[]'),
        ),
        fc.constantFrom(200, 204, 400, 401, 422, 500, 502, 503),
        (body, status) => assertAnswers(response(body, status)),
      ),
      RUNS,
    );
  });

  it('answer envelopes with arbitrary data, hostile values and prototype keys', () => {
    fc.assert(
      fc.property(envelope, fc.constantFrom(200, 400, 503), (e, status) =>
        assertAnswers(response(JSON.stringify(e), status)),
      ),
      RUNS,
    );
  });

  it('answer data nested 100,000 deep with a PrometheusError, not a stack overflow', () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    fc.assert(
      fc.property(
        fc.constantFrom('data', 'warnings', 'infos', 'error', 'errorType'),
        fc.constantFrom('success', 'error'),
        (field, status) => {
          const body = `{"status":"${status}","data":[],"${field}":${deep}}`.replace(
            `"data":[],"data":`,
            '"data":',
          );
          assertAnswers(response(body));
        },
      ),
      { ...RUNS, numRuns: 10 },
    );
    assertAnswers(response(`{"status":"success","data":{"resultType":"matrix","result":${deep}}}`));
    assertAnswers(
      response(`{"status":"success","data":{"resultType":"vector","result":[{"metric":${deep}}]}}`),
    );
  });

  it('parseSampleValue: a number for Go float text, NaN otherwise, never a throw', () => {
    fc.assert(
      fc.property(fc.oneof(sampleValue, fc.string({ maxLength: 20 })), (s) => {
        const n = parseSampleValue(s);
        expect(typeof n).toBe('number');
      }),
      RUNS,
    );
    fc.assert(
      fc.property(fc.double({ noNaN: true }), (v) => {
        const text = v === Infinity ? '+Inf' : v === -Infinity ? '-Inf' : String(v);
        // Compared with ===: Go prints -0 as "-0", String(-0) is "0", and 0 === -0.
        expect(parseSampleValue(text) === v).toBe(true);
      }),
      RUNS,
    );
  });
});
