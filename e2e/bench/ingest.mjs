#!/usr/bin/env node
// `npm run bench:ingest`: the console's live ingest in Chromium at fleet scale, beside a bare
// NATS WebSocket client in the same run (DESIGN.md, Performance: ratios side by side, because
// these machines are shared and noisy).
//
// Starts a real nats-server with WebSocket, builds the benchmark pages (e2e/bench/page) and
// publishes 512 nodes × 8 devices × 12 metrics (+ 2 engines per node) at 2 Hz with the dedicated
// publisher (publisher.ts; --simulator runs `osprey simulate` instead). Then opens, in one
// Chromium, each page in its own browser context (own renderer process), one after the other:
//   osprey  NatsSource → LiveStore → the fleet view, publish→pixel from each heatmap repaint
//   bare    wsconnect + JSON.parse only: the ceiling, publish→receive
// and after a warm-up measures each over the window: samples/s taken in, latency p50/p99,
// main-thread long tasks (PerformanceObserver 'longtask'), heatmap repaint times. Last, times an
// ECharts heatmap of the same 4,096 cells (why the fleet heatmap is a plain canvas). Prints a table
// and a JSON line.
//
// --pattern: 'spread' (default) sends each node's message at its own moment in the interval, as
// independent agents do; 'burst' sends all 512 at the tick, as the simulator does (6 MB at once:
// the worst case for latency).
//
// Options: --seconds N (30)  --warmup N (15)  --nodes N (512)  --devices N (8)  --rate HZ (2)
//          --pattern spread|burst (spread)  --simulator  --screenshot PATH
//          --encoding grids|samples (grids) how the publisher packs values: grids as agents and
//                         the simulator send them, or the older one object per value (~3.4× the bytes)
//          --side-by-side both pages at once instead of each alone in turn: on 2 cores the two
//                         pages, the publisher and nats-server together saturate the machine, and
//                         both then lag by seconds (BENCHMARKS.md)
//          --only osprey|bare  one page only
//          --profile      also record CPU profiles of the pages over the window and print the
//                         functions with the most self time
// Page callbacks run in the browser, where `window` is the page's.
/* global window */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createReadStream, existsSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:http';
import { availableParallelism, loadavg } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';

import react from '@vitejs/plugin-react';
import { chromium } from '@playwright/test';
import { build, runnerImport } from 'vite';

import { printSelfTime } from './cpuProfile.mjs';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const OUT = join(REPO, 'test-results/bench-ingest');
const TARGETS = { samplesPerSecond: 100_000, longTaskP95Ms: 50, pixelP99Ms: 250, paintMs: 16 };

function parseArgs(argv) {
  const o = {
    seconds: 30,
    warmup: 15,
    nodes: 512,
    devices: 8,
    rate: 2,
    pattern: 'spread',
    encoding: 'grids',
    simulator: false,
    profile: false,
    only: undefined,
    sideBySide: false,
    screenshot: join(OUT, 'fleet.png'),
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const num = () => {
      const n = Number(argv[++i]);
      if (!Number.isFinite(n) || n <= 0) fail(`${a} ${argv[i] ?? ''}: expected a positive number`);
      return n;
    };
    if (a === '--seconds') o.seconds = num();
    else if (a === '--warmup') o.warmup = num();
    else if (a === '--nodes') o.nodes = num();
    else if (a === '--devices') o.devices = num();
    else if (a === '--rate') o.rate = num();
    else if (a === '--pattern') o.pattern = argv[++i];
    else if (a === '--encoding') o.encoding = argv[++i];
    else if (a === '--simulator') o.simulator = true;
    else if (a === '--profile') o.profile = true;
    else if (a === '--only') o.only = argv[++i];
    else if (a === '--side-by-side') o.sideBySide = true;
    else if (a === '--screenshot') o.screenshot = argv[++i];
    else fail(`unknown option ${a}`);
  }
  if (!['burst', 'spread'].includes(o.pattern)) fail(`--pattern ${o.pattern}: burst or spread`);
  if (!['grids', 'samples'].includes(o.encoding))
    fail(`--encoding ${o.encoding}: grids or samples`);
  if (o.only !== undefined && !['osprey', 'bare'].includes(o.only))
    fail(`--only ${o.only}: osprey or bare`);
  return o;
}

