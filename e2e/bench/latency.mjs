#!/usr/bin/env node
// `npm run bench:latency`: the Latency view's load of 24 h × 64 vLLM engine instances against a
// local Prometheus, beside the raw time of the same queries in the same run (DESIGN.md,
// Performance: ratios side by side, because these machines are shared and noisy). Needs a built
// console (`npm run build`).
//
// 1. History: the simulator's engine model (collector/simulator/backfill) writes 24 h of
//    OpenMetrics at a 30 s scrape interval for 64 vLLM engines; `promtool tsdb create-blocks-from
//    openmetrics` turns it into TSDB blocks (timed). A real `prometheus` serves them; the bench
//    waits until it has compacted them, so compaction never runs while measuring.
// 2. The real console (`osprey serve`) with a connection to that Prometheus, opened in Chromium.
// 3. Rounds, alternating: (A) raw — the requests the view sent in the last (B), straight to
//    Prometheus from Node as the local server sends them (latencyReplay.mjs), with as many in
//    flight as the browser had; (B) view — a fresh page opens the Latency view (all models, all
//    instances), waits until it settles on its default range, then picks "Last 24 hours"; B is
//    the time from that change to `performance.mark('osprey:latency-settled')` for the new range
//    (and to the next painted frame). Ratio = B / A per round.
//
// Prints machine facts, median and p90 of A, B and the ratio, the five slowest queries, bytes,
// main-thread long tasks during B, and a JSON line.
//
// Options: --rounds N (7)  --engines N (64)  --hours N (24)  --scrape-interval S (30)
//          --data DIR   keep the TSDB in DIR and reuse it next time (its history then ends when
//                       it was written; default: a fresh temp dir, removed after)
//          --profile    CPU profile of the page over one extra (B), functions by self time; that
//                       page loads an unminified build of the same renderer, so names are readable
//          --renderer DIR  load the page from DIR, another `vite build` of the console (to measure
//                       a change beside this one), instead of dist/renderer
//          --screenshot PATH (test-results/bench-latency/latency.png)
//          --pin        Prometheus on CPU 0, everything else (this process, osprey serve, Chromium)
//                       on CPU 1: a Prometheus server and an operator's machine that do not share
//                       cores, as in use. Without it both share the 2 cores and every query in (B)
//                       runs slower than in (A) because the page takes CPU from Prometheus.
//          --fleet      the fleet scenario instead (issue 12; defaults --engines 643 --hours 6
//                       --rounds 3): per round a fresh page opens the view (default 1 h), then
//                       "Last 6 hours", "Last 3 hours", a drag-zoom and (once now has crossed
//                       into the 3 h window's next step) Back, then "Show all";
//                       timed from each action: first useful paint (the first panel out of
//                       "loading" with the new window's answer), the panels visible at 1400 × 900
//                       painted, all panels settled (the settled mark), and for the open the
//                       Instance selector usable (enabled with instances to pick) and complete
//                       (no "loading N…" left); requests sent by Back; and the same range
//                       requests replayed raw. With --renderer, the same on another build
//                       (before/after).
// Page callbacks run in the browser, where `window` and `document` are the page's.
/* global window, document, requestAnimationFrame */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { chromium } from '@playwright/test';
import { build, runnerImport } from 'vite';

import { cpuByGroup, cpuDelta } from './latencyCpu.mjs';
import { hasBlocks, startPrometheus, waitForCompaction } from './latencyPrometheus.mjs';
import { directUrl, maxOverlap, median, quantile, replay } from './latencyReplay.mjs';
import { openLatencyView, printProfile, selectRange, waitForSettled } from './latencyPage.mjs';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const OUT = join(REPO, 'test-results/bench-latency');
const TARGET_RATIO = 1.2;
const CONNECTION = 'bench-prometheus';

