import { describe, expect, it } from 'vitest';

// Real answers of a Prometheus server (fixtures/SOURCES.md).
import LABELS from './fixtures/labels__200__labelNames.json?raw';
import RANGE from './fixtures/query-range__200__matrixResult.json?raw';
import type { PrometheusHttpResponse } from '../../../../collector/core/prometheus/request.js';
import { AnswerLog } from './AnswerLog.js';
import { PortPrometheusSource, type PrometheusPort } from './PrometheusSource.js';
import { recordedPrometheusPort, recordedPrometheusSource } from './recordedPrometheus.js';

const server: PrometheusPort = {
  prometheusRequest: (_id, request) =>
    Promise.resolve<PrometheusHttpResponse>({
      status: 200,
      contentType: 'application/json',
      body: request.endpoint === 'query_range' ? RANGE : LABELS,
      url: 'http://prom:9090/api/v1/x',
    }),
};
const signal = new AbortController().signal;
// The fixture's samples run 1767433020 … 1767436620 s.
const WINDOW = { start: 1767433020_000, end: 1767436620_000, step: 1800 };

async function recordLive() {
  const log = new AnswerLog();
  const live = new PortPrometheusSource(server, 'c1', log, () => 42);
  const range = await live.range('up', WINDOW, signal);
  const labels = await live.labelValues('__name__', undefined, signal);
  return { log, range, labels };
}

describe('a snapshot’s Prometheus', () => {
  it('answers a request asked while recording exactly as the server did', async () => {
    const { log, range, labels } = await recordLive();
    const offline = recordedPrometheusSource(log.answers(), 'incident.mcap');
    expect(await offline.range('up', WINDOW, signal)).toEqual(range);
    expect(await offline.labelValues('__name__', undefined, signal)).toEqual(labels);
    expect(range.data[0]!.values).toEqual(new Float64Array([1, 1, 1]));
  });

  it('answers another window of a recorded query with the recorded window closest to it', async () => {
    const { log, range } = await recordLive();
    // A wider window of the same query, asked later: it covers the asked window too, but the
    // window drawn was the other one.
    const live = new PortPrometheusSource(server, 'c1', log, () => 43);
    const wide = { start: WINDOW.start - 36_000_000, end: WINDOW.end + 36_000_000, step: 3600 };
    await live.range('up', wide, signal);
    const offline = recordedPrometheusSource(log.answers(), 'incident.mcap');
    const later = { start: WINDOW.start + 600_000, end: WINDOW.end + 600_000, step: 60 };
    expect(await offline.range('up', later, signal)).toEqual(range);
    const spy = recordedPrometheusPort(log.answers(), 'incident.mcap');
    const res = await spy.prometheusRequest('x', {
      endpoint: 'query_range',
      params: [
        ['query', 'up'],
        ['start', String(later.start / 1000)],
        ['end', String(later.end / 1000)],
        ['step', '60'],
      ],
    });
    expect(res.url).toBe('incident.mcap (recorded query_range)');
  });

  it('refuses a query never asked while recording, naming the file and the query', async () => {
    const { log } = await recordLive();
    const offline = recordedPrometheusSource(log.answers(), 'incident.mcap');
    await expect(offline.range('rate(x[5m])', WINDOW, signal)).rejects.toThrow(
      'incident.mcap holds no Prometheus answer for rate(x[5m])',
    );
  });

  it('a recorded body that is not Prometheus JSON fails as a lying server would', async () => {
    const { log } = await recordLive();
    const [first, ...rest] = log.answers();
    const offline = recordedPrometheusSource(
      [{ ...first!, body: '<html>oops</html>' }, ...rest],
      'crafted.mcap',
    );
    await expect(offline.range('up', WINDOW, signal)).rejects.toThrow(/JSON/i);
  });
});

describe('AnswerLog', () => {
  const response = (body: string, status = 200): PrometheusHttpResponse => ({
    status,
    contentType: 'application/json',
    body,
    url: 'u',
  });
  const request = (q: string) => ({ endpoint: 'query' as const, params: [['query', q]] as const });

  it('keeps the newest answer per request and drops the oldest past the count bound', () => {
    const log = new AnswerLog({ maxAnswers: 2, maxChars: 1000 });
    log.record(request('a'), response('1'), 1);
    log.record(request('b'), response('2'), 2);
    log.record(request('a'), response('3'), 3);
    log.record(request('c'), response('4'), 4);
    expect(log.answers().map((a) => [a.request.params[0]![1], a.body])).toEqual([
      ['a', '3'],
      ['c', '4'],
    ]);
  });

  it('stays within its size bound and keeps no error answer', () => {
    const log = new AnswerLog({ maxAnswers: 10, maxChars: 10 });
    log.record(request('a'), response('123456'), 1);
    log.record(request('b'), response('123456'), 2);
    log.record(request('c'), response('{"status":"error"}', 422), 3);
    expect(log.answers().map((a) => a.request.params[0]![1])).toEqual(['b']);
  });
});
