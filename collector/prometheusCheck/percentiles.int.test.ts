/**
 * The console's latency numbers against a real Prometheus (2.42) scraping two real simulators, one
 * per vLLM naming generation (`osprey simulate --vllm-names new|old`, 1 s scrapes):
 * (a) the console's PromQL (latencyQueries.ts) gives exactly what a hand-written histogram_quantile
 *     gives for the same window and evaluation times;
 * (b) quantileFromBuckets on the bucket rates of the console's heatmap query equals Prometheus's
 *     histogram_quantile to 1e-9 relative;
 * (c) discovery on the server's own __name__ values finds each generation, and "both" overall.
 * Every answer goes through response.ts. Requires `npm run build:ts` (the simulator runs as the CLI).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { bucketGrid, gridQuantiles } from '../core/prometheus/bucketGrid.js';
import { discover } from '../core/prometheus/discovery.js';
import { LATENCY_STAGES, type LatencyStage } from '../core/prometheus/families.js';
import { latencyPlan } from '../core/prometheus/latencyQueries.js';
import { parseStringListResponse } from '../core/prometheus/payloads.js';
import { PrometheusError } from '../core/prometheus/PrometheusError.js';
import { prometheusUrl, type PrometheusRequest } from '../core/prometheus/request.js';
import {
  parseQueryResponse,
  parseRangeResponse,
  type MatrixSeries,
} from '../core/prometheus/response.js';
import { planRange } from '../core/prometheus/step.js';
import { startPrometheus, type PrometheusServer } from '../testing/prometheusServer.js';
import { OSPREY_BIN, REPO_ROOT } from '../testing/serveProcess.js';

interface Sim {
  child: ChildProcess;
  host: string;
  output: string[];
}

async function startSim(names: 'new' | 'old', seed: number): Promise<Sim> {
  const args = ['simulate', '--nodes', '4', '--seed', String(seed), '--metrics-port', '0'];
  const child = spawn(
    process.execPath,
    [OSPREY_BIN, ...args, '--vllm-names', names, '--no-stdin', '--day', '2m'],
    { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const output: string[] = [];
  child.stderr!.setEncoding('utf8').on('data', (d: string) => output.push(d));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`simulator not ready:\n${output.join('')}`)),
      20_000,
    );
    createInterface({ input: child.stdout! }).on('line', (line) => {
      output.push(line + '\n');
      if (!line.startsWith('OSPREY_READY ')) return;
      clearTimeout(timer);
      resolve((JSON.parse(line.slice(13)) as { metricsUrl: string }).metricsUrl);
    });
    child.once('exit', (code) =>
      reject(new Error(`simulator exited ${code}:\n${output.join('')}`)),
    );
  });
  return { child, host: new URL(url).host, output };
}

/** The transport's job in the app; here plain fetch, the answer handed over untouched. */
async function ask(base: string, request: PrometheusRequest) {
  const url = prometheusUrl(base, request);
  const r = await fetch(url);
  return {
    status: r.status,
    contentType: r.headers.get('content-type') ?? '',
    body: await r.text(),
    url,
  };
}

const STEP_S = 2;
const SCRAPE_S = 1;
/** Names written out by hand, independent of families.ts. */
const HAND: Record<'new' | 'old', Record<LatencyStage, string>> = {
  new: {
    queue: 'vllm:request_queue_time_seconds',
    prefill: 'vllm:request_prefill_time_seconds',
    decode: 'vllm:request_decode_time_seconds',
    ttft: 'vllm:time_to_first_token_seconds',
    inter_token: 'vllm:inter_token_latency_seconds',
    e2e: 'vllm:e2e_request_latency_seconds',
  },
  old: {
    queue: 'vllm:request_queue_time_seconds',
    prefill: 'vllm:request_prefill_time_seconds',
    decode: 'vllm:request_decode_time_seconds',
    ttft: 'vllm:time_to_first_token_seconds',
    inter_token: 'vllm:time_per_output_token_seconds',
    e2e: 'vllm:e2e_request_latency_seconds',
  },
};

const relClose = (a: number, b: number): boolean =>
  (Number.isNaN(a) && Number.isNaN(b)) ||
  a === b ||
  Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b));

