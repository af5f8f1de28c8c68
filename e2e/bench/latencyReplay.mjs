// The raw side of `npm run bench:latency`: the requests the Latency view sent through the local
// server, sent again straight to Prometheus from Node, the way the proxy calls it
// (collector/prometheusHttp: keep-alive http.Agent, `accept-encoding: gzip`, whole body read and
// decompressed), with no more requests in flight than the browser had.
import http from 'node:http';
import { gunzipSync } from 'node:zlib';

/**
 * The Prometheus URL behind a proxied one: `<origin>/api/connections/<id>/prometheus/<endpoint>?…`
 * → `<prometheus>/api/v1/<path>?…` (label_values carries the label name as `label=`).
 */
export function directUrl(proxied, prometheusUrl) {
  const u = new URL(proxied);
  const m = /\/api\/connections\/[^/]+\/prometheus\/([^/]+)$/.exec(u.pathname);
  if (!m) throw new Error(`not a proxied Prometheus request: ${proxied}`);
  const endpoint = m[1];
  const params = new URLSearchParams(u.search);
  let path;
  if (endpoint === 'label_values') {
    path = `label/${params.get('label')}/values`;
    params.delete('label');
  } else {
    path =
      {
        query: 'query',
        query_range: 'query_range',
        series: 'series',
        labels: 'labels',
        alerts: 'alerts',
        buildinfo: 'status/buildinfo',
        metadata: 'metadata',
      }[endpoint] ?? fail(`unknown endpoint ${endpoint}`);
  }
  const qs = params.toString();
  return `${prometheusUrl.replace(/\/+$/, '')}/api/v1/${path}${qs ? `?${qs}` : ''}`;
}

function fail(message) {
  throw new Error(message);
}

/** One GET: ms from send to the last byte decompressed, bytes on the wire and decoded. */
function get(url, agent, headers) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const req = http.get(
      url,
      { agent, headers: { accept: 'application/json', 'accept-encoding': 'gzip', ...headers } },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          const wire = Buffer.concat(chunks);
          const body = res.headers['content-encoding'] === 'gzip' ? gunzipSync(wire) : wire;
          if (res.statusCode !== 200) {
            reject(new Error(`${res.statusCode} from ${url}: ${body.toString().slice(0, 300)}`));
            return;
          }
          resolve({ ms: performance.now() - t0, wireBytes: wire.length, bytes: body.length });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
  });
}

/**
 * Sends `waves` (arrays of URLs) one wave after another — a wave's requests depend on the one
 * before (discovery, then the panels' range queries) — each with at most `concurrency` in flight.
 * Returns the wall time of the whole and each request's own numbers.
 */
export async function replay(waves, concurrency, headers = {}) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const results = [];
  const t0 = performance.now();
  try {
    for (const urls of waves) {
      let next = 0;
      const worker = async () => {
        while (next < urls.length) {
          const url = urls[next++];
          results.push({ url, ...(await get(url, agent, headers)) });
        }
      };
      await Promise.all(Array.from({ length: Math.min(concurrency, urls.length) }, worker));
    }
    return { ms: performance.now() - t0, results };
  } finally {
    agent.destroy();
  }
}

/** Most requests in flight at once, from [start, end] intervals. */
export function maxOverlap(intervals) {
  const edges = intervals.flatMap(([s, e]) => [
    [s, 1],
    [e, -1],
  ]);
  edges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let now = 0;
  let max = 0;
  for (const [, d] of edges) max = Math.max(max, (now += d));
  return max;
}

export function quantile(values, q) {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

/** Median of an odd or even list (the mean of the middle two). */
export function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
