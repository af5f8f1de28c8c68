/**
 * The Health view's "impact on inference" PromQL (core impactQueries.ts) against a real Prometheus
 * (2.42) scraping the real simulator (`osprey simulate --metrics-port`, 1 s scrapes), with an
 * Xid 79 scheduled on node-002 (NVIDIA, one vLLM engine) 72 s into the run as the incident. Each answer is checked against
 * Prometheus's own raw samples over the same window: running/waiting before = the mean of the raw
 * values in [T − 60 s, T], after = the last raw value in [T, T + 30 s]; TTFT p50/p99 = a
 * hand-written histogram_quantile over the same rates. Every engine of the node gets exactly one
 * series, whichever way the node is named: by the series' `node` label (job node-label, scraping
 * node-002), by the scrape target's host only (`instance="node-003:8000"`, node label ignored), or
 * both at once (node-003 again: the `or` must not double a series). The engine on the lost GPU
 * has no sample after the incident, and no answer for the after window either (the Health view
 * reads that as stopped).
 * Requires `npm run build:ts` (the simulator runs as the CLI).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  impactQueries,
  type ImpactHistoryPlan,
  type ImpactQueryOptions,
} from '../core/prometheus/impactQueries.js';
import { prometheusUrl } from '../core/prometheus/request.js';
import {
  parseQueryResponse,
  type InstantSample,
  type MatrixSeries,
} from '../core/prometheus/response.js';
import { startPrometheus, type PrometheusServer } from '../testing/prometheusServer.js';
import { OSPREY_BIN, REPO_ROOT } from '../testing/serveProcess.js';

/** The incident: this long after the simulator is ready, ≥ 60 s of 1 s scrapes before it. */
const FAULT_AT_S = 72;
/** How much of the after window has passed when the console asks. */
const AFTER_S = 30;

interface Sim {
  child: ChildProcess;
  host: string;
  readyAt: number;
  output: string[];
}

