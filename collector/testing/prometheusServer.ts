/**
 * Runs the real `prometheus` (2.42 here) for integration tests: writes a scrape config to a temp
 * dir, starts the server on a free loopback port, waits for `/-/ready`, and removes everything on
 * `stop()`. `waitForData(query)` polls until an instant query returns at least one series, so tests
 * start only once scrapes have landed. Everything the server logged is kept for failure messages.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { freePort } from './freePort.js';

export const PROMETHEUS_BIN = process.env.PROMETHEUS_BIN ?? 'prometheus';

/** One `scrape_configs` entry; `static_configs` targets are `host:port`. */
export interface ScrapeConfig {
  job_name: string;
  targets: string[];
  scrape_interval?: string;
  metrics_path?: string;
  /** Extra labels put on every target of this job (static_configs labels). */
  labels?: Record<string, string>;
}

export interface PrometheusOptions {
  /** `host:port` targets scraped by one job named `osprey`, or full scrape configs. */
  targets: string[] | ScrapeConfig[];
  /** Global scrape interval (also the evaluation interval); default `1s`. */
  scrapeInterval?: string;
  /** More command-line flags, e.g. `--web.route-prefix=/prom`, `--query.timeout=1ms`. */
  extraArgs?: string[];
  /** How long to wait for `/-/ready`; default 30 s (a cold TSDB on a busy box takes a few s). */
  readyTimeoutMs?: number;
}

export interface PrometheusServer {
  /** `http://127.0.0.1:P` (plus the route prefix if `extraArgs` set one) */
  url: string;
  port: number;
  /** Everything the server printed so far (it logs to stderr). */
  logs(): string;
  /** Polls an instant query until it returns ≥ 1 series; throws with the logs on timeout. */
  waitForData(query: string, timeoutMs?: number): Promise<void>;
  /** SIGTERM, wait for exit, remove the temp dir. Safe to call twice. */
  stop(): Promise<void>;
}

const q = (s: string): string => JSON.stringify(s);

/** The YAML (JSON is valid YAML, which spares a YAML writer and any quoting question). */
export function prometheusConfig(opts: PrometheusOptions): string {
  const interval = opts.scrapeInterval ?? '1s';
  const jobs: ScrapeConfig[] =
    opts.targets.length > 0 && typeof opts.targets[0] === 'string'
      ? [{ job_name: 'osprey', targets: opts.targets as string[] }]
      : (opts.targets as ScrapeConfig[]);
  const config = {
    global: { scrape_interval: interval, evaluation_interval: interval },
    scrape_configs: jobs.map((j) => ({
      job_name: j.job_name,
      ...(j.scrape_interval ? { scrape_interval: j.scrape_interval } : {}),
      ...(j.metrics_path ? { metrics_path: j.metrics_path } : {}),
      static_configs: [{ targets: j.targets, ...(j.labels ? { labels: j.labels } : {}) }],
    })),
  };
  return JSON.stringify(config, null, 2) + '\n';
}

export async function startPrometheus(opts: PrometheusOptions): Promise<PrometheusServer> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'osprey-prometheus-'));
  const configFile = join(dir, 'prometheus.yml');
  writeFileSync(configFile, prometheusConfig(opts));
  const extra = opts.extraArgs ?? [];
  const prefixArg = extra.find((a) => a.startsWith('--web.route-prefix='));
  const prefix = prefixArg ? prefixArg.slice('--web.route-prefix='.length).replace(/\/+$/, '') : '';
  const url = `http://127.0.0.1:${port}${prefix}`;
  const log: string[] = [];
  const child: ChildProcess = spawn(
    PROMETHEUS_BIN,
    [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      ...extra,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout!.setEncoding('utf8').on('data', (d: string) => log.push(d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => log.push(d));
  // A test process that dies without its afterAll must not leave the server running.
  const orphan = (): void => void child.kill('SIGKILL');
  process.once('exit', orphan);
  child.once('exit', () => process.off('exit', orphan));
  let exited = false;
  child.once('exit', () => (exited = true));

  const logs = (): string => log.join('');
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    if (!exited) {
      const gone = once(child, 'exit');
      child.kill('SIGTERM');
      await gone;
    }
    rmSync(dir, { recursive: true, force: true });
  };

  const poll = async (what: string, timeoutMs: number, ok: () => Promise<boolean>) => {
    const deadline = Date.now() + timeoutMs;
    let last = '';
    while (Date.now() < deadline) {
      if (exited) throw new Error(`prometheus exited while waiting for ${what}:\n${logs()}`);
      try {
        if (await ok()) return;
      } catch (e) {
        last = String(e);
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(
      `prometheus: ${what} not within ${timeoutMs} ms (${last})\n${logs().slice(-3000)}`,
    );
  };

  try {
    await poll('/-/ready', opts.readyTimeoutMs ?? 30_000, async () => {
      const res = await fetch(`${url}/-/ready`);
      return res.ok;
    });
  } catch (e) {
    await stop();
    throw e;
  }

  return {
    url,
    port,
    logs,
    stop,
    waitForData: (query, timeoutMs = 30_000) =>
      poll(`data for ${q(query)}`, timeoutMs, async () => {
        const res = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(query)}`);
        const body = (await res.json()) as { data?: { result?: unknown[] } };
        return (body.data?.result?.length ?? 0) > 0;
      }),
  };
}