function parseArgs(argv) {
  const o = {
    rounds: 7,
    engines: 64,
    hours: 24,
    scrapeIntervalS: 30,
    data: undefined,
    profile: false,
    renderer: undefined,
    screenshot: join(OUT, 'latency.png'),
    pin: false,
    fleet: false,
  };
  const given = new Set();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const num = () => {
      const n = Number(argv[++i]);
      if (!Number.isFinite(n) || n <= 0) fail(`${a} ${argv[i] ?? ''}: expected a positive number`);
      return n;
    };
    if (a === '--rounds' || a === '--engines' || a === '--hours') {
      o[a.slice(2)] = num();
      given.add(a.slice(2));
    } else if (a === '--scrape-interval') o.scrapeIntervalS = num();
    else if (a === '--data') o.data = argv[++i];
    else if (a === '--profile') o.profile = true;
    else if (a === '--renderer') o.renderer = argv[++i];
    else if (a === '--screenshot') o.screenshot = argv[++i];
    else if (a === '--pin') o.pin = true;
    else if (a === '--fleet') o.fleet = true;
    else fail(`unknown option ${a}`);
  }
  if (o.fleet) {
    if (!given.has('engines')) o.engines = 643;
    if (!given.has('hours')) o.hours = 6;
    if (!given.has('rounds')) o.rounds = 3;
  }
  return o;
}