const cleanups = [];
function fail(message) {
  console.error(`bench:ingest: ${message}`);
  void cleanup().then(() => process.exit(1));
}
async function cleanup() {
  while (cleanups.length > 0) {
    try {
      await cleanups.pop()();
    } catch {
      // Best effort: the next cleanup still runs.
    }
  }
}

const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' };
async function serve(dir) {
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname));
    const file = join(dir, path === '/' ? 'index.html' : path);
    if (!file.startsWith(dir) || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  cleanups.push(() => new Promise((r) => server.close(r)));
  return `http://127.0.0.1:${server.address().port}`;
}

function quantile(values, q) {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

async function measure(page, from, to) {
  return page.evaluate(
    ([from, to]) => {
      const b = window.bench;
      const inWindow = (list) => list.filter(([t]) => t >= from && t <= to);
      return {
        latencies: inWindow(b.latencies).map(([, v]) => v),
        latencyTimes: inWindow(b.latencies),
        longTasks: inWindow(b.longTasks).map(([, d]) => d),
        paints: inWindow(b.paints).map(([, ms]) => ms),
        cells: b.paints.at(-1)?.[2] ?? 0,
      };
    },
    [from, to],
  );
}

const counters = async (page) =>
  page
    ? page.evaluate(() => ({
        at: performance.now(),
        samples: window.bench.samples,
        frames: window.bench.frames,
      }))
    : undefined;

function printProfile(name, profile) {
  printSelfTime(`self time (${name} page)`, profile, 14);
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  // The React production build, as the console ships; plugin-react reads this when it loads.
  process.env.NODE_ENV = 'production';
  mkdirSync(OUT, { recursive: true });

  const { module: nats } = await runnerImport(join(REPO, 'collector/testing/natsServer.ts'), {
    configFile: false,
    logLevel: 'error',
  });
  const server = await nats.startNatsServer({ websocket: true });
  cleanups.push(() => server.stop());

  await build({
    configFile: false,
    mode: 'production',
    root: join(REPO, 'e2e/bench/page'),
    base: './',
    logLevel: 'warn',
    plugins: [react()],
    build: {
      outDir: join(OUT, 'page'),
      emptyOutDir: true,
      target: 'es2022',
      chunkSizeWarningLimit: 2000,
      // Readable function names in the profile.
      minify: !o.profile,
    },
  });
  const origin = await serve(join(OUT, 'page'));

  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--disable-background-timer-throttling', '--disable-renderer-backgrounding'],
  });
  cleanups.push(() => browser.close());
  const cluster = o.simulator ? 'sim-0' : 'sim';
  const open = async (mode) => {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    page.on('pageerror', (e) => console.error(`[${mode}] ${e.message}`));
    await page.goto(
      `${origin}/?mode=${mode}&cluster=${cluster}&ws=${encodeURIComponent(server.wsUrl)}`,
    );
    await page.waitForFunction(() => window.bench?.ready === true, undefined, { timeout: 30_000 });
    return page;
  };
  const published = await startLoad(o, server, cluster);
  // By default each page alone in turn, with the same server, publisher and browser; side by side
  // both take the same messages at once and share what the machine has left.
  const modes = ['osprey', 'bare'].filter((m) => o.only === undefined || o.only === m);
  const phases = o.sideBySide ? [modes] : modes.map((m) => [m]);
  const runs = {};
  for (const phase of phases) {
    const pages = {};
    for (const mode of phase) pages[mode] = await open(mode);
    Object.assign(runs, await measurePhase(o, pages, published));
    for (const page of Object.values(pages)) await page.context().close();
  }

  const echartsPage = await open('echarts');
  const echarts = await echartsPage.evaluate(() => window.bench.echarts);

  const result = {
    bench: 'ingest',
    source: o.simulator ? 'osprey simulate' : `publisher (${o.pattern}, ${o.encoding})`,
    mode: o.sideBySide ? 'side by side' : 'one page at a time',
    nodes: o.nodes,
    devicesPerNode: o.devices,
    rateHz: o.rate,
    seconds: o.seconds,
    publishedSamplesPerSecond: (runs.osprey ?? runs.bare)?.published,
    // Other work on a shared machine shows here; the side-by-side ratio is the fair comparison.
    loadAverage1m: +loadavg()[0].toFixed(2),
    osprey: runs.osprey?.side,
    bare: runs.bare?.side,
    echartsHeatmap: echarts
      ? {
          cells: echarts.cells,
          setOptionP50Ms: Math.round(quantile(echarts.setOptionMs.slice(2), 0.5)),
        }
      : undefined,
  };
  printTable(result);
  console.log(JSON.stringify(result));
}

