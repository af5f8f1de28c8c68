// The Prometheus of `npm run bench:latency`: a real `prometheus` on a TSDB that promtool filled
// with the simulator's engine history (collector/simulator/backfill), nothing scraped.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

async function freePort() {
  const srv = createServer().listen(0, '127.0.0.1');
  await once(srv, 'listening');
  const { port } = srv.address();
  await new Promise((r) => srv.close(r));
  return port;
}

/** Whether `dir` already holds TSDB blocks (a previous run's, kept with --data). */
export function hasBlocks(dir) {
  return existsSync(dir) && readdirSync(dir).some((f) => /^[0-9A-Z]{26}$/.test(f));
}

/**
 * Starts prometheus on `dataDir` with a config that scrapes nothing but says the scrape interval
 * the history was written at (the view reads it to choose the rate window and step floor).
 */
export async function startPrometheus({ dataDir, scrapeIntervalS, cpu }) {
  const port = await freePort();
  mkdirSync(dataDir, { recursive: true });
  const config = join(dataDir, '..', 'prometheus-bench.yml');
  const interval = `${scrapeIntervalS}s`;
  writeFileSync(
    config,
    JSON.stringify({ global: { scrape_interval: interval, evaluation_interval: interval } }),
  );
  const args = [
    `--config.file=${config}`,
    `--storage.tsdb.path=${dataDir}`,
    // The backfilled blocks are up to a day old; the default 15 d keeps them too, but say it.
    '--storage.tsdb.retention.time=30d',
    `--web.listen-address=127.0.0.1:${port}`,
  ];
  // `cpu`: run on that core only (taskset), away from the browser (latency.mjs --pin).
  const child =
    cpu === undefined
      ? spawn('prometheus', args, { stdio: ['ignore', 'ignore', 'pipe'] })
      : spawn('taskset', ['-c', String(cpu), 'prometheus', ...args], {
          stdio: ['ignore', 'ignore', 'pipe'],
        });
  const log = [];
  child.stderr.setEncoding('utf8').on('data', (d) => log.push(d));
  const url = `http://127.0.0.1:${port}`;
  const started = performance.now();
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    await once(child, 'exit');
  };
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`prometheus exited:\n${log.join('').slice(-3000)}`);
    if (performance.now() - started > 60_000) {
      await stop();
      throw new Error(`prometheus not ready in 60 s:\n${log.join('').slice(-3000)}`);
    }
    const ok = await fetch(`${url}/-/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  return { url, started, stop, logs: () => log.join('') };
}

/** Prometheus's own gauge or counter value from its /metrics (summed over label sets). */
async function selfMetric(url, name) {
  const text = await (await fetch(`${url}/metrics`)).text();
  let sum = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith(name) && /[ {]/.test(line[name.length]))
      sum += Number(line.split(' ').pop());
  }
  return sum;
}

/**
 * Waits until the TSDB has compacted the backfilled 2-hour blocks, so compaction does not run
 * during the measurement. Prometheus first looks for compactions a minute after start
 * (tsdb/db.go run loop) and then does all it can in one go; done = triggered at least once, no
 * block being written, and the compaction count still for 6 s.
 */
export async function waitForCompaction(prom, timeoutMs = 240_000) {
  let last = -1;
  let still = 0;
  while (performance.now() - prom.started < timeoutMs) {
    await new Promise((r) => setTimeout(r, 2000));
    const triggered = await selfMetric(prom.url, 'prometheus_tsdb_compactions_triggered_total');
    const populating = await selfMetric(prom.url, 'prometheus_tsdb_compaction_populating_block');
    const done = await selfMetric(prom.url, 'prometheus_tsdb_compactions_total');
    still = done === last && populating === 0 ? still + 1 : 0;
    last = done;
    if (triggered >= 1 && still >= 3) {
      return {
        compactions: done,
        blocks: await selfMetric(prom.url, 'prometheus_tsdb_blocks_loaded'),
      };
    }
  }
  throw new Error(`prometheus still compacting after ${timeoutMs / 1000} s`);
}
