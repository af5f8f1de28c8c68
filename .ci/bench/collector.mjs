#!/usr/bin/env node
// `npm run bench:collector`: the collector's overhead next to node_exporter's, in one run on one
// machine (DESIGN.md, Performance: these machines are shared and noisy, so ratios are measured
// side by side). Starts `osprey serve --no-ui` and Debian's prometheus-node-exporter, scrapes each
// /metrics once a second, and after a 5 s warm-up measures over the window (default 60 s):
//   CPU  Δ(utime+stime+cutime+cstime) over the process tree, from /proc/<pid>/stat, in clock
//        ticks (getconf CLK_TCK). cutime/cstime hold the children already reaped (nvidia-smi
//        runs that came and went between samples), so nothing is lost or counted twice.
//   RSS  sum of VmRSS (/proc/<pid>/status) over the tree, sampled once a second: mean and max.
// Prints a markdown table, then one JSON line. Budget: ≤ 1 % of one core, ≤ 80 MB RSS.
//
// Options: --seconds N (window, default 60)  --warmup N (default 5)  --interval MS (default 1000)
//   --command 'CMD {port}'  run CMD through /bin/sh instead of osprey (a stand-in, for testing
//                           this script); {port} is replaced by the port it must serve on
//   --node-exporter PATH    (default /usr/bin/prometheus-node-exporter)  --no-node-exporter
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const OSPREY = fileURLToPath(new URL('../../collector/bin/osprey.js', import.meta.url));
const BUDGET = { cpuPercent: 1, rssMB: 80 };
const START_TIMEOUT_MS = 30_000;
const SCRAPE_TIMEOUT_MS = 2_000;

function fail(message) {
  console.error(`bench:collector: ${message}`);
  stopAll();
  process.exit(1);
}

function parseArgs(argv) {
  const opts = {
    seconds: 60,
    warmup: 5,
    interval: 1000,
    command: undefined,
    nodeExporter: '/usr/bin/prometheus-node-exporter',
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) fail(`${arg} needs a value`);
      return argv[++i];
    };
    const number = (min) => {
      const raw = value();
      const n = Number(raw);
      if (!Number.isFinite(n) || n < min) fail(`${arg} ${raw}: expected a number ≥ ${min}`);
      return n;
    };
    if (arg === '--seconds') opts.seconds = number(1);
    else if (arg === '--warmup') opts.warmup = number(0);
    else if (arg === '--interval') opts.interval = number(100);
    else if (arg === '--command') opts.command = value();
    else if (arg === '--node-exporter') opts.nodeExporter = value();
    else if (arg === '--no-node-exporter') opts.nodeExporter = undefined;
    else if (arg === '--help' || arg === '-h') {
      const header = readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n');
      console.log(
        header
          .filter((l) => l.startsWith('//'))
          .map((l) => l.slice(3))
          .join('\n'),
      );
      process.exit(0);
    } else fail(`unknown option ${arg} (see --help)`);
  }
  return opts;
}

// ---- /proc readers -------------------------------------------------------------------------

function clockTicks() {
  try {
    const n = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    if (Number.isInteger(n) && n > 0) return n;
  } catch {
    // Reported below, with the value used instead.
  }
  console.error('bench:collector: `getconf CLK_TCK` failed; assuming 100 ticks/s (Linux USER_HZ)');
  return 100;
}

function readOr(path, fallback) {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return fallback; // The process ended between listing and reading.
  }
}

/** utime+stime+cutime+cstime in ticks (proc(5) fields 14–17), or undefined if gone. */
function cpuTicks(pid) {
  const stat = readOr(`/proc/${pid}/stat`, undefined);
  if (stat === undefined) return undefined;
  // comm (field 2) may hold spaces and parentheses: fields resume after the last ')'.
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]);
}

function rssKiB(pid) {
  const m = /^VmRSS:\s+(\d+) kB/m.exec(readOr(`/proc/${pid}/status`, ''));
  return m ? Number(m[1]) : 0;
}

/** Direct children of every thread of pid; falls back to scanning /proc for the parent pid. */
function childrenOf(pid) {
  const kids = new Set();
  let tasks;
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return [];
  }
  if (!existsSync(`/proc/${pid}/task/${tasks[0]}/children`)) return childrenByScan(pid);
  for (const tid of tasks) {
    for (const c of readOr(`/proc/${pid}/task/${tid}/children`, '').split(' '))
      if (c) kids.add(Number(c));
  }
  return [...kids];
}

/** Kernels without CONFIG_PROC_CHILDREN: field 4 of every /proc/<n>/stat is the parent pid. */
function childrenByScan(pid) {
  const kids = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = readOr(`/proc/${name}/stat`, '');
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (ppid === pid) kids.push(Number(name));
  }
  return kids;
}

function processTree(root) {
  const all = [root];
  for (let i = 0; i < all.length; i++) all.push(...childrenOf(all[i]));
  return all;
}