/** Warm-up, then one measured window over the given pages (mode → page). */
async function measurePhase(o, pages, published) {
  await new Promise((r) => setTimeout(r, o.warmup * 1000));
  const profilers = [];
  for (const [mode, page] of Object.entries(pages)) {
    if (!o.profile) continue;
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.start');
    profilers.push([mode, cdp]);
  }
  const start = { published: published() };
  for (const [mode, page] of Object.entries(pages)) start[mode] = await counters(page);
  await new Promise((r) => setTimeout(r, o.seconds * 1000));
  const end = { published: published() };
  for (const [mode, page] of Object.entries(pages)) end[mode] = await counters(page);
  for (const [mode, cdp] of profilers)
    printProfile(mode, (await cdp.send('Profiler.stop')).profile);
  const secs = (end.published.at - start.published.at) / 1000;
  const publishedRate =
    end.published.rate ?? Math.round((end.published.samples - start.published.samples) / secs);
  const out = {};
  for (const [mode, page] of Object.entries(pages)) {
    const m = await measure(page, start[mode].at, end[mode].at);
    const s = { ...side(start[mode], end[mode], m), publishedSamplesPerSecond: publishedRate };
    if (mode === 'osprey') {
      await page.screenshot({ path: o.screenshot, fullPage: false });
      Object.assign(s, {
        cells: m.cells,
        paints: m.paints.length,
        paintP50Ms: +quantile(m.paints, 0.5).toFixed(2),
        paintP95Ms: +quantile(m.paints, 0.95).toFixed(2),
      });
    }
    out[mode] = { side: s, published: publishedRate };
  }
  return out;
}