async function startSim(): Promise<Sim> {
  const args = ['simulate', '--nodes', '4', '--seed', '7', '--metrics-port', '0', '--no-stdin'];
  const fault = `at=${FAULT_AT_S}s node=node-002 device=0 kind=xid79`;
  const child = spawn(process.execPath, [OSPREY_BIN, ...args, '--day', '2m', '--faults', fault], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
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
  return { child, host: new URL(url).host, readyAt: Date.now(), output };
}

const relClose = (a: number, b: number): boolean =>
  (Number.isNaN(a) && Number.isNaN(b)) ||
  a === b ||
  Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b));

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('incident impact PromQL vs a real Prometheus scraping the simulator', () => {
  let sim: Sim;
  let prom: PrometheusServer;
  let T: number;
  let now: number;

  beforeAll(
    async () => {
      sim = await startSim();
      prom = await startPrometheus({
        scrapeInterval: '1s',
        targets: [
          { job_name: 'node-label', targets: [sim.host], metrics_path: '/metrics/node/node-002' },
          {
            job_name: 'host-instance',
            targets: [sim.host],
            metrics_path: '/metrics/node/node-003',
            // What a per-node scrape target looks like in a real cluster: the node is the host.
            labels: { instance: 'node-003:8000' },
          },
        ],
      });
      // Whole seconds, like an event's time as the console shows it; readyAt is after the run's
      // start, and the second more covers the fault landing on the next 2 Hz tick: no scrape from
      // T on can still see the engine on the lost GPU.
      T = Math.ceil((sim.readyAt + FAULT_AT_S * 1000 + 1000) / 1000) * 1000;
      now = T + AFTER_S * 1000;
      // Two scrapes of slack past the console's "now" so the after window is complete.
      await sleep(Math.max(0, now + 2_000 - Date.now()));
    },
    (FAULT_AT_S + AFTER_S + 40) * 1000,
  );

  afterAll(async () => {
    await prom?.stop();
    if (sim && sim.child.exitCode === null) {
      sim.child.kill('SIGTERM');
      await once(sim.child, 'exit');
    }
  });

  const instant = async (query: string, timeMs: number) => {
    const params: [string, string][] = [
      ['query', query],
      ['time', String(timeMs / 1000)],
    ];
    const url = prometheusUrl(prom.url, { endpoint: 'query', params });
    const r = await fetch(url);
    const res = parseQueryResponse({
      status: r.status,
      contentType: r.headers.get('content-type') ?? '',
      body: await r.text(),
      url,
    });
    expect(res.warnings).toEqual([]);
    return res.data;
  };
  const vector = async (query: string, timeMs: number): Promise<InstantSample[]> => {
    const d = await instant(query, timeMs);
    if (d.resultType !== 'vector') throw new Error(`${query}: ${d.resultType}`);
    return d.result;
  };
  const matrix = async (query: string, timeMs: number): Promise<MatrixSeries[]> => {
    const d = await instant(query, timeMs);
    if (d.resultType !== 'matrix') throw new Error(`${query}: ${d.resultType}`);
    return d.result;
  };

  /** The node's engines as Prometheus lists them, by a hand-written matcher. */
  const enginesOf = async (matcher: string): Promise<string[]> =>
    (
      await vector(
        `group by (engine) (last_over_time(vllm:num_requests_running{${matcher}}[1m]))`,
        T,
      )
    )
      .map((s) => s.metric.engine!)
      .sort();

  const cases: {
    name: string;
    node: string;
    matcher: string;
    engines: string[];
    /** Engines with no sample after the incident: the one on the lost GPU. */
    silentAfter: string[];
    o: ImpactQueryOptions;
  }[] = [
    {
      name: 'the series’ node label',
      node: 'node-002',
      matcher: 'node="node-002"',
      engines: ['vllm-0'],
      silentAfter: ['vllm-0'],
      o: {},
    },
    {
      name: 'the scrape target’s host only',
      node: 'node-003',
      matcher: 'instance="node-003:8000"',
      engines: ['vllm-0', 'vllm-1'],
      silentAfter: [],
      // A label no series has: only the instance alternative can match.
      o: { nodeLabel: 'kubernetes_node' },
    },
    {
      name: 'node label and host both (the `or` keeps one series)',
      node: 'node-003',
      matcher: 'node="node-003"',
      engines: ['vllm-0', 'vllm-1'],
      silentAfter: [],
      o: {},
    },
  ];

  for (const c of cases) {
    it(`node named by ${c.name}: every answer equals Prometheus's raw samples for the window`, async () => {
      const engines = await enginesOf(c.matcher);
      expect(engines).toEqual(c.engines);
      const plan: ImpactHistoryPlan = impactQueries(c.node, engines, T, now, c.o)!;
      expect(plan.before).toEqual({ start: T - 60_000, end: T });
      expect(plan.after).toEqual({ start: T, end: T + AFTER_S * 1000 });
      expect(plan.queries).toHaveLength(8);
      for (const q of plan.queries) {
        const ours = new Map((await vector(q.query, q.time)).map((s) => [s.metric.engine!, s]));
        const range = q.side === 'before' ? '60s' : `${AFTER_S}s`;
        const answered: string[] = [];
        for (const engine of engines) {
          const sel = `{engine="${engine}",${c.matcher}}`;
          const what = `${q.side} ${q.quantity} ${engine}: ${q.query}`;
          const raw = await matrix(`vllm:num_requests_running${sel}[${range}]`, q.time);
          // No raw sample in the window (the engine died with its GPU): no answer either.
          if (raw.length === 0) {
            expect(ours.has(engine), what).toBe(false);
            continue;
          }
          answered.push(engine);
          const s = ours.get(engine);
          if (!s)
            throw new Error(
              `${what}: no answer; Prometheus holds ${raw[0]!.values.length} samples`,
            );
          if (q.quantity === 'running' || q.quantity === 'waiting') {
            const metric = `vllm:num_requests_${q.quantity}`;
            const own = await matrix(`${metric}${sel}[${range}]`, q.time);
            expect(own, what).toHaveLength(1);
            const values = [...own[0]!.values];
            // 1 s scrapes: the window holds about one sample a second, not a stray one.
            expect(values.length, what).toBeGreaterThanOrEqual(q.side === 'before' ? 55 : 25);
            const want =
              q.side === 'before'
                ? values.reduce((a, b) => a + b, 0) / values.length
                : values[values.length - 1]!;
            if (!relClose(s.value, want)) throw new Error(`${what}: ${s.value}, raw ${want}`);
          } else {
            const quantile = q.quantity === 'ttftP50' ? 0.5 : 0.99;
            const hand = `histogram_quantile(${quantile}, sum by (le, engine) (rate(vllm:time_to_first_token_seconds_bucket${sel}[${range}])))`;
            const theirs = await vector(hand, q.time);
            expect(theirs, what).toHaveLength(1);
            if (!relClose(s.value, theirs[0]!.value)) {
              throw new Error(`${what}: ${s.value}, hand-written ${theirs[0]!.value}`);
            }
          }
        }
        // Exactly one series per engine Prometheus holds samples of, nothing else.
        expect([...ours.keys()].sort(), q.query).toEqual(answered);
        const silent = q.side === 'after' ? c.silentAfter : [];
        expect(
          engines.filter((e) => !answered.includes(e)),
          q.query,
        ).toEqual(silent);
      }
      // The comparison was about numbers: engines were busy in the minute before.
      const running = plan.queries.find((q) => q.side === 'before' && q.quantity === 'running')!;
      for (const s of await vector(running.query, running.time)) expect(s.value).toBeGreaterThan(0);
      const p99 = plan.queries.find((q) => q.side === 'before' && q.quantity === 'ttftP99')!;
      for (const s of await vector(p99.query, p99.time)) {
        expect(Number.isFinite(s.value) && s.value > 0).toBe(true);
      }
    });
  }
});
