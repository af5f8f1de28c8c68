#!/usr/bin/env node
// `npm run bench:flame`: a 1M-sample folded profile built from REAL stacks (flameData.mjs: frames
// and stack shapes of the perf and py-spy captures in collector/core/profile/fixtures, recombined
// to ~200k unique stacks, depth up to 120, seed 13), opened in the console's Profiles view
// (ProfileSetView in a harness page, flamePage/, fed as "Open profile…" feeds it: the bytes →
// importProfile) and by speedscope's own built app (the `speedscope` npm package, dist/release,
// `#profileURL=`) in the same Chromium from the same local server, in alternating rounds.
//
// Measured, each from the profile's fetch to the first frame painted with the flame graph:
//   Osprey      fetch → importProfile → ProfileSetView (buildCallTree, limitNodes 20k, top
//               functions, d3-flame-graph SVG) → the frame after its rects exist;
//   speedscope  fetch (its own, from the hash) → its importer → document.title set (it does so
//               right after import) → the frame after.
// Then on Osprey's view: zoom (click a frame), search (type a query), hover (tooltip), each timed
// from the input to the next painted frame (p50/p95 over --interactions each), zoom also to the
// end of its transition; the JS heap after a forced GC, before opening and with the view open,
// for both apps.
//
// Options: --rounds N (3)  --interactions N (20)  --samples N (1000000)  --stacks N (200000)
//          --depth N (120)  --seed N (13)  --no-peer (skip speedscope)
/* global window, document, requestAnimationFrame */
import { once } from 'node:events';
import { createReadStream, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { availableParallelism, loadavg } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';

import { chromium } from '@playwright/test';
import react from '@vitejs/plugin-react';
import { build } from 'vite';

import { generateFolded } from './flameData.mjs';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const OUT = join(REPO, 'test-results/bench-flame');
const SPEEDSCOPE = join(REPO, 'node_modules/speedscope/dist/release');

function parseArgs(argv) {
  const o = {
    rounds: 3,
    interactions: 20,
    samples: 1_000_000,
    stacks: 200_000,
    depth: 120,
    seed: 13,
    peer: true,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--no-peer') {
      o.peer = false;
      continue;
    }
    const key = a.replace(/^--/, '');
    const n = Number(argv[++i]);
    if (!(key in o) || typeof o[key] !== 'number' || !Number.isInteger(n) || n < 0) {
      throw new Error(`bench:flame: bad option ${a} ${argv[i] ?? ''}`);
    }
    o[key] = n;
  }
  return o;
}

const cleanups = [];
async function cleanup() {
  while (cleanups.length > 0) {
    try {
      await cleanups.pop()();
    } catch {
      // Best effort: the next cleanup still runs.
    }
  }
}

const TYPES = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.txt': 'text/plain',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
};

/** One static server for the harness page, the speedscope app and the profile. */
async function serve(mounts) {
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname));
    const mount = Object.keys(mounts).find((m) => path.startsWith(m));
    const dir = mount && mounts[mount];
    const rest = mount ? path.slice(mount.length) : '';
    const file = dir ? join(dir, rest === '' ? 'index.html' : rest) : '';
    if (!dir || !file.startsWith(dir) || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'cache-control': 'no-store',
    });
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
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
}
const median = (v) => quantile(v, 0.5);

async function heapMB(page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  // usedSize is the V8 heap; backingStorageSize the ArrayBuffers (the call tree's typed arrays).
  const { usedSize, backingStorageSize } = await cdp.send('Runtime.getHeapUsage');
  await cdp.detach();
  return (usedSize + (backingStorageSize ?? 0)) / 2 ** 20;
}

