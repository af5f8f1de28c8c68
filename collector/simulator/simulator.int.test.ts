import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';

import { connect } from '@nats-io/transport-node';
import type { NatsConnection } from '@nats-io/nats-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { runSimulate, type SimulateOptions } from '../cli/simulate.js';
import { decodeMessage } from '../core/protocol/decode.js';
import type { WireMessage } from '../core/protocol/spec.js';
import { ALL_CLUSTERS_SUBSCRIPTION } from '../core/protocol/subjects.js';
import { freePort } from '../testing/freePort.js';
import { startNatsServer, type NatsServer } from '../testing/natsServer.js';
import { simulatorExposition } from './exposition/exposition.js';
import { CONTROL_SUBJECT, SimRunner } from './SimRunner.js';

const lines: string[] = [];
const log = (l: string): void => void lines.push(l);

async function until<T>(what: string, check: () => T | undefined, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = check();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > end)
      throw new Error(`timed out waiting for ${what}; log:\n${lines.join('\n')}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Everything published on osprey.v1.>, decoded; a problem fails the test. */
function collect(nc: NatsConnection): WireMessage[] {
  const got: WireMessage[] = [];
  nc.subscribe(ALL_CLUSTERS_SUBSCRIPTION, {
    callback: (err, msg) => {
      if (err) throw err;
      const r = decodeMessage(msg.data);
      if (!r.ok) throw new Error(`${msg.subject}: ${r.problem.message}`);
      got.push(r.message);
    },
  });
  return got;
}

/** promtool's lint findings that the real exporters' own names and labels produce. */
const INHERENT_LINT = [
  "metric names should not contain ':'",
  "label names should be written in 'snake_case' not 'camelCase'",
  'counter metrics should have "_total" suffix',
  "metric name should not include type 'counter'",
];

function promtool(text: string): string[] {
  const r = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
  const out = (r.stdout + r.stderr).trim();
  // 1: the text did not parse; 3: lint findings only.
  expect(r.status === 0 || r.status === 3, out).toBe(true);
  expect(out).not.toMatch(/error while linting|parsing error/);
  return out === '' ? [] : out.split('\n').map((l) => l.replace(/^\S+ /, ''));
}

describe('osprey simulate against a real nats-server', () => {
  let server: NatsServer;
  let sub: NatsConnection;

  beforeAll(async () => {
    server = await startNatsServer();
    sub = await connect({ servers: server.url });
  });

  afterAll(async () => {
    await sub?.close();
    await server?.stop();
  });

  it('publishes every node: inventories, then one metrics message per node per tick', async () => {
    const got = collect(sub);
    await sub.flush();
    const runner = new SimRunner({
      simulator: { clusters: 2, nodes: 3, devicesPerNode: 4, seed: 8, intervalMs: 200 },
      nats: { servers: [server.url] },
      log,
    });
    await runner.start();
    await until('10 ticks', () => runner.totals.ticks >= 10);
    await runner.stop();
    await sub.flush();
    const ticks = runner.totals.ticks;
    expect(runner.totals.dropped).toBe(0);
    const nodes = runner.simulator.fleet.nodes;
    expect(nodes).toHaveLength(6);
    for (const n of nodes) {
      const mine = got.filter((m) => m.node === n.name);
      expect(
        mine.filter((m) => m.type === 'metrics'),
        n.name,
      ).toHaveLength(ticks);
      const inventory = mine.find((m) => m.type === 'inventory');
      expect(inventory, n.name).toMatchObject({ cluster: n.cluster, devices: expect.any(Array) });
      expect(inventory?.type === 'inventory' && inventory.devices.length).toBe(4);
      expect(mine[0]?.type).toBe('inventory');
    }
    expect(got.filter((m) => m.type === 'metrics')).toHaveLength(6 * ticks);
  });

  it('takes a fault command on osprey.sim.control and publishes its event', async () => {
    const got = collect(sub);
    await sub.flush();
    const runner = new SimRunner({
      simulator: { clusters: 1, nodes: 12, devicesPerNode: 8, seed: 4, intervalMs: 200 },
      nats: { servers: [server.url] },
      log,
    });
    await runner.start();
    const node = runner.simulator.fleet.nodes.find((n) => n.devices[0]!.info.vendor === 'nvidia')!;
    const reply = await sub.request(
      CONTROL_SUBJECT,
      JSON.stringify({ kind: 'xid79', node: node.name, device: 0 }),
      { timeout: 5000 },
    );
    expect(reply.json()).toEqual({ ok: true });
    const event = await until('the Xid 79 event', () =>
      got.flatMap((m) => (m.type === 'events' ? m.events : [])).find((e) => e.code === '79'),
    );
    expect(event).toMatchObject({ kind: 'xid', severity: 'critical', d: node.devices[0]!.info.id });
    const refused = await sub.request(
      CONTROL_SUBJECT,
      JSON.stringify({ kind: 'npu-fault', node: node.name }),
      { timeout: 5000 },
    );
    expect(refused.json()).toEqual({ ok: false, error: expect.stringMatching(/Ascend fault/) });
    await runner.stop();
  });

  it('runs from the command line, taking fault commands from its input', async () => {
    const got = collect(sub);
    await sub.flush();
    const input = new PassThrough();
    const opts: SimulateOptions = {
      nats: server.url,
      clusters: 1,
      nodes: 12,
      devicesPerNode: 8,
      rate: 5,
      seed: 4,
      metricsHost: '127.0.0.1',
      vllmNames: 'new',
      day: 600_000,
      inventoryEvery: 10_000,
      stdin: true,
      duration: 1500,
    };
    const done = runSimulate(opts, { input });
    const inventory = await until('an inventory', () => got.find((m) => m.type === 'inventory'));
    const ascend =
      got.find((m) => m.type === 'inventory' && m.devices[0]?.vendor === 'ascend') ?? inventory;
    input.write(`kind=npu-fault node=${ascend.node} device=1\n`);
    expect(await done).toBe(0);
    await sub.flush();
    const events = got.flatMap((m) => (m.type === 'events' ? m.events : []));
    expect(events).toContainEqual(expect.objectContaining({ kind: 'npu-fault', d: 'ascend:1:0' }));
  });

  it('keeps ticking through a server restart and re-announces every node after it', async () => {
    const runner = new SimRunner({
      simulator: { clusters: 1, nodes: 3, devicesPerNode: 2, seed: 6, intervalMs: 100 },
      nats: { servers: [server.url] },
      log,
    });
    await runner.start();
    await until('a few ticks', () => runner.totals.ticks >= 3);
    await server.restart();
    const restartedAt = runner.totals.ticks;
    // A fresh subscriber, in place before the simulator's reconnect (nats.js waits ≥ 1 s).
    const watcher = await connect({ servers: server.url });
    const got = collect(watcher);
    await watcher.flush();
    await until('the reconnect', () => lines.some((l) => l.startsWith('sim: reconnected')), 15_000);
    const after = await until(
      'inventories after the restart',
      () => {
        const nodes = new Set(got.filter((m) => m.type === 'inventory').map((m) => m.node));
        return nodes.size === 3 && got.some((m) => m.type === 'metrics') ? nodes : undefined;
      },
      15_000,
    );
    expect([...after].sort()).toEqual(runner.simulator.fleet.nodes.map((n) => n.name));
    expect(runner.totals.ticks).toBeGreaterThan(restartedAt);
    await runner.stop();
    await watcher.close();
  });
});

describe('osprey simulate /metrics', () => {
  let runner: SimRunner;
  let metricsUrl: string;
  let prometheus: ChildProcess | undefined;
  let dir: string | undefined;
  const promLog: string[] = [];

  beforeAll(async () => {
    runner = new SimRunner({
      simulator: { clusters: 1, nodes: 8, devicesPerNode: 8, seed: 2, intervalMs: 250 },
      metrics: { host: '127.0.0.1', port: 0, names: 'new' },
      log,
    });
    ({ metricsUrl } = (await runner.start()) as { metricsUrl: string });
  });

  afterAll(async () => {
    prometheus?.kill('SIGTERM');
    await runner?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('passes promtool check metrics, in both vLLM naming generations', async () => {
    const res = await fetch(`${metricsUrl}/metrics`);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    expect(text).toMatch(/^DCGM_FI_DEV_GPU_UTIL\{/m);
    for (const finding of promtool(text)) expect(INHERENT_LINT).toContain(finding);
    for (const finding of promtool(simulatorExposition(runner.simulator, 'old'))) {
      expect(INHERENT_LINT).toContain(finding);
    }
    expect((await fetch(`${metricsUrl}/nope`)).status).toBe(404);
  });

  it('is scraped by a real Prometheus, DCGM and vLLM series included', async () => {
    dir = mkdtempSync(join(tmpdir(), 'osprey-sim-prom-'));
    const target = new URL(metricsUrl).host;
    writeFileSync(
      join(dir, 'prometheus.yml'),
      `global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: sim\n    static_configs:\n      - targets: ['${target}']\n`,
    );
    const port = await freePort();
    prometheus = spawn('prometheus', [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
    ]);
    prometheus.stderr!.setEncoding('utf8').on('data', (d: string) => promLog.push(d));
    const query = async (
      q: string,
    ): Promise<{ metric: Record<string, string>; value: [number, string] }[]> => {
      const res = await fetch(
        `http://127.0.0.1:${port}/api/v1/query?query=${encodeURIComponent(q)}`,
      );
      const body = (await res.json()) as { status: string; data: { result: never[] } };
      return body.status === 'success' ? body.data.result : [];
    };
    let found: Awaited<ReturnType<typeof query>> = [];
    const end = Date.now() + 30_000;
    while (Date.now() < end) {
      found = await query('DCGM_FI_DEV_GPU_UTIL').catch(() => []);
      if (found.length > 0) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(found.length, promLog.join('').slice(-2000)).toBeGreaterThan(0);
    expect(found[0]!.metric).toMatchObject({
      job: 'sim',
      cluster: 'sim-0',
      modelName: expect.stringMatching(/NVIDIA/),
    });
    const running = await query('vllm:num_requests_running');
    expect(running.length).toBeGreaterThan(0);
    expect(running[0]!.metric).toMatchObject({
      model_name: expect.any(String),
      engine: expect.any(String),
    });
    const p90 = await query(
      'histogram_quantile(0.9, sum by (le) (vllm:time_to_first_token_seconds_bucket))',
    );
    expect(Number(p90[0]?.value[1])).toBeGreaterThan(0);
  });
});