/** One reading of a process tree: CPU ticks so far, resident memory now. */
function sampleTree(root) {
  let ticks = 0;
  let rss = 0;
  let alive = false;
  for (const pid of processTree(root)) {
    const t = cpuTicks(pid);
    if (t === undefined) continue;
    if (pid === root) alive = true;
    ticks += t;
    rss += rssKiB(pid);
  }
  return { at: performance.now(), ticks, rssKiB: rss, alive };
}

// ---- processes --------------------------------------------------------------------------------

const started = [];

async function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** Starts a target in its own process group, so stopping it takes any helpers it spawned. */
function launch(name, cmd, args) {
  const child = spawn(cmd, args, { cwd: REPO, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const target = { name, child, output: [], exited: undefined };
  const keep = (d) => {
    target.output.push(String(d));
    if (target.output.length > 200) target.output.shift();
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  child.on('error', (error) => (target.exited = `failed to start: ${error.message}`));
  child.on('exit', (code, signal) => (target.exited ??= `exited with ${signal ?? `code ${code}`}`));
  started.push(target);
  return target;
}

function signal(target, sig) {
  if (target.exited || target.child.pid === undefined) return;
  try {
    process.kill(-target.child.pid, sig);
  } catch {
    // Already gone.
  }
}

const signalAll = (sig) => started.forEach((t) => signal(t, sig));
const stopAll = () => signalAll('SIGTERM');

/** SIGTERM to every target's process group; SIGKILL to what is left after 5 s. */
async function stopAndWait() {
  stopAll();
  const deadline = performance.now() + 5_000;
  while (started.some((t) => !t.exited) && performance.now() < deadline) await sleep(50);
  signalAll('SIGKILL');
}

/** One GET of /metrics, body read in full as a scraper would: ok, or why not. */
async function scrape(url) {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(SCRAPE_TIMEOUT_MS) });
    const body = await res.text();
    if (!res.ok) return { ok: false, why: `HTTP ${res.status}` };
    return body.length > 0 ? { ok: true } : { ok: false, why: 'empty body' };
  } catch (error) {
    return { ok: false, why: error.cause?.code ?? error.name ?? String(error) };
  }
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Resolves when url answers 200, rejects with the reason (exit, timeout) otherwise. */
async function waitReady(target, url) {
  const deadline = performance.now() + START_TIMEOUT_MS;
  let last = 'no answer yet';
  while (performance.now() < deadline) {
    if (target.exited) throw new Error(`${target.exited} before ${url} answered`);
    const r = await scrape(url);
    if (r.ok) return;
    last = r.why;
    await sleep(250);
  }
  throw new Error(`${url} did not answer within ${START_TIMEOUT_MS / 1000} s (last: ${last})`);
}

function tail(target) {
  const text = target.output.join('').trim().split('\n').slice(-15).join('\n');
  return text ? `\n--- last output of ${target.name} ---\n${text}` : ' (it printed nothing)';
}

// ---- measurement ------------------------------------------------------------------------------

/**
 * Warm-up, then `seconds` rounds of (sample every tree, scrape every target), then one closing
 * sample: seconds + 1 readings bound the window, and each target is scraped once per interval.
 */
async function measure(targets, opts) {
  const pending = [];
  const tick = (counting, scraping) => {
    for (const t of targets) {
      if (t.exited) continue;
      const s = sampleTree(t.child.pid);
      if (counting && s.alive) t.samples.push(s);
      if (!scraping) continue;
      pending.push(
        scrape(t.url).then((r) => {
          if (counting && r.ok) t.ok++;
          else if (counting) t.failed++;
        }),
      );
    }
  };
  const run = async (seconds, counting) => {
    const t0 = performance.now();
    for (let i = 0; i < Math.round((seconds * 1000) / opts.interval); i++) {
      tick(counting, true);
      await sleep(Math.max(0, t0 + (i + 1) * opts.interval - performance.now()));
    }
  };
  if (opts.warmup > 0) await run(opts.warmup, false);
  await run(opts.seconds, true);
  tick(true, false);
  await Promise.all(pending);
}

function summarize(t, hz) {
  const s = t.samples;
  const first = s[0];
  const last = s.at(-1);
  const wall = last && first ? (last.at - first.at) / 1000 : 0;
  const cpu = wall > 0 ? ((last.ticks - first.ticks) / hz / wall) * 100 : null;
  const rss = s.map((x) => x.rssKiB / 1024);
  return {
    process: t.name,
    cpuPercent: cpu === null ? null : round(cpu, 3),
    rssMeanMiB: rss.length ? round(rss.reduce((a, b) => a + b, 0) / rss.length, 1) : null,
    rssMaxMiB: rss.length ? round(Math.max(...rss), 1) : null,
    scrapesOk: t.ok,
    scrapesFailed: t.failed,
    seconds: round(wall, 1),
    ...(t.exited ? { exited: t.exited } : {}),
  };
}

const round = (x, digits) => Math.round(x * 10 ** digits) / 10 ** digits;
const show = (x, digits) => (x === null ? 'n/a' : x.toFixed(digits));

function table(rows) {
  const lines = [
    '| process | CPU % of one core (mean) | RSS mean (MiB) | RSS max (MiB) | scrapes ok / failed |',
    '|---|---:|---:|---:|---:|',
  ];
  for (const r of rows) {
    lines.push(
      `| ${r.process} | ${show(r.cpuPercent, 2)} | ${show(r.rssMeanMiB, 1)} | ${show(r.rssMaxMiB, 1)} | ${r.scrapesOk} / ${r.scrapesFailed} |`,
    );
  }
  return lines.join('\n');
}

// ---- main ---------------------------------------------------------------------------------------

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (!existsSync('/proc/self/stat')) fail('needs Linux /proc to measure processes');
  const hz = clockTicks();
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => fail(`stopped by ${sig}`));
  process.on('exit', stopAll);

  const ospreyPort = await freePort();
  const ospreyCmd = opts.command
    ? ['/bin/sh', ['-c', opts.command.replaceAll('{port}', String(ospreyPort))]]
    : [
        process.execPath,
        [
          OSPREY,
          'serve',
          '--no-ui',
          '--port',
          String(ospreyPort),
          '--interval',
          String(opts.interval),
        ],
      ];
  const osprey = launch(opts.command ? 'osprey (stand-in)' : 'osprey', ...ospreyCmd);
  osprey.url = `http://127.0.0.1:${ospreyPort}/metrics`;

  let exporter;
  let note;
  if (opts.nodeExporter === undefined) note = 'node_exporter skipped (--no-node-exporter)';
  else if (!existsSync(opts.nodeExporter)) {
    note = `${opts.nodeExporter} is not installed (Debian: apt-get install prometheus-node-exporter): measuring osprey only`;
  } else {
    const port = await freePort();
    exporter = launch('node_exporter', opts.nodeExporter, [
      `--web.listen-address=127.0.0.1:${port}`,
    ]);
    exporter.url = `http://127.0.0.1:${port}/metrics`;
  }
  if (note) console.error(`bench:collector: ${note}`);

  try {
    await waitReady(osprey, osprey.url);
  } catch (error) {
    fail(
      `the collector did not start (${ospreyCmd[0]} ${ospreyCmd[1].join(' ')}): ${error.message}${tail(osprey)}`,
    );
  }
  const targets = [osprey];
  if (exporter) {
    try {
      await waitReady(exporter, exporter.url);
      targets.push(exporter);
    } catch (error) {
      note = `node_exporter did not start: ${error.message}: measuring osprey only`;
      console.error(`bench:collector: ${note}${tail(exporter)}`);
      signal(exporter, 'SIGTERM');
      exporter = undefined;
    }
  }
  for (const t of targets) Object.assign(t, { samples: [], ok: 0, failed: 0 });

  console.error(
    `bench:collector: warm-up ${opts.warmup} s, then measuring ${opts.seconds} s at ${opts.interval} ms (CLK_TCK ${hz})…`,
  );
  await measure(targets, opts);
  const rows = targets.map((t) => summarize(t, hz));
  await stopAndWait();

  const ours = rows[0];
  const peer = rows[1];
  console.log(
    `\nCollector overhead, ${opts.seconds} s window, /metrics scraped every ${opts.interval} ms\n`,
  );
  console.log(table(rows));
  console.log('');
  const within = (x, max) => (x === null ? 'n/a' : x <= max ? 'within' : 'OVER');
  // DESIGN.md's budget is in MB; VmRSS counts KiB, so the table is in MiB (1 MiB = 1.048576 MB).
  const rssMaxMB = ours.rssMaxMiB === null ? null : round(ours.rssMaxMiB * 1.048576, 1);
  console.log(
    `Budget (DESIGN.md): CPU ${show(ours.cpuPercent, 2)} % vs ≤ ${BUDGET.cpuPercent} % (${within(ours.cpuPercent, BUDGET.cpuPercent)}), ` +
      `RSS max ${show(rssMaxMB, 1)} MB vs ≤ ${BUDGET.rssMB} MB (${within(rssMaxMB, BUDGET.rssMB)})`,
  );
  const ratio = (a, b) => (a === null || b === null || b === 0 ? null : round(a / b, 2));
  const ratios = peer && {
    cpu: ratio(ours.cpuPercent, peer.cpuPercent),
    rssMean: ratio(ours.rssMeanMiB, peer.rssMeanMiB),
  };
  if (ratios)
    console.log(
      `osprey / node_exporter: CPU ×${show(ratios.cpu, 2)}, RSS ×${show(ratios.rssMean, 2)}`,
    );
  if (note) console.log(`Note: ${note}`);
  if (ours.exited) console.log(`Note: osprey ${ours.exited} during the window`);
  console.log(
    JSON.stringify({
      bench: 'collector',
      date: new Date().toISOString(),
      seconds: opts.seconds,
      warmupSeconds: opts.warmup,
      intervalMs: opts.interval,
      clkTck: hz,
      command: opts.command ?? 'node collector/bin/osprey.js serve --no-ui',
      results: rows,
      budget: BUDGET,
      ...(ratios ? { ratioToNodeExporter: ratios } : {}),
      ...(note ? { note } : {}),
    }),
  );
  return ours.exited ? 1 : 0;
}

process.exitCode = await main();
