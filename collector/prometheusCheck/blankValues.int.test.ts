/**
 * DCGM's blank sentinel and NaN against a real Prometheus (2.42) scraping a DCGM-exporter-shaped
 * target: the sentinel reaches Prometheus's answers as the number it is (9223372036854775794 from
 * dcgm-exporter's README, contracts §2.2), so the console must drop it itself. The drawer's device
 * history queries (deviceQueries.ts, blanks filtered before max()) are asked of the same server and
 * compared with its own answers for the raw series.
 */
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { isBlankValue } from '../core/prometheus/blank.js';
import { deviceHistoryQueries } from '../core/prometheus/deviceQueries.js';
import { discover } from '../core/prometheus/discovery.js';
import { prometheusUrl, type PrometheusRequest } from '../core/prometheus/request.js';
import {
  parseQueryResponse,
  parseRangeResponse,
  type MatrixSeries,
} from '../core/prometheus/response.js';
import { startPrometheus, type PrometheusServer } from '../testing/prometheusServer.js';
import { eventually } from '../testing/serveProcess.js';

const BLANK = '9223372036854775794';
/**
 * GPU 0 cannot read its memory temperature (blank); its GPU temperature is also exported by a
 * second, old-namespace exporter (`uuid`/`hostname`) that reads blank; its power reads NaN.
 */
const EXPOSITION = `# TYPE DCGM_FI_DEV_MEMORY_TEMP gauge
DCGM_FI_DEV_MEMORY_TEMP{gpu="0",UUID="GPU-aaa",Hostname="n1"} ${BLANK}
DCGM_FI_DEV_MEMORY_TEMP{gpu="1",UUID="GPU-bbb",Hostname="n1"} 44
# TYPE DCGM_FI_DEV_GPU_TEMP gauge
DCGM_FI_DEV_GPU_TEMP{gpu="0",UUID="GPU-aaa",Hostname="n1"} 51
DCGM_FI_DEV_GPU_TEMP{gpu="0",uuid="GPU-aaa",hostname="n1"} ${BLANK}
# TYPE DCGM_FI_DEV_POWER_USAGE gauge
DCGM_FI_DEV_POWER_USAGE{gpu="0",UUID="GPU-aaa",Hostname="n1"} NaN
DCGM_FI_DEV_POWER_USAGE{gpu="1",UUID="GPU-bbb",Hostname="n1"} 212.5
`;

let target: Server;
let prometheus: PrometheusServer;

async function ask(request: PrometheusRequest) {
  const url = prometheusUrl(prometheus.url, request);
  const r = await fetch(url);
  return {
    status: r.status,
    contentType: r.headers.get('content-type') ?? '',
    body: await r.text(),
    url,
  };
}

async function instantValues(query: string): Promise<number[]> {
  const d = parseQueryResponse(await ask({ endpoint: 'query', params: [['query', query]] })).data;
  if (d.resultType !== 'vector') throw new Error(`${query}: ${d.resultType}`);
  return d.result.map((s) => s.value);
}

async function range(query: string, startMs: number, endMs: number): Promise<MatrixSeries[]> {
  const res = await ask({
    endpoint: 'query_range',
    params: [
      ['query', query],
      ['start', String(startMs / 1000)],
      ['end', String(endMs / 1000)],
      ['step', '1'],
    ],
  });
  return parseRangeResponse(res).data;
}

const NAMES = ['DCGM_FI_DEV_MEMORY_TEMP', 'DCGM_FI_DEV_GPU_TEMP', 'DCGM_FI_DEV_POWER_USAGE'];
const queryFor = (uuid: string, quantity: string): string =>
  deviceHistoryQueries(discover(NAMES), { vendor: 'nvidia', uuid }).queries.find(
    (q) => q.quantity === quantity,
  )!.query;

beforeAll(async () => {
  target = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
    res.end(EXPOSITION);
  });
  target.listen(0, '127.0.0.1');
  await once(target, 'listening');
  const { port } = target.address() as AddressInfo;
  prometheus = await startPrometheus({ targets: [`127.0.0.1:${port}`], scrapeInterval: '1s' });
  // Three scrapes, so a range query over the last few seconds holds several points.
  await eventually(async () => {
    const r = await range('DCGM_FI_DEV_GPU_TEMP{UUID="GPU-aaa"}', Date.now() - 10_000, Date.now());
    expect(r[0]?.times.length ?? 0).toBeGreaterThanOrEqual(3);
  }, 30_000);
}, 60_000);

afterAll(async () => {
  await prometheus?.stop();
  target?.close();
});

describe('DCGM blank values through a real Prometheus', () => {
  it('arrive as the sentinel number, which isBlankValue reads as missing', async () => {
    const raw = await instantValues('DCGM_FI_DEV_MEMORY_TEMP{UUID="GPU-aaa"}');
    expect(raw).toHaveLength(1);
    expect(raw[0]).toBe(Number(BLANK));
    expect(isBlankValue(raw[0]!)).toBe(true);
    const nan = await instantValues('DCGM_FI_DEV_POWER_USAGE{UUID="GPU-aaa"}');
    expect(nan.map(Number.isNaN)).toEqual([true]);
  });

  it('leave the drawer’s history query without samples for a blank-only device', async () => {
    const end = Date.now();
    expect(await range(queryFor('GPU-aaa', 'device.memory.temperature'), end - 5000, end)).toEqual(
      [],
    );
    expect(await range(queryFor('GPU-aaa', 'device.power'), end - 5000, end)).toEqual([]);
  });

  it('do not win max() over a real value of the same device', async () => {
    const end = Date.now();
    // Without the filter the twin series' blank is the maximum: what the drawer used to draw.
    const unfiltered = await range(
      'max(DCGM_FI_DEV_GPU_TEMP{UUID="GPU-aaa"} or DCGM_FI_DEV_GPU_TEMP{uuid="GPU-aaa"})',
      end - 5000,
      end,
    );
    expect(unfiltered[0]!.values.every(isBlankValue)).toBe(true);
    const [own] = await range('DCGM_FI_DEV_GPU_TEMP{UUID="GPU-aaa"}', end - 5000, end);
    const [drawn] = await range(queryFor('GPU-aaa', 'device.temperature'), end - 5000, end);
    expect([...drawn!.values]).toEqual([...own!.values]);
    expect([...drawn!.times]).toEqual([...own!.times]);
    expect(new Set(drawn!.values)).toEqual(new Set([51]));
  });

  it('leave real values of other devices exactly as Prometheus holds them', async () => {
    const end = Date.now();
    for (const [quantity, name] of [
      ['device.memory.temperature', 'DCGM_FI_DEV_MEMORY_TEMP'],
      ['device.power', 'DCGM_FI_DEV_POWER_USAGE'],
    ] as const) {
      const [own] = await range(`${name}{UUID="GPU-bbb"}`, end - 5000, end);
      const [drawn] = await range(queryFor('GPU-bbb', quantity), end - 5000, end);
      expect([...drawn!.values]).toEqual([...own!.values]);
      expect([...drawn!.times]).toEqual([...own!.times]);
    }
  });
});