/** Starts the dedicated publisher or the simulator; returns a reader of what was published. */
async function startLoad(o, server, cluster) {
  if (o.simulator) {
    const child = spawn(
      process.execPath,
      [
        join(REPO, 'collector/bin/osprey.js'),
        'simulate',
        '--nats',
        server.url,
        '--nodes',
        String(o.nodes),
        '--devices-per-node',
        String(o.devices),
        '--rate',
        String(o.rate),
        '--seed',
        '1',
        '--no-stdin',
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    // The simulator says what it publishes every 10 s: "sim: 512 nodes, 1024 msgs/s, 133k samples/s, …".
    let rate = NaN;
    child.stderr.setEncoding('utf8').on('data', (text) => {
      const m = /(\d+(?:\.\d+)?)(k?) samples\/s/.exec(text);
      if (m) rate = Number(m[1]) * (m[2] === 'k' ? 1000 : 1);
    });
    cleanups.push(async () => {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await once(child, 'exit');
      }
    });
    return () => ({ at: performance.now(), rate });
  }
  const { module: pub } = await runnerImport(join(REPO, 'e2e/bench/publisher.ts'), {
    configFile: false,
    logLevel: 'error',
  });
  const publisher = await pub.startPublisher({
    natsUrl: server.url,
    cluster,
    nodes: o.nodes,
    devicesPerNode: o.devices,
    rateHz: o.rate,
    pattern: o.pattern,
    encoding: o.encoding,
  });
  cleanups.push(() => publisher.stop());
  return () => ({ at: performance.now(), ...publisher.published });
}

function side(c0, c1, m) {
  const secs = (c1.at - c0.at) / 1000;
  return {
    samplesPerSecond: Math.round((c1.samples - c0.samples) / secs),
    latencyP50Ms: Math.round(quantile(m.latencies, 0.5)),
    latencyP99Ms: Math.round(quantile(m.latencies, 0.99)),
    // A backlog from the warm-up still draining shows as a first quarter slower than the last.
    latencyP50FirstLastQuarterMs: quarters(m.latencyTimes, c0.at, c1.at),
    longTasks: m.longTasks.length,
    longTaskP95Ms: m.longTasks.length ? Math.round(quantile(m.longTasks, 0.95)) : 0,
    longTaskMaxMs: m.longTasks.length ? Math.round(Math.max(...m.longTasks)) : 0,
    longTasksPerFrame: +(m.longTasks.length / Math.max(1, c1.frames - c0.frames)).toFixed(4),
    framesPerSecond: Math.round((c1.frames - c0.frames) / secs),
  };
}

function quarters(points, from, to) {
  const q = (to - from) / 4;
  const p50 = (lo, hi) =>
    Math.round(
      quantile(
        points.filter(([t]) => t >= lo && t < hi).map(([, v]) => v),
        0.5,
      ),
    );
  return [p50(from, from + q), p50(to - q, to + 1)];
}

function printTable(r) {
  const cpus = availableParallelism();
  const o = r.osprey ?? {};
  const b = r.bare ?? {};
  const v = (x) => (x === undefined || Number.isNaN(x) ? '—' : x);
  const rows = [
    [
      'samples/s taken in',
      v(o.samplesPerSecond),
      v(b.samplesPerSecond),
      `≥ ${TARGETS.samplesPerSecond}`,
    ],
    ['publish→pixel (console) / →receive (bare) p50, ms', v(o.latencyP50Ms), v(b.latencyP50Ms), ''],
    [
      'publish→pixel / →receive p99, ms',
      v(o.latencyP99Ms),
      v(b.latencyP99Ms),
      `≤ ${TARGETS.pixelP99Ms}`,
    ],
    [
      'p50 in the first / last quarter of the window, ms',
      (o.latencyP50FirstLastQuarterMs ?? []).join(' / ') || '—',
      (b.latencyP50FirstLastQuarterMs ?? []).join(' / ') || '—',
      '',
    ],
    ['long tasks in window', v(o.longTasks), v(b.longTasks), ''],
    ['long tasks per animation frame', v(o.longTasksPerFrame), v(b.longTasksPerFrame), '< 0.05'],
    [
      'long task p95 / max, ms',
      `${v(o.longTaskP95Ms)} / ${v(o.longTaskMaxMs)}`,
      `${v(b.longTaskP95Ms)} / ${v(b.longTaskMaxMs)}`,
      '',
    ],
    ['animation frames/s', v(o.framesPerSecond), v(b.framesPerSecond), ''],
    [
      `heatmap repaint of ${v(o.cells)} cells p50 / p95, ms`,
      `${v(o.paintP50Ms)} / ${v(o.paintP95Ms)}`,
      '',
      `≤ ${TARGETS.paintMs}`,
    ],
    [
      'ECharts heatmap setOption of 4,096 cells p50, ms',
      v(r.echartsHeatmap?.setOptionP50Ms),
      '',
      '',
    ],
  ];
  console.log(
    `\nIngest: ${r.source}, ${r.nodes} nodes × ${r.devicesPerNode} devices at ${r.rateHz} Hz, published ${r.publishedSamplesPerSecond} samples/s, ${r.mode}, ${r.seconds} s window, load average ${r.loadAverage1m} on ${cpus} cores\n`,
  );
  console.log('| measure | console | bare wsconnect | target |\n|---|---|---|---|');
  for (const row of rows) console.log(`| ${row.join(' | ')} |`);
}

main()
  .catch((error) => {
    console.error(`bench:ingest: ${error.stack ?? error}`);
    process.exitCode = 1;
  })
  .finally(() => cleanup());
