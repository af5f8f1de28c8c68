#!/usr/bin/env node
// `npm run bench:prom-fleet`: the fleet of a Prometheus-only cluster (issue 12) at 512 nodes × 8
// accelerators. A real `prometheus` scrapes the simulator's /metrics (DCGM exporter and NPU
// exporter names for 4,096 devices, plus their vLLM/SGLang engines: ~168k series a scrape).
//
// 1. Node, rounds alternating: (A) raw — the refresh's own requests (metric names, targets, one
//    query per family, up) sent straight to Prometheus as the local server sends them, bodies
//    read and dropped; Prometheus's own evaluation time of the same queries comes from
//    `stats=all` (execTotalTime). (B) refresh — FleetPoller.refresh, what the console's
//    PrometheusFleetSource runs: the same requests, parsed, assembled into messages. Ratio B / A
//    per round (goal ≤ 1.2×); B must also stay under the scrape interval.
// 2. The real console (`osprey serve`) with a Prometheus-only connection to it, in Chromium: the
//    page's main-thread time per refresh (CDP TaskDuration over whole refreshes, divided by their
//    number), once the 4,096 cells are on screen.
//
// Options: --rounds N (7)  --nodes N (512)  --devices N (8)  --scrape-interval S (15)
//          --browse S (60: seconds the page is watched)
// Page callbacks run in the browser.
/* global document */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { availableParallelism, cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

import { chromium } from '@playwright/test';
import { runnerImport } from 'vite';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const ts = async (path) =>
  (await runnerImport(join(REPO, path), { configFile: false, logLevel: 'error' })).module;

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const ROUNDS = arg('rounds', 7);
const NODES = arg('nodes', 512);
const DEVICES = arg('devices', 8);
const SCRAPE_S = arg('scrape-interval', 15);
const BROWSE_S = arg('browse', 60);

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const p90 = (xs) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * 0.9))];
const ms = (x) => `${x.toFixed(0)} ms`;

const { startPrometheus } = await ts('collector/testing/prometheusServer.ts');
const { FleetPoller } = await ts('collector/core/prometheus/exporters/FleetPoller.ts');
const { planFleetQueries } = await ts('collector/core/prometheus/exporters/fleetQueries.ts');
const { discover } = await ts('collector/core/prometheus/discovery.ts');
const { pollInterval } = await ts('collector/core/prometheus/exporters/pollInterval.ts');
const { parseStringListResponse, parseTargetsResponse } = await ts(
  'collector/core/prometheus/payloads.ts',
);
const { parseQueryResponse } = await ts('collector/core/prometheus/response.ts');
const { serveConsole } = await ts('e2e/support/osprey.ts');

console.log(
  `machine: ${availableParallelism()} cores (${cpus()[0]?.model ?? '?'}), ` +
    `${(totalmem() / 2 ** 30).toFixed(0)} GiB; node ${process.version}`,
);

