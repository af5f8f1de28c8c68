import { describe, expect, it } from 'vitest';

import type { ScrapeTarget } from '../../../../collector/core/prometheus/payloads.js';
import type { QueryData } from '../../../../collector/core/prometheus/response.js';
import type { MetricsMessage, WireMessage } from '../../../../collector/core/protocol/spec.js';
import { FakePrometheusSource, matrixSeries, type FakeCall } from './FakePrometheusSource.js';
import { PrometheusFleetSource } from './PrometheusFleetSource.js';

const T = 1_764_000_000_000;
const gpu = { UUID: 'GPU-a', gpu: '0', Hostname: 'node-1', modelName: 'NVIDIA H100 80GB HBM3' };
const target = { instance: 'node-1:9400', job: 'dcgm' };

function prometheus(opts: { up?: number; fail?: string; interval?: string } = {}) {
  const targets: ScrapeTarget[] = [
    {
      labels: target,
      scrapePool: 'dcgm',
      health: opts.up === 0 ? 'down' : 'up',
      lastError: opts.up === 0 ? 'parse error: FAILED TO CONVERT' : '',
      scrapeIntervalMs: opts.interval === undefined ? 5000 : Number(opts.interval),
    },
  ];
  return new FakePrometheusSource((call: FakeCall) => {
    if (opts.fail) throw new Error(opts.fail);
    if (call.method === 'labelValues') return ['DCGM_FI_DEV_GPU_UTIL', 'DCGM_FI_DEV_FB_USED', 'up'];
    if (call.method === 'targets') return targets;
    if (call.method === 'query' && call.arg === 'up') {
      return {
        resultType: 'vector',
        result: [{ metric: { __name__: 'up', ...target }, time: T + 2000, value: opts.up ?? 1 }],
      } satisfies QueryData;
    }
    if (call.method === 'query') {
      return {
        resultType: 'matrix',
        result: [
          matrixSeries({ __name__: 'DCGM_FI_DEV_GPU_UTIL', ...gpu, ...target }, [[T, 87]]),
          matrixSeries({ __name__: 'DCGM_FI_DEV_FB_USED', ...gpu, ...target }, [[T, 1024]]),
        ],
      } satisfies QueryData;
    }
    throw new Error(`unexpected ${call.method}`);
  });
}

function run(p: FakePrometheusSource) {
  const timers: Array<{ fn: () => void; ms: number }> = [];
  const source = new PrometheusFleetSource({
    id: 'c1',
    displayName: 'prod',
    prometheus: p,
    cluster: 'prod',
    now: () => T + 2500,
    scheduler: {
      setTimer: (fn, ms) => {
        timers.push({ fn, ms });
        return () => undefined;
      },
    },
  });
  const batches: WireMessage[][] = [];
  source.subscribe((b) => batches.push([...b.messages]));
  source.start();
  return { source, batches, timers };
}

const settle = () => new Promise((r) => setTimeout(r, 0));

describe('PrometheusFleetSource', () => {
  it('asks one query per exporter family plus up, never one per device', async () => {
    const p = prometheus();
    run(p);
    await settle();
    const queries = p.calls.filter((c) => c.method === 'query').map((c) => c.arg);
    expect(queries).toEqual(['{__name__=~"DCGM_FI_DEV_GPU_UTIL|DCGM_FI_DEV_FB_USED"}[8s]', 'up']);
  });

  it("delivers the exporter's values as the fleet's inventory and metrics, live", async () => {
    const { source, batches } = run(prometheus());
    await settle();
    expect(source.status.presence.state).toBe('live');
    const messages = batches.flat();
    const inv = messages.find((m) => m.type === 'inventory');
    expect(inv).toMatchObject({ cluster: 'prod', node: 'node-1' });
    const metrics = messages.find((m): m is MetricsMessage => m.type === 'metrics')!;
    expect(metrics.interval).toBe(5000);
    expect(metrics.samples.find((s) => s.m === 'device.utilization')).toMatchObject({
      d: 'GPU-a',
      v: 87,
      t: T,
    });
  });

  it('refreshes at the scrape interval the targets report', async () => {
    const { timers } = run(prometheus({ interval: '10000' }));
    await settle();
    expect(timers.at(-1)!.ms).toBe(10_000);
  });

  it('says why when Prometheus cannot be asked, and retries', async () => {
    const { source, timers } = run(
      prometheus({ fail: 'cannot reach Prometheus at http://p:9090' }),
    );
    await settle();
    expect(source.status.presence.message).toContain('cannot reach Prometheus at http://p:9090');
    expect(source.status.presence.attemptFailed).toBe(true);
    expect(timers).toHaveLength(1);
  });

  it("marks the node's probe as down with the target's scrape error", async () => {
    const p = prometheus();
    const { batches, timers } = run(p);
    await settle();
    const down = prometheus({ up: 0 });
    // The same source, next refresh: swap answers by pointing the handler at a down target.
    Object.assign(p, { handler: (down as unknown as { handler: unknown }).handler });
    timers.at(-1)!.fn();
    await settle();
    const inv = batches
      .flat()
      .filter((m) => m.type === 'inventory')
      .at(-1)!;
    expect(inv.type === 'inventory' && inv.probes[0]).toMatchObject({
      probe: 'dcgm',
      state: 'error',
      message: 'node-1:9400 is down: parse error: FAILED TO CONVERT',
    });
  });
});