async function osprey(browser, origin, url, o, first) {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${origin}/page/index.html`);
  await page.waitForFunction(() => window.flame !== undefined);
  const heapBefore = await heapMB(page);
  const open = await page.evaluate((u) => window.flame.open(u), url);
  const heapOpen = await heapMB(page);
  const r = { open, heapBefore, heapOpen, zoom: [], zoomSettled: [], search: [], hover: [] };
  if (first) {
    r.core = await page.evaluate(() => window.flame.core());
    const queries = ['tokenize', '/^_?Py.*Eval/', 'do_syscall', 'JS:', 'malloc', ''];
    for (let i = 0; i < o.interactions; i++) {
      const z = await page.evaluate((k) => window.flame.zoom(k), i);
      r.zoom.push(z.paintMs);
      r.zoomSettled.push(z.settledMs);
      await page.evaluate(() => window.flame.unzoom());
    }
    for (let i = 0; i < o.interactions; i++) {
      const s = await page.evaluate((q) => window.flame.search(q), queries[i % queries.length]);
      r.search.push(s.paintMs);
      if (i === 0) r.searchResult = s.result;
    }
    for (let i = 0; i < o.interactions; i++) {
      const h = await page.evaluate((k) => window.flame.hover(k), i);
      r.hover.push(h.paintMs);
      if (i === 0) r.tip = h.tip;
    }
  }
  r.errors = errors;
  await context.close();
  return r;
}

async function speedscope(browser, origin, url) {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('dialog', (d) => {
    errors.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
  // speedscope sets document.title to "<name> - speedscope" right after its import; the frame
  // after the one that title change lands in is its first paint of the profile.
  await page.addInitScript(() => {
    const w = window;
    w.__ss = {};
    const poll = () => {
      if (document.title.endsWith(' - speedscope') && w.__ss.titled === undefined) {
        w.__ss.titled = performance.now();
        requestAnimationFrame(() =>
          requestAnimationFrame(() => {
            w.__ss.painted = performance.now();
          }),
        );
        return;
      }
      requestAnimationFrame(poll);
    };
    requestAnimationFrame(poll);
  });
  await page.goto(`${origin}/speedscope/index.html#profileURL=${encodeURIComponent(url)}`);
  await page.waitForFunction(() => window.__ss.painted !== undefined, undefined, {
    timeout: 600_000,
    polling: 500,
  });
  const t = await page.evaluate((u) => {
    const entry = performance.getEntriesByName(u)[0];
    return {
      fetchStart: entry?.startTime ?? NaN,
      responseEnd: entry?.responseEnd ?? NaN,
      titled: window.__ss.titled,
      painted: window.__ss.painted,
      title: document.title,
    };
  }, url);
  const heapOpen = await heapMB(page);
  await context.close();
  return {
    totalMs: t.painted - t.fetchStart,
    fetchMs: t.responseEnd - t.fetchStart,
    importAndDrawMs: t.painted - t.responseEnd,
    title: t.title,
    heapOpen,
    errors,
  };
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  mkdirSync(join(OUT, 'data'), { recursive: true });
  const tg = performance.now();
  const data = generateFolded({
    fixturesDir: join(REPO, 'collector/core/profile/fixtures'),
    samples: o.samples,
    uniqueStacks: o.stacks,
    maxDepth: o.depth,
    seed: o.seed,
  });
  const fileName = `bench-${o.samples}-${o.stacks}-${o.seed}.folded.txt`;
  writeFileSync(join(OUT, 'data', fileName), data.text);
  const generateS = (performance.now() - tg) / 1000;

  await build({
    configFile: false,
    mode: 'production',
    root: join(REPO, 'e2e/bench/flamePage'),
    base: './',
    logLevel: 'warn',
    plugins: [react()],
    build: {
      outDir: join(OUT, 'page'),
      emptyOutDir: true,
      target: 'es2022',
      chunkSizeWarningLimit: 4000,
    },
  });
  const origin = await serve({
    '/page/': join(OUT, 'page'),
    '/data/': join(OUT, 'data'),
    '/speedscope/': SPEEDSCOPE,
  });
  const url = `${origin}/data/${fileName}`;
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--disable-background-timer-throttling', '--disable-renderer-backgrounding'],
  });
  cleanups.push(() => browser.close());

  const ours = [];
  const peer = [];
  for (let round = 0; round < o.rounds; round++) {
    ours.push(await osprey(browser, origin, url, o, round === 0));
    if (o.peer) peer.push(await speedscope(browser, origin, url));
    const last = ours.at(-1);
    console.error(
      `round ${round + 1}: Osprey ${last.open.totalMs.toFixed(0)} ms` +
        (o.peer ? `, speedscope ${peer.at(-1).totalMs.toFixed(0)} ms` : ''),
    );
  }
  const first = ours[0];
  const f = (n, d = 0) =>
    Number.isFinite(n) ? n.toLocaleString('en-US', { maximumFractionDigits: d }) : 'n/a';
  const oursTotal = median(ours.map((r) => r.open.totalMs));
  const peerTotal = median(peer.map((r) => r.totalMs));
  const mb = data.text.length / 1e6;
  console.log(
    `\nbench:flame — ${f(data.stats.samples)} samples, ${f(data.stats.uniqueStacks)} unique stacks ` +
      `(deepest ${data.stats.deepest}), ${f(mb, 1)} MB folded, from ${data.stats.realStacks} real ` +
      `stacks / ${data.stats.realFrames} real frames (${data.stats.sources.length} captures); ` +
      `${o.rounds} rounds; Chromium ${browser.version()}, Node ${process.version}, ` +
      `${availableParallelism()} cores, load ${loadavg()[0].toFixed(2)}; generated in ${f(generateS, 1)} s\n`,
  );
  const rows = [
    [
      'Osprey: fetch → first paint (median)',
      `${f(oursTotal)} ms (fetch ${f(median(ours.map((r) => r.open.fetchMs)))}, import ${f(median(ours.map((r) => r.open.importMs)))}, view drawn ${f(median(ours.map((r) => r.open.drawMs)))})`,
    ],
    [
      'Osprey: import + draw (no fetch; goal ≤ 1 s)',
      `${f(median(ours.map((r) => r.open.importAndDrawMs)))} ms`,
    ],
    [
      'core alone (round 1)',
      `importProfile ${f(first.core.importMs)} ms, buildCallTree ${f(first.core.buildCallTreeMs)} ms (${f(first.core.nodes)} nodes), limitNodes ${f(first.core.limitNodesMs)} ms (→ ${f(first.core.drawnNodes)})`,
    ],
    [
      'view shows',
      `${first.open.total}; ${first.open.budget}; ${f(first.open.drawnFrames)} SVG frames`,
    ],
    [
      `zoom, input → painted (${o.interactions})`,
      `p50 ${f(median(first.zoom))} ms, p95 ${f(quantile(first.zoom, 0.95))} ms; transition ended p95 ${f(quantile(first.zoomSettled, 0.95))} ms`,
    ],
    [
      `search (${o.interactions})`,
      `p50 ${f(median(first.search))} ms, p95 ${f(quantile(first.search, 0.95))} ms ("tokenize": ${first.searchResult})`,
    ],
    [
      `hover (${o.interactions})`,
      `p50 ${f(median(first.hover))} ms, p95 ${f(quantile(first.hover, 0.95))} ms`,
    ],
    [
      'Osprey JS heap + array buffers (after GC)',
      `${f(median(ours.map((r) => r.heapBefore)), 1)} MB empty → ${f(median(ours.map((r) => r.heapOpen)), 1)} MB with the view open`,
    ],
  ];
  if (o.peer) {
    rows.push(
      [
        'speedscope 1.25: fetch → first paint (median)',
        `${f(peerTotal)} ms (fetch ${f(median(peer.map((r) => r.fetchMs)))}, import + draw ${f(median(peer.map((r) => r.importAndDrawMs)))})`,
      ],
      [
        'speedscope JS heap + array buffers (after GC)',
        `${f(median(peer.map((r) => r.heapOpen)), 1)} MB open`,
      ],
      ['ratio Osprey / speedscope (goal ≤ 1.0)', `${(oursTotal / peerTotal).toFixed(2)}×`],
    );
  }
  console.log('| measure | result |\n|---|---|');
  for (const [k, v] of rows) console.log(`| ${k} | ${v} |`);
  const errors = [...ours.flatMap((r) => r.errors), ...peer.flatMap((r) => r.errors)];
  if (errors.length > 0) console.log(`\npage errors: ${[...new Set(errors)].join('; ')}`);
  console.log(
    JSON.stringify({
      bench: 'flame',
      options: o,
      data: data.stats,
      ours: ours.map((r) => ({ open: r.open, heapOpen: r.heapOpen })),
      core: first.core,
      interactions: {
        zoom: first.zoom,
        zoomSettled: first.zoomSettled,
        search: first.search,
        hover: first.hover,
      },
      peer,
      ratio: oursTotal / peerTotal,
    }),
  );
}

try {
  await main();
} finally {
  await cleanup();
}
