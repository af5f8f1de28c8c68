import { describe, expect, it } from 'vitest';

import { bodyExcerpt, parseEnvelope } from './envelope.js';
import { PrometheusError } from './PrometheusError.js';
import type { PrometheusHttpResponse } from './request.js';

const URL_Q = 'http://h:9090/api/v1/query';
const res = (
  status: number,
  body: string,
  contentType = 'application/json',
): PrometheusHttpResponse => ({
  status,
  body,
  contentType,
  url: URL_Q,
});

function failure(r: PrometheusHttpResponse): PrometheusError {
  try {
    parseEnvelope(r);
  } catch (e) {
    expect(e).toBeInstanceOf(PrometheusError);
    return e as PrometheusError;
  }
  throw new Error('parseEnvelope accepted the response');
}

describe('parseEnvelope', () => {
  // Found by response.fuzz.test.ts: quoting these with JSON.stringify threw RangeError instead.
  it('answers warnings nested 100,000 deep with a PrometheusError quoting them briefly', () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    const error = failure(res(200, `{"status":"success","data":[],"warnings":${deep}}`));
    expect(error.detail).toBe(`"warnings" should be a list of strings, got ${'['.repeat(80)}`);
  });

  it('returns data with warnings and infos', () => {
    const r = parseEnvelope(
      res(200, '{"status":"success","data":{"x":1},"warnings":["w1"],"infos":["i1"]}'),
    );
    expect(r).toEqual({ data: { x: 1 }, warnings: ['w1'], infos: ['i1'] });
    expect(parseEnvelope(res(200, '{"status":"success","data":[]}'))).toEqual({
      data: [],
      warnings: [],
      infos: [],
    });
  });

  it('turns bad_data (400) into a message naming the query error and the URL', () => {
    const e = failure(
      res(
        400,
        '{"status":"error","errorType":"bad_data","error":"1:5: parse error: unexpected right parenthesis \')\'"}',
      ),
    );
    expect(e.kind).toBe('api');
    expect(e.errorType).toBe('bad_data');
    expect(e.status).toBe(400);
    expect(e.message).toBe(
      "Prometheus rejected the query (bad_data, HTTP 400): 1:5: parse error: unexpected right parenthesis ')' — http://h:9090/api/v1/query",
    );
  });

  it('says a timeout (503) is a timeout, and keeps the warnings', () => {
    const e = failure(
      res(
        503,
        '{"status":"error","errorType":"timeout","error":"query timed out in expression evaluation","warnings":["partial"]}',
      ),
    );
    expect(e.message).toMatch(/^Prometheus timed out \(timeout, HTTP 503\): query timed out/);
    expect(e.warnings).toEqual(['partial']);
  });

  it('describes an HTML 502 page from a proxy by its title', () => {
    const html =
      '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.25.3</center>\r\n</body>\r\n</html>\r\n';
    const e = failure(res(502, html, 'text/html; charset=utf-8'));
    expect(e.kind).toBe('non-json');
    expect(e.message).toBe(
      'HTTP 502 Bad Gateway from http://h:9090/api/v1/query: not a Prometheus response (text/html): "502 Bad Gateway"',
    );
  });

  it('quotes plain text and empty bodies, and a 200 that is not JSON', () => {
    expect(failure(res(401, 'Unauthorized\n', 'text/plain')).message).toBe(
      'HTTP 401 Unauthorized from http://h:9090/api/v1/query: not a Prometheus response (text/plain): "Unauthorized"',
    );
    expect(failure(res(504, '', '')).message).toContain('(no content type): "(empty body)"');
    const ok = failure(res(200, '<!doctype html><p>Grafana login</p>', 'text/html'));
    expect(ok.kind).toBe('non-json');
    expect(ok.message).toContain('HTTP 200 from');
    expect(failure(res(200, '{"status":"succ', 'application/json')).kind).toBe('non-json');
  });

  it('calls JSON without an envelope invalid on 2xx and an HTTP error otherwise', () => {
    expect(failure(res(200, '{"data":[]}')).kind).toBe('invalid');
    const e = failure(res(500, '{"message":"internal"}'));
    expect(e.kind).toBe('http');
    expect(e.message).toMatch(/^HTTP 500 Internal Server Error from http:\/\/h:9090/);
    expect(failure(res(200, '{"status":"success","data":1,"warnings":"x"}')).message).toContain(
      '"warnings" should be a list of strings',
    );
    expect(failure(res(200, '{"status":"success"}')).message).toContain('no "data"');
  });

  it('names unknown errorTypes plainly and network failures by cause', () => {
    const e = failure(
      res(422, '{"status":"error","errorType":"execution","error":"many-to-many"}'),
    );
    expect(e.message).toMatch(/^Prometheus could not evaluate the query \(execution, HTTP 422\)/);
    const odd = failure(res(418, '{"status":"error","errorType":"teapot","error":"short"}'));
    expect(odd.message).toMatch(/^Prometheus returned an error \(teapot, HTTP 418\): short/);
    const n = PrometheusError.network(URL_Q, new Error('connect ECONNREFUSED 127.0.0.1:9090'));
    expect(n.kind).toBe('network');
    expect(n.message).toBe(
      'Cannot reach Prometheus at http://h:9090/api/v1/query: connect ECONNREFUSED 127.0.0.1:9090',
    );
  });
});

describe('bodyExcerpt', () => {
  it('strips tags, scripts and entities, squeezes space and cuts at 200 characters', () => {
    expect(
      bodyExcerpt('<div><script>var a=1</script><b>Access&nbsp;denied</b> &amp; logged</div>'),
    ).toBe('Access denied & logged');
    const long = bodyExcerpt('x'.repeat(500));
    expect(long).toHaveLength(201);
    expect(long.endsWith('…')).toBe(true);
  });
});