const cleanups = [];
function fail(message) {
  throw new Error(message);
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

const ts = (path) => runnerImport(join(REPO, path), { configFile: false, logLevel: 'error' });

/** 24 h of engine history in a TSDB: reused from --data when it holds blocks, else written. */
async function history(o) {
  const root = o.data ?? mkdtempSync(join(tmpdir(), 'osprey-bench-latency-'));
  const dataDir = join(root, 'data');
  if (o.data === undefined) cleanups.push(() => rmSync(root, { recursive: true, force: true }));
  if (hasBlocks(dataDir)) return { dataDir, reused: true };
  const { module: backfill } = await ts('collector/simulator/backfill/promtoolBackfill.ts');
  const stepMs = o.scrapeIntervalS * 1000;
  const now = Date.now();
  // Up to 5 min ago: the newest minutes are the head block's in a scraping Prometheus.
  const toMs = now - 5 * 60_000;
  const fromMs = Math.floor((now - o.hours * 3_600_000) / stepMs) * stepMs;
  const cpu0 = process.cpuUsage();
  const report = await backfill.backfillEngineHistory({
    engines: o.engines,
    framework: 'vllm',
    names: 'new',
    stepMs,
    seed: 1,
    dataDir,
    fromMs,
    toMs,
  });
  const cpu = process.cpuUsage(cpu0);
  return {
    dataDir,
    reused: false,
    ...report,
    nodeCpuMs: Math.round((cpu.user + cpu.system) / 1000),
  };
}

async function addConnection(served, promUrl) {
  const res = await fetch(`${served.origin}/api/connections`, {
    method: 'POST',
    headers: { authorization: `Bearer ${served.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      name: CONNECTION,
      kind: 'nats',
      auth: 'none',
      prometheus: { url: promUrl, auth: 'none' },
    }),
  });
  if (res.status !== 201) fail(`POST /api/connections: ${res.status} ${await res.text()}`);
  return (await res.json()).connection.id;
}

/** Watches the page's Prometheus requests through the local server. */
function recorder(page) {
  let list = [];
  const byRequest = new Map();
  page.on('request', (r) => {
    if (!r.url().includes('/prometheus/')) return;
    const entry = { url: r.url(), done: false };
    byRequest.set(r, entry);
    list.push(entry);
  });
  const finish = async (r, failed) => {
    const entry = byRequest.get(r);
    if (!entry) return;
    const t = r.timing();
    entry.start = t.startTime + Math.max(0, t.requestStart);
    entry.end = t.startTime + t.responseEnd;
    entry.headersAt = t.startTime + t.responseStart;
    entry.ms = t.responseEnd - Math.max(0, t.requestStart);
    entry.failed = failed;
    if (!failed) entry.bytes = (await r.sizes().catch(() => undefined))?.responseBodySize;
    entry.done = true;
  };
  page.on('requestfinished', (r) => void finish(r, false));
  page.on('requestfailed', (r) => void finish(r, true));
  return {
    reset: () => (list = []),
    all: () => list,
    settled: async () => {
      for (let i = 0; i < 100 && list.some((e) => !e.done || e.bytes === undefined); i++)
        await new Promise((r) => setTimeout(r, 50));
      return list;
    },
  };
}

/** One (B): a fresh page, the view on its default range, then 24 h; returns its numbers. */
async function viewLoad(context, url, profile) {
  const page = await context.newPage();
  const rec = recorder(page);
  try {
    await page.goto(url);
    await openLatencyView(page, CONNECTION);
    await waitForSettled(page, 0);
    const cdp = profile ? await context.newCDPSession(page) : undefined;
    if (cdp) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
      await cdp.send('Profiler.start');
    }
    rec.reset();
    const cpu0 = cpuByGroup();
    const t0 = await selectRange(page, '24h');
    const settled = await waitForSettled(page, t0);
    const cpu = cpuDelta(cpu0, cpuByGroup());
    if (cdp)
      printProfile((await cdp.send('Profiler.stop')).profile, join(OUT, 'latency.cpuprofile'));
    const requests = (await rec.settled()).filter((e) => !e.failed);
    const longTasks = await page.evaluate(
      ([from, to]) =>
        window.__bench.longTasks.filter(([s, d]) => s + d >= from && s <= to).map(([, d]) => d),
      [t0, settled.paintedAt],
    );
    const panels = await page.evaluate(() =>
      [...document.querySelectorAll('[data-testid^="latency-panel-"]')].map((p) => [
        p.getAttribute('data-testid').slice('latency-panel-'.length),
        p.getAttribute('data-state'),
      ]),
    );
    // Where B goes, in the page's clock: change → first request sent, the requests' span, and
    // last response → mark (the last parse, prepare and render).
    const toPage = (epochMs) => epochMs - settled.timeOrigin;
    const firstSent = Math.min(...requests.map((e) => toPage(e.start)));
    const lastDone = Math.max(...requests.map((e) => toPage(e.end)));
    return {
      page,
      cpu,
      phases: {
        beforeMs: firstSent - t0,
        networkMs: lastDone - firstSent,
        afterMs: settled.markAt - lastDone,
      },
      ms: settled.markAt - t0,
      paintedMs: settled.paintedAt - t0,
      requests,
      // Send → response headers: the socket's busy time (bodies here are ≤ 0.1 MB on loopback).
      concurrency: maxOverlap(requests.map((e) => [e.start, e.headersAt])),
      bytes: requests.reduce((a, e) => a + (e.bytes ?? 0), 0),
      longTasks,
      panels,
    };
  } catch (e) {
    await page.close();
    throw e;
  }
}

/**
 * One (A): the (B) requests straight to Prometheus, discovery-like calls first. With `token`,
 * the same requests through the local server instead (A′: what the proxy adds, without the page).
 */
async function rawLoad(requests, promUrl, concurrency, token) {
  const urls = requests.map((e) => (token ? e.url : directUrl(e.url, promUrl)));
  const cpu0 = cpuByGroup();
  const isRange = (u) => u.includes('/api/v1/query_range?');
  const waves = [urls.filter((u) => !isRange(u)), urls.filter(isRange)].filter((w) => w.length);
  const r = await replay(waves, concurrency, token ? { authorization: `Bearer ${token}` } : {});
  return {
    ms: r.ms,
    cpu: cpuDelta(cpu0, cpuByGroup()),
    results: r.results,
    bytes: r.results.reduce((a, x) => a + x.bytes, 0),
    wireBytes: r.results.reduce((a, x) => a + x.wireBytes, 0),
  };
}

/** An unminified build of the console's sources, for readable profiles. */
async function buildUnminified() {
  const dir = join(OUT, 'renderer-unminified');
  // The React production build, as the console ships; plugin-react reads this when it loads.
  process.env.NODE_ENV = 'production';
  await build({
    configFile: join(REPO, 'renderer/vite.config.ts'),
    mode: 'production',
    logLevel: 'warn',
    build: { outDir: dir, emptyOutDir: true, minify: false },
  });
  return dir;
}

/** Serves the console's page and assets from the build in `dir`; the API still goes through. */
async function routeBuild(context, origin, dir) {
  const types = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' };
  // Only the page's own files are intercepted: a routed request takes a round trip through this
  // process, which the API calls being measured must not pay.
  const ours = (url) =>
    url.origin === origin &&
    !url.pathname.startsWith('/api/') &&
    !url.pathname.startsWith('/stream');
  await context.route(ours, async (route) => {
    const path = new URL(route.request().url()).pathname;
    const file = join(dir, path === '/' ? 'index.html' : path);
    if (!file.startsWith(dir) || !existsSync(file)) return route.fallback();
    const ext = file.slice(file.lastIndexOf('.'));
    return route.fulfill({
      body: readFileSync(file),
      contentType: types[ext] ?? 'application/octet-stream',
    });
  });
}

const queryOf = (url) => new URL(url).searchParams.get('query') ?? new URL(url).pathname;

// ---- The fleet scenario (--fleet) ----------------------------------------------------------

/**
 * In the page, every frame: each panel's state and whether it is on screen, and the Instance
 * selector's state, as transitions with their page time. The bench reads them after each action.
 */
function fleetWatcher() {
  const w = { log: [], last: new Map() };
  window.__fleet = w;
  const note = (key, value) => {
    if (w.last.get(key) === value) return;
    w.last.set(key, value);
    w.log.push([performance.now(), key, value]);
  };
  const frame = () => {
    for (const p of document.querySelectorAll('[data-testid^="latency-panel-"]')) {
      const id = p.getAttribute('data-testid').slice('latency-panel-'.length);
      const r = p.getBoundingClientRect();
      const visible = r.bottom > 0 && r.top < window.innerHeight && r.height > 0;
      note(`panel:${id}`, `${p.getAttribute('data-state')}${visible ? '' : ':offscreen'}`);
    }
    const select = document.querySelector('select[aria-label="Instance"]');
    if (select) {
      const picks = select.options.length - 1;
      const loading = document.querySelector('[data-testid="latency-instances-loading"]') !== null;
      note(
        'instances',
        select.disabled ? 'disabled' : picks > 0 ? (loading ? 'partial' : 'full') : 'empty',
      );
    }
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
}

/**
 * Times after `t0` from the watcher's log: first useful paint (a panel that went to "loading"
 * after t0 and then left it), the panels on screen at t0 all out of "loading", every panel out.
 */
async function fleetTimes(page, t0, { cached = false } = {}) {
  const log = await page.evaluate(() => window.__fleet.log);
  const panels = new Map();
  for (const [t, key, value] of log) {
    if (!key.startsWith('panel:')) continue;
    const id = key.slice(6);
    const [state, where] = value.split(':');
    const p = panels.get(id) ?? { visibleAtT0: undefined, loadedAt: undefined, loadingSeen: false };
    // On screen at t0, or (a panel drawn after t0, as on opening the view) when first drawn.
    if (t <= t0 || p.visibleAtT0 === undefined) p.visibleAtT0 = where !== 'offscreen';
    if (t <= t0) continue;
    if (state === 'loading') p.loadingSeen = true;
    else if ((p.loadingSeen || cached) && p.loadedAt === undefined) p.loadedAt = t - t0;
    panels.set(id, p);
  }
  const loaded = [...panels.values()].map((p) => p.loadedAt).filter((x) => x !== undefined);
  const visible = [...panels.values()].filter((p) => p.visibleAtT0);
  const visibleDone = visible.every((p) => p.loadedAt !== undefined);
  return {
    firstMs: loaded.length ? Math.min(...loaded) : undefined,
    visibleMs:
      visibleDone && visible.length ? Math.max(...visible.map((p) => p.loadedAt)) : undefined,
    visiblePanels: visible.length,
  };
}

/** When the Instance selector became usable and complete, after t0. */
async function selectorTimes(page, t0) {
  const log = await page.evaluate(() => window.__fleet.log);
  const at = (want) => log.find(([t, k, v]) => t > t0 && k === 'instances' && want.includes(v));
  const usable = at(['partial', 'full']);
  const full = at(['full']);
  return { usableMs: usable && usable[0] - t0, fullMs: full && full[0] - t0 };
}

const rangeRequests = (list) => list.filter((e) => e.url.includes('/prometheus/query'));

/** BENCH_DEBUG=1: each step of a fleet round on stderr, to see where a run waits. */
const step = (what) =>
  process.env.BENCH_DEBUG && console.error(`${new Date().toISOString()} ${what}`);

/** One round of the fleet scenario on a fresh page. */
async function fleetRound(context, url, prom, newBuild, loadingShot) {
  const page = await context.newPage();
  const rec = recorder(page);
  const out = {};
  try {
    await page.goto(url);
    await page
      .getByRole('navigation', { name: 'Connections' })
      .getByText(CONNECTION, { exact: true })
      .click();
    const tOpen = await page.evaluate(() => performance.now());
    await page.getByRole('tab', { name: 'Latency' }).click();
    step('opened the tab');
    const opened = await waitForSettled(page, tOpen, 300_000);
    step('open settled');
    out.open = {
      ...(await fleetTimes(page, tOpen)),
      allMs: opened.markAt - tOpen,
      ...(await selectorTimes(page, tOpen)),
    };
    // The selector's full list may come after the panels: wait for it (or 60 s).
    for (let i = 0; i < 600 && out.open.fullMs === undefined; i++) {
      await page.waitForTimeout(100);
      out.open = { ...out.open, ...(await selectorTimes(page, tOpen)) };
    }
    for (const span of ['6h', '3h']) {
      step(`range ${span}`);
      rec.reset();
      const t0 = await selectRange(page, span);
      // The view mid-load, as a reader sees it (last round only).
      if (loadingShot && span === '6h')
        await page.screenshot({ path: loadingShot, fullPage: true });
      const settled = await waitForSettled(page, t0, 300_000);
      const requests = rangeRequests(await rec.settled());
      out[span] = {
        ...(await fleetTimes(page, t0)),
        allMs: settled.markAt - t0,
        requests: requests.length,
        urls: requests.filter((e) => !e.failed).map((e) => e.url),
        concurrency: maxOverlap(requests.map((e) => [e.start, e.headersAt])),
      };
    }
    // Zoom into the middle of the 3 h window with a drag on the TTFT chart, then Back once "now"
    // has crossed into the next step of the 3 h window: a relative range re-read at now is then
    // a new window (new keys), as it is for a reader who looks at the zoom for a while.
    const stepS = Number(
      new URL(out['3h'].urls.find((u) => u.includes('query_range'))).searchParams.get('step'),
    );
    const chart = page.getByTestId('latency-panel-ttft').getByRole('img');
    const box = await chart.boundingBox();
    const y = box.y + box.height / 2;
    const tZoom = await page.evaluate(() => performance.now());
    await page.mouse.move(box.x + box.width * 0.4, y);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.55, y, { steps: 6 });
    await page.mouse.move(box.x + box.width * 0.7, y, { steps: 6 });
    await page.mouse.up();
    step('zoomed');
    await waitForSettled(page, tZoom, 300_000);
    const stepMs = stepS * 1000;
    await page.waitForTimeout(stepMs - (Date.now() % stepMs) + 1000);
    step('back');
    rec.reset();
    const tBack = await page.evaluate(() => performance.now());
    await page.getByRole('button', { name: '← Back' }).click();
    const back = await waitForSettled(page, tBack, 300_000);
    await page.waitForTimeout(300);
    out.back = {
      ...(await fleetTimes(page, tBack, { cached: true })),
      allMs: back.markAt - tBack,
      requests: rangeRequests(await rec.settled()).length,
    };
    const showAll = page.getByRole('button', { name: /^Show all/ });
    step('show all');
    if (newBuild && (await showAll.count()) > 0) {
      rec.reset();
      const t0 = await page.evaluate(() => performance.now());
      await showAll.click();
      const settled = await waitForSettled(page, t0, 300_000);
      const requests = rangeRequests(await rec.settled());
      out.showAll = {
        ...(await fleetTimes(page, t0)),
        allMs: settled.markAt - t0,
        requests: requests.length,
        urls: requests.filter((e) => !e.failed).map((e) => e.url),
        concurrency: maxOverlap(requests.map((e) => [e.start, e.headersAt])),
      };
    }
    step('raw');
    // What one range change costs Prometheus alone: the 6 h requests replayed raw.
    const raw = await replay([out['6h'].urls.map((u) => directUrl(u, prom.url))], 6);
    out.raw6h = {
      ms: raw.ms,
      perQuery: raw.results.filter((r) => r.url.includes('query_range')).map((r) => r.ms),
    };
    if (out.showAll) {
      const rawAll = await replay([out.showAll.urls.map((u) => directUrl(u, prom.url))], 6);
      out.rawAll = { ms: rawAll.ms, perQuery: rawAll.results.map((r) => r.ms) };
    }
    return { page, out };
  } catch (e) {
    await page.screenshot({ path: join(OUT, 'fleet-failed.png') }).catch(() => undefined);
    await page.close();
    throw e;
  }
}

async function fleetScenario(o, h, backfillS, context, served, prom, chromiumVersion) {
  const rounds = [];
  for (let i = 0; i < o.rounds; i++) {
    const loadingShot =
      i === o.rounds - 1 ? o.screenshot.replace(/\.png$/, '') + '-loading.png' : undefined;
    const { page, out } = await fleetRound(context, served.url, prom, !o.renderer, loadingShot);
    if (i === o.rounds - 1) await page.screenshot({ path: o.screenshot, fullPage: true });
    await page.close();
    rounds.push(out);
    const f = (x) => (x === undefined ? '—' : Math.round(x));
    console.log(
      `round ${i + 1}: open first ${f(out.open.firstMs)} / all ${f(out.open.allMs)} ms, selector usable ${f(out.open.usableMs)} / full ${f(out.open.fullMs)} ms; 6h first ${f(out['6h'].firstMs)} / visible ${f(out['6h'].visibleMs)} / all ${f(out['6h'].allMs)} ms (${out['6h'].requests} requests); 3h all ${f(out['3h'].allMs)}; back ${f(out.back.allMs)} ms (${out.back.requests} requests)${out.showAll ? `; show all first ${f(out.showAll.firstMs)} / all ${f(out.showAll.allMs)} ms (${out.showAll.requests} requests)` : ''}; raw 6h ${f(out.raw6h.ms)} ms`,
    );
  }
  const stat = (get) => {
    const xs = rounds.map(get).filter((x) => x !== undefined);
    return xs.length ? `${Math.round(median(xs))} / ${Math.round(quantile(xs, 0.9))}` : '—';
  };
  console.log(
    `\nLatency view, fleet scenario: ${o.engines} vLLM engine instances (each its own target), ${o.hours} h at a ${o.scrapeIntervalS} s scrape interval, ${o.rounds} rounds, page ${o.renderer ?? 'dist/renderer'}, Chromium ${chromiumVersion}, Node ${process.version}, ${availableParallelism()} cores, load average ${loadavg()[0].toFixed(2)}, backfill ${h.reused ? 'reused' : `${Math.round(backfillS)} s`}\n`,
  );
  console.log('| measure (ms from the action) | median / p90 |\n|---|---:|');
  const rows = [
    ['open (1 h): first useful paint', (r) => r.open.firstMs],
    ['open: visible panels painted', (r) => r.open.visibleMs],
    ['open: all panels', (r) => r.open.allMs],
    ['open: Instance selector usable', (r) => r.open.usableMs],
    ['open: Instance list complete', (r) => r.open.fullMs],
    ['range → 6 h: first useful paint', (r) => r['6h'].firstMs],
    ['range → 6 h: visible panels painted', (r) => r['6h'].visibleMs],
    ['range → 6 h: all panels', (r) => r['6h'].allMs],
    ['range → 3 h: first useful paint', (r) => r['3h'].firstMs],
    ['range → 3 h: all panels', (r) => r['3h'].allMs],
    ['Back (after a zoom): all panels', (r) => r.back.allMs],
    ['"Show all": first useful paint', (r) => r.showAll?.firstMs],
    ['"Show all": all panels', (r) => r.showAll?.allMs],
    ['raw: the 6 h requests straight to Prometheus, 6 in flight', (r) => r.raw6h.ms],
    ['raw: one 6 h range query (median of the load)', (r) => median(r.raw6h.perQuery)],
    ['raw: the "Show all" requests, 6 in flight', (r) => r.rawAll?.ms],
  ];
  for (const [name, get] of rows) console.log(`| ${name} | ${stat(get)} |`);
  const last = rounds.at(-1);
  console.log(
    `\nrequests: 6 h ${last['6h'].requests} (${last['6h'].concurrency} in flight at most), Back ${last.back.requests}${last.showAll ? `, Show all ${last.showAll.requests} (${last.showAll.concurrency} in flight)` : ''}; panels on screen at 1400 × 900: ${last['6h'].visiblePanels}`,
  );
  console.log(
    JSON.stringify({
      bench: 'latency-fleet',
      engines: o.engines,
      hours: o.hours,
      rounds: rounds.map((r) => ({
        open: r.open,
        '6h': { ...r['6h'], urls: undefined },
        '3h': { ...r['3h'], urls: undefined },
        back: r.back,
        showAll: r.showAll ? { ...r.showAll, urls: undefined } : undefined,
        raw6hMs: Math.round(r.raw6h.ms),
        rawAllMs: r.rawAll ? Math.round(r.rawAll.ms) : undefined,
      })),
      loadAverage1m: +loadavg()[0].toFixed(2),
    }),
  );
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  mkdirSync(OUT, { recursive: true });
  const t0 = performance.now();
  const h = await history(o);
  const backfillS = (performance.now() - t0) / 1000;
  console.log(
    h.reused
      ? `history: reused ${h.dataDir}`
      : `history: ${h.engines} engines, ${h.samples} samples, ${(h.bytes / 1e9).toFixed(2)} GB of OpenMetrics, ${h.blocks} promtool runs in ${backfillS.toFixed(0)} s (simulation ${(h.generateMs / 1000).toFixed(0)} s of it, Node CPU ${(h.nodeCpuMs / 1000).toFixed(0)} s)`,
  );

  if (o.pin) {
    // After the backfill (which uses both cores): children started from here inherit CPU 1.
    const pinned = spawnSync('taskset', ['-a', '-p', '-c', '1', String(process.pid)]);
    if (pinned.status !== 0) fail(`taskset: ${pinned.stderr}`);
  }
  const prom = await startPrometheus({
    dataDir: h.dataDir,
    scrapeIntervalS: o.scrapeIntervalS,
    ...(o.pin ? { cpu: 0 } : {}),
  });
  cleanups.push(() => prom.stop());
  const { module: osprey } = await ts('e2e/support/osprey.ts');
  const [served, browser, compacted] = await Promise.all([
    osprey.serveConsole(),
    chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--disable-background-timer-throttling', '--disable-renderer-backgrounding'],
    }),
    waitForCompaction(prom),
  ]);
  cleanups.push(() => served.stop());
  cleanups.push(() => browser.close());
  console.log(
    `prometheus: ${prom.url}, ${compacted.blocks} blocks after ${compacted.compactions} compactions`,
  );
  await addConnection(served, prom.url);
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  if (o.renderer) await routeBuild(context, served.origin, resolve(o.renderer));
  await context.addInitScript(() => {
    window.__bench = { longTasks: [] };
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__bench.longTasks.push([e.startTime, e.duration]);
    }).observe({ type: 'longtask', buffered: true });
  });
  if (o.fleet) {
    await context.addInitScript(fleetWatcher);
    await fleetScenario(o, h, backfillS, context, served, prom, await browser.version());
    return;
  }

  // Warm-up: one (B) and one (A), not counted (page cache, JIT, keep-alive sockets).
  let last = await viewLoad(context, served.url, false);
  await last.page.close();
  await rawLoad(last.requests, prom.url, last.concurrency);
  await rawLoad(last.requests, prom.url, last.concurrency, served.token);
  const rounds = [];
  for (let i = 0; i < o.rounds; i++) {
    const a = await rawLoad(last.requests, prom.url, last.concurrency);
    const proxied = await rawLoad(last.requests, prom.url, last.concurrency, served.token);
    const b = await viewLoad(context, served.url, false);
    if (i === o.rounds - 1) await b.page.screenshot({ path: o.screenshot, fullPage: true });
    await b.page.close();
    rounds.push({ a, proxied, b });
    last = b;
    console.log(
      `round ${i + 1}: raw ${Math.round(a.ms)} ms, via local server ${Math.round(proxied.ms)} ms, view ${Math.round(b.ms)} ms (painted ${Math.round(b.paintedMs)}), ratio ${(b.ms / a.ms).toFixed(2)}, ${b.requests.length} requests, ${b.concurrency} in flight, ${b.longTasks.length} long tasks`,
    );
  }
  if (o.profile) {
    if (!o.renderer) await routeBuild(context, served.origin, await buildUnminified());
    await (await viewLoad(context, served.url, true)).page.close();
  }
  report(o, h, backfillS, rounds, await browser.version());
}

function report(o, h, backfillS, rounds, chromiumVersion) {
  const stat = (xs) => ({ median: Math.round(median(xs)), p90: Math.round(quantile(xs, 0.9)) });
  const A = stat(rounds.map((r) => r.a.ms));
  const P = stat(rounds.map((r) => r.proxied.ms));
  const phase = (k) => stat(rounds.map((r) => r.b.phases[k]));
  const B = stat(rounds.map((r) => r.b.ms));
  const painted = stat(rounds.map((r) => r.b.paintedMs));
  const ratios = rounds.map((r) => r.b.ms / r.a.ms);
  const ratio = { median: +median(ratios).toFixed(2), p90: +quantile(ratios, 0.9).toFixed(2) };
  // Per query: median over rounds of its own time through the console and straight.
  const perQuery = new Map();
  for (const { a, b } of rounds) {
    for (const e of b.requests) {
      const q = perQuery.get(queryOf(e.url)) ?? { view: [], raw: [], bytes: e.bytes };
      q.view.push(e.ms);
      perQuery.set(queryOf(e.url), q);
    }
    for (const x of a.results) perQuery.get(queryOf(x.url))?.raw.push(x.ms);
  }
  const top = [...perQuery]
    .map(([q, v]) => ({
      q,
      view: median(v.view),
      raw: v.raw.length ? median(v.raw) : NaN,
      bytes: v.bytes,
    }))
    .sort((x, y) => y.view - x.view)
    .slice(0, 5);
  const lastRound = rounds.at(-1);
  const longTasks = rounds.flatMap((r) => r.b.longTasks);
  const cpus = availableParallelism();
  console.log(
    `\nLatency view load: ${o.hours} h × ${o.engines} vLLM engines at a ${o.scrapeIntervalS} s scrape interval, ${o.rounds} rounds, Chromium ${chromiumVersion}, Node ${process.version}, ${cpus} cores, load average ${loadavg()[0].toFixed(2)}\n`,
  );
  console.log('| measure | median | p90 |\n|---|---:|---:|');
  console.log(`| (A) raw queries, ms | ${A.median} | ${A.p90} |`);
  console.log(`| (A′) the same through the local server, from Node, ms | ${P.median} | ${P.p90} |`);
  console.log(`| (B) view: range change → settled mark, ms | ${B.median} | ${B.p90} |`);
  for (const [k, text] of [
    ['beforeMs', 'change → first request sent'],
    ['networkMs', 'first request sent → last response'],
    ['afterMs', 'last response → settled mark'],
  ])
    console.log(`| … of which ${text}, ms | ${phase(k).median} | ${phase(k).p90} |`);
  console.log(`| (B) → next painted frame, ms | ${painted.median} | ${painted.p90} |`);
  console.log(`| ratio B / A (target ≤ ${TARGET_RATIO}) | ${ratio.median} | ${ratio.p90} |`);
  console.log(
    `\nrequests per load: ${lastRound.b.requests.length} (${lastRound.b.concurrency} in flight at most); bytes per load: ${(lastRound.b.bytes / 1e6).toFixed(2)} MB page ← local server, ${(lastRound.a.wireBytes / 1e6).toFixed(2)} MB gzip / ${(lastRound.a.bytes / 1e6).toFixed(2)} MB JSON Prometheus → client`,
  );
  console.log(
    `long tasks during (B), all rounds: ${longTasks.length}, p95 ${Math.round(quantile(longTasks, 0.95)) || 0} ms, max ${Math.round(Math.max(0, ...longTasks))} ms, total ${Math.round(longTasks.reduce((x, y) => x + y, 0) / rounds.length)} ms per load`,
  );
  console.log(
    '\n| slowest queries (median ms) | via console | raw | response bytes |\n|---|---:|---:|---:|',
  );
  for (const t of top) {
    const text = t.q.length > 90 ? `${t.q.slice(0, 87)}…` : t.q;
    console.log(
      `| \`${text.replace(/\|/g, '\\|')}\` | ${Math.round(t.view)} | ${Math.round(t.raw)} | ${t.bytes ?? '—'} |`,
    );
  }
  const groups = [...new Set(rounds.flatMap((r) => Object.keys(r.b.cpu)))].sort();
  const cpuMs = (side, g) => Math.round(median(rounds.map((r) => r[side].cpu[g] ?? 0)));
  console.log(
    '\n| CPU ms per load (median) | (A) raw | (A′) via local server | (B) view |\n|---|---:|---:|---:|',
  );
  for (const g of groups)
    console.log(`| ${g} | ${cpuMs('a', g)} | ${cpuMs('proxied', g)} | ${cpuMs('b', g)} |`);
  const states = lastRound.b.panels.map(([id, s]) => `${id}:${s}`).join(' ');
  console.log(`\npanels (last round): ${states}`);
  console.log(
    JSON.stringify({
      bench: 'latency',
      hours: o.hours,
      engines: o.engines,
      scrapeIntervalS: o.scrapeIntervalS,
      rounds: o.rounds,
      backfill: h.reused
        ? 'reused'
        : { seconds: Math.round(backfillS), samples: h.samples, bytes: h.bytes },
      rawMs: A,
      proxiedMs: P,
      viewMs: B,
      phasesMs: { before: phase('beforeMs'), network: phase('networkMs'), after: phase('afterMs') },
      paintedMs: painted,
      ratio,
      requests: lastRound.b.requests.length,
      concurrency: lastRound.b.concurrency,
      longTasks: longTasks.length,
      loadAverage1m: +loadavg()[0].toFixed(2),
    }),
  );
}

main()
  .catch((error) => {
    console.error(`bench:latency: ${error.stack ?? error}`);
    process.exitCode = 1;
  })
  .finally(() => cleanup());