describe('latency percentiles: console vs a real Prometheus scraping the simulator', () => {
  const sims: Sim[] = [];
  let prom: PrometheusServer;
  let range: { start: string; end: string; step: string };

  beforeAll(async () => {
    sims.push(await startSim('new', 7), await startSim('old', 8));
    prom = await startPrometheus({
      scrapeInterval: `${SCRAPE_S}s`,
      targets: [
        { job_name: 'sim-new', targets: [sims[0]!.host] },
        { job_name: 'sim-old', targets: [sims[1]!.host] },
      ],
    });
    // 20 scrapes per job: a 10 s range plus its 8 s rate window, with room to spare.
    await prom.waitForData('min(count_over_time(up{job=~"sim-.*"}[1m])) >= 20', 50_000);
    const now = Date.now() - 2_000;
    const plan = planRange({ startMs: now - 10_000, endMs: now, widthPx: 10, minStepS: STEP_S });
    expect(plan.stepS).toBe(STEP_S);
    range = {
      start: String(plan.startMs / 1000),
      end: String(plan.endMs / 1000),
      step: `${STEP_S}`,
    };
  }, 90_000);

  afterAll(async () => {
    await prom?.stop();
    for (const s of sims) {
      if (s.child.exitCode !== null) continue;
      s.child.kill('SIGTERM');
      await once(s.child, 'exit');
    }
  });

  const rangeQuery = async (query: string): Promise<MatrixSeries[]> => {
    const params: [string, string][] = [
      ['query', query],
      ['start', range.start],
      ['end', range.end],
      ['step', range.step],
    ];
    const r = parseRangeResponse(await ask(prom.url, { endpoint: 'query_range', params }));
    expect(r.warnings).toEqual([]);
    return r.data;
  };

  const names = async (match?: string): Promise<string[]> => {
    const params: [string, string][] = match ? [['match[]', match]] : [];
    const req: PrometheusRequest = { endpoint: 'label_values', label: '__name__', params };
    return parseStringListResponse(await ask(prom.url, req)).data;
  };

  it('(c) discovers each vLLM generation per job, and both on the whole server', async () => {
    const fresh = discover(await names('{job="sim-new"}'));
    const stale = discover(await names('{job="sim-old"}'));
    const all = discover(await names());
    expect(fresh.families).toEqual(['vllm', 'sglang', 'dcgm', 'npu']);
    expect(fresh.engines.vllm!.generation).toBe('new');
    expect(stale.engines.vllm!.generation).toBe('old');
    expect(all.engines.vllm!.generation).toBe('both');
    expect(fresh.engines.vllm!.missing).toEqual([]);
    expect(stale.engines.vllm!.quantities.kvUsage!.names).toEqual(['vllm:gpu_cache_usage_perc']);
  });

  for (const gen of ['new', 'old'] as const) {
    it(`(a, b) ${gen} names: console percentiles equal histogram_quantile`, async () => {
      const job = `sim-${gen}`;
      const d = discover(await names(`{job="${job}"}`));
      const plan = latencyPlan(
        d,
        'vllm',
        { jobs: [job] },
        { stepS: STEP_S, scrapeIntervalS: SCRAPE_S },
      )!;
      expect(plan.window).toBe('8s');
      let finite = 0;
      for (const stage of LATENCY_STAGES) {
        const heat = await rangeQuery(
          plan.queries.find((q) => q.key === `heatmap:${stage}`)!.query,
        );
        const grid = bucketGrid(heat);
        expect(grid.skipped).toBe(0);
        for (const q of [0.5, 0.9, 0.99]) {
          const hand = `histogram_quantile(${q}, sum by (le) (rate(${HAND[gen][stage]}_bucket{job="${job}"}[8s])))`;
          const theirs = await rangeQuery(hand);
          const console = plan.queries.find((p) => p.stage === stage && p.quantile === q)!;
          const ours = await rangeQuery(console.query);
          // (a) same text semantics → identical series
          expect(ours.length).toBe(1);
          expect(theirs.length).toBe(1);
          expect([...ours[0]!.times]).toEqual([...theirs[0]!.times]);
          expect([...ours[0]!.values]).toEqual([...theirs[0]!.values]);
          // (b) console-side quantiles from the heatmap's bucket rates
          const mine = gridQuantiles(q, grid);
          expect([...grid.times]).toEqual([...theirs[0]!.times]);
          theirs[0]!.values.forEach((v, i) => {
            if (!relClose(mine[i]!, v)) {
              throw new Error(
                `${stage} p${q * 100} at ${grid.times[i]}: console ${mine[i]}, Prometheus ${v}`,
              );
            }
            if (Number.isFinite(v)) finite++;
          });
        }
      }
      // The comparison must have been about numbers, not about two empty answers.
      expect(finite).toBeGreaterThan(6 * 3 * 3);
    });
  }

  it('ors both inter-token names on the whole server like a hand-written name regex', async () => {
    const plan = latencyPlan(
      discover(await names()),
      'vllm',
      {},
      { stepS: STEP_S, scrapeIntervalS: SCRAPE_S },
    )!;
    expect(plan.generation).toBe('both');
    const ours = await rangeQuery(plan.queries.find((p) => p.key === 'inter_token:p90')!.query);
    const theirs = await rangeQuery(
      'histogram_quantile(0.9, sum by (le) (rate({__name__=~"vllm:inter_token_latency_seconds_bucket|vllm:time_per_output_token_seconds_bucket"}[8s])))',
    );
    // The same sums in another order: equal up to float rounding.
    ours[0]!.values.forEach((v, i) => expect(relClose(v, theirs[0]!.values[i]!)).toBe(true));
    expect(ours[0]!.values.some(Number.isFinite)).toBe(true);
  });

  it('sends hostile model names as data, never as PromQL', async () => {
    const plan = latencyPlan(
      discover(await names()),
      'vllm',
      { models: ['x"}) or vector(1) #\n\\', 'a|b.*'] },
      { stepS: STEP_S, scrapeIntervalS: SCRAPE_S },
    )!;
    for (const q of plan.queries) expect(await rangeQuery(q.query)).toEqual([]);
  });

  it('turns a PromQL syntax error into bad_data with the server’s words', async () => {
    const res = await ask(prom.url, { endpoint: 'query', params: [['query', 'sum(']] });
    const e = (() => {
      try {
        parseQueryResponse(res);
      } catch (err) {
        return err as PrometheusError;
      }
      throw new Error('accepted');
    })();
    expect(e).toBeInstanceOf(PrometheusError);
    expect(e.errorType).toBe('bad_data');
    expect(e.message).toMatch(
      /^Prometheus rejected the query \(bad_data, HTTP 400\): .*parse error/,
    );
  });
});