const sim = spawn(
  process.execPath,
  [
    join(REPO, 'collector/bin/osprey.js'),
    'simulate',
    '--nodes',
    String(NODES),
    '--devices-per-node',
    String(DEVICES),
    '--rate',
    '0.5',
    '--metrics-port',
    '0',
    '--no-stdin',
  ],
  { stdio: ['ignore', 'pipe', 'inherit'] },
);
const simUrl = await new Promise((resolve, reject) => {
  createInterface({ input: sim.stdout }).on('line', (line) => {
    if (line.startsWith('OSPREY_READY ')) resolve(JSON.parse(line.slice(13)).metricsUrl);
  });
  sim.once('exit', (code) => reject(new Error(`simulator exited ${code}`)));
});
const prom = await startPrometheus({
  targets: [
    {
      job_name: 'fleet',
      targets: [new URL(simUrl).host],
      scrape_interval: `${SCRAPE_S}s`,
    },
  ],
  scrapeInterval: `${SCRAPE_S}s`,
  extraArgs: ['--query.max-samples=200000000'],
});
let served;
let browser;
try {
  const fetchText = async (path, params) => {
    const url = `${prom.url}${path}?${new URLSearchParams(params)}`;
    const r = await fetch(url);
    return {
      status: r.status,
      contentType: r.headers.get('content-type') ?? '',
      body: await r.text(),
      url,
    };
  };
  const port = {
    metricNames: async () =>
      parseStringListResponse(await fetchText('/api/v1/label/__name__/values', [])).data,
    targets: async () => parseTargetsResponse(await fetchText('/api/v1/targets', [])).data,
    query: async (query) =>
      parseQueryResponse(await fetchText('/api/v1/query', [['query', query]])).data,
  };
  // A whole scrape ingested: every device's utilization series.
  const want = NODES * DEVICES;
  for (;;) {
    const r = await port.query(
      'count({__name__=~"DCGM_FI_DEV_GPU_UTIL|npu_chip_info_utilization"})',
    );
    const n = r.resultType === 'vector' && r.result[0] ? r.result[0].value : 0;
    if (n >= want) break;
    await new Promise((r2) => setTimeout(r2, 1000));
  }
  const names = new Set(await port.metricNames());
  const interval = pollInterval(await port.targets());
  const plan = planFleetQueries(names, discover(names), interval);
  console.log(
    `${want} devices; ${plan.length} queries a refresh; scrape interval ${interval / 1000} s`,
  );

  const raw = [];
  const refresh = [];
  const evalMs = [];
  const sizes = [];
  const poller = new FleetPoller({ cluster: 'bench' });
  for (let round = 0; round < ROUNDS; round++) {
    // (A) the same requests, bodies read and dropped; Prometheus's own evaluation time beside.
    let t0 = performance.now();
    let bytes = 0;
    let exec = 0;
    const answers = await Promise.all([
      fetchText('/api/v1/targets', []),
      ...plan.map((q) =>
        fetchText('/api/v1/query', [
          ['query', q.query],
          ['stats', 'all'],
        ]),
      ),
    ]);
    raw.push(performance.now() - t0);
    for (const a of answers) {
      bytes += a.body.length;
      const stats = JSON.parse(a.body).data?.stats?.timings;
      if (stats) exec += stats.execTotalTime * 1000;
    }
    evalMs.push(exec);
    sizes.push(bytes);
    // (B) the refresh the console runs.
    t0 = performance.now();
    const out = await poller.refresh(
      port,
      new AbortController().signal,
      Date.now() + round * 61_000,
    );
    refresh.push(performance.now() - t0);
    if (round === 0) {
      const samples = out.messages.reduce(
        (n, m) => n + (m.type === 'metrics' ? m.samples.length : 0),
        0,
      );
      console.log(`refresh 1: ${out.messages.length} messages, ${samples} samples`);
    }
  }
  const ratio = refresh.map((b, i) => b / raw[i]);
  console.log(
    `(A) raw requests:      median ${ms(median(raw))}, p90 ${ms(p90(raw))}; ${(median(sizes) / 1e6).toFixed(1)} MB a refresh`,
  );
  console.log(`    Prometheus eval:   median ${ms(median(evalMs))} (sum of execTotalTime)`);
  console.log(`(B) refresh:           median ${ms(median(refresh))}, p90 ${ms(p90(refresh))}`);
  console.log(
    `ratio B / A:           median ${median(ratio).toFixed(2)}×, p90 ${p90(ratio).toFixed(2)}×`,
  );
  console.log(
    `refresh within the ${SCRAPE_S} s scrape interval: ${p90(refresh) < SCRAPE_S * 1000 ? 'yes' : 'NO'}`,
  );

  // 2. The console page.
  served = await serveConsole();
  const created = await fetch(`${served.origin}/api/connections`, {
    method: 'POST',
    headers: { authorization: `Bearer ${served.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      name: 'bench',
      kind: 'nats',
      auth: 'none',
      prometheus: { url: prom.url, auth: 'none' },
    }),
  });
  if (created.status !== 201) throw new Error(await created.text());
  const { connection } = await created.json();
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium' });
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  await page.goto(`${served.url}&conn=${connection.id}`);
  const heatmap = page.getByTestId('fleet-heatmap');
  const t0 = Date.now();
  await heatmap.waitFor();
  await page.waitForFunction(
    (n) =>
      document.querySelector('[data-testid="fleet-heatmap"]')?.getAttribute('data-cells') ===
      String(n),
    want,
    { timeout: 120_000 },
  );
  console.log(
    `page: ${want} cells on screen ${((Date.now() - t0) / 1000).toFixed(1)} s after opening`,
  );
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const task = async () =>
    (await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'TaskDuration').value;
  const before = await task();
  await page.waitForTimeout(BROWSE_S * 1000);
  const after = await task();
  const refreshes = Math.max(1, Math.round(BROWSE_S / (interval / 1000)));
  const perRefresh = ((after - before) * 1000) / refreshes;
  console.log(
    `page main thread: ${((after - before) * 1000).toFixed(0)} ms busy over ${BROWSE_S} s ` +
      `(${refreshes} refreshes): ${perRefresh.toFixed(0)} ms a refresh, everything included`,
  );
  await page.screenshot({ path: join(REPO, 'test-results/bench-prom-fleet.png') });
  console.log(
    JSON.stringify({
      devices: want,
      queries: plan.length,
      rawMedianMs: Math.round(median(raw)),
      promEvalMedianMs: Math.round(median(evalMs)),
      refreshMedianMs: Math.round(median(refresh)),
      refreshP90Ms: Math.round(p90(refresh)),
      ratioMedian: Number(median(ratio).toFixed(2)),
      pageMsPerRefresh: Math.round(perRefresh),
    }),
  );
} finally {
  await browser?.close();
  await served?.stop();
  await prom.stop();
  sim.kill('SIGTERM');
  await once(sim, 'exit');
}
