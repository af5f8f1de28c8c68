import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { connect } from '@nats-io/transport-node';
import type { NatsConnection } from '@nats-io/nats-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { decodeMessage } from '../core/protocol/decode.js';
import type { MetricsMessage, WireMessage } from '../core/protocol/spec.js';
import { clusterSubscription } from '../core/protocol/subjects.js';
import { startNatsServer, type NatsServer } from '../testing/natsServer.js';
import { REPLAY_H100 } from '../testing/fixtures.js';
import {
  eventually,
  OSPREY_BIN,
  REPO_ROOT,
  runOsprey,
  startServe,
} from '../testing/serveProcess.js';
import { SimRunner } from '../simulator/SimRunner.js';
import { valueOf } from '../simulator/testing.js';
import type { SnapshotSummary } from '../cli/snapshot.js';

let server: NatsServer;
let dir: string;
let watcher: NatsConnection;

beforeAll(async () => {
  server = await startNatsServer();
  dir = mkdtempSync(join(tmpdir(), 'osprey-record-'));
  watcher = await connect({ servers: server.url });
});

afterAll(async () => {
  await watcher.close();
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
});

interface Recording {
  child: ChildProcess;
  output: string[];
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

async function startRecord(args: string[]): Promise<Recording> {
  const child = spawn(process.execPath, [OSPREY_BIN, 'record', '--nats', server.url, ...args], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  child.stderr!.setEncoding('utf8').on('data', (d: string) => output.push(d));
  child.stdout!.setEncoding('utf8').on('data', (d: string) => output.push(d));
  await eventually(async () => {
    if (!output.join('').includes('record: ')) throw new Error(`not started: ${output.join('')}`);
  }, 15_000);
  // The subscription is made before that line is printed; give the server a moment to route it.
  await new Promise((r) => setTimeout(r, 300));
  return {
    child,
    output,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null) {
        child.kill(signal);
        await once(child, 'exit');
      }
      return child.exitCode;
    },
  };
}

/** Everything published for a cluster, decoded, in arrival order, until `stop()`. */
function watch(cluster: string): { got: WireMessage[]; stop(): void } {
  const got: WireMessage[] = [];
  const sub = watcher.subscribe(clusterSubscription(cluster), {
    callback: (_err, msg) => {
      const r = decodeMessage(msg.data);
      if (r.ok) got.push(r.message);
    },
  });
  return { got, stop: () => sub.unsubscribe() };
}

function simulator(seed: number, schedule: SimRunnerSchedule = []): SimRunner {
  return new SimRunner({
    simulator: { clusters: 1, nodes: 4, devicesPerNode: 4, seed, intervalMs: 200, schedule },
    nats: { servers: [server.url] },
    log,
  });
}

type SimRunnerSchedule = { atMs: number; node: string; device?: number; kind: 'xid79' }[];

const until = (what: string, check: () => boolean, ms = 15_000): Promise<void> =>
  eventually(async () => {
    if (!check()) throw new Error(`timed out waiting for ${what}`);
  }, ms);

async function info(file: string): Promise<SnapshotSummary> {
  const r = await runOsprey(['snapshot', 'info', file, '--json']);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as SnapshotSummary;
}

const log = (): void => undefined;

describe('osprey record', () => {
  it('records a simulated cluster with a fault; info and export give back what was published', async () => {
    const published = watch('sim-0');
    await watcher.flush();
    const file = join(dir, 'a.mcap');
    const rec = await startRecord(['--cluster', 'sim-0', '-o', file]);
    const runner = simulator(3, [{ atMs: 1000, node: 'node-001', device: 2, kind: 'xid79' }]);
    await runner.start();
    await until('15 ticks', () => runner.totals.ticks >= 15);
    await runner.stop();
    await watcher.flush();
    await new Promise((r) => setTimeout(r, 300));
    published.stop();
    expect(await rec.stop()).toBe(0);
    expect(rec.output.join('')).toMatch(/record: wrote .*a\.mcap: \d+ messages/);

    const s = await info(file);
    expect(s.complete).toBe(true);
    expect(s.problems).toEqual([]);
    const count = (t: string): number => published.got.filter((m) => m.type === t).length;
    expect(s.messages).toEqual({
      inventory: count('inventory'),
      metrics: count('metrics'),
      events: count('events'),
    });
    expect(s.messages.events).toBeGreaterThan(0);
    expect(s.nodes).toEqual([
      'sim-0/node-000',
      'sim-0/node-001',
      'sim-0/node-002',
      'sim-0/node-003',
    ]);
    expect(s.devices).toBe(16);
    expect(s.metadata).toMatchObject({
      recordedBy: 'osprey record',
      cluster: 'sim-0',
      redacted: 'no',
    });

    // ndjson: every published message, equal and in order, each with its receipt time.
    const nd = await runOsprey(['snapshot', 'export', file, '--format', 'ndjson']);
    expect(nd.code).toBe(0);
    const lines = nd.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { receiveTime: number; message: WireMessage });
    expect(lines.map((l) => l.message)).toEqual(published.got);
    const xid = lines.find((l) => l.message.type === 'events')!.message;
    expect(
      xid.type === 'events' && xid.events.map((e) => [xid.node, e.d !== undefined, e.code]),
    ).toContainEqual(['node-001', true, '79']);
    for (const l of lines) expect(Math.abs(l.receiveTime - l.message.ts)).toBeLessThan(5000);

    // csv: the values of one published metrics message, sample by sample.
    const csv = join(dir, 'a.csv');
    const ex = await runOsprey(['snapshot', 'export', file, '--format', 'csv', '-o', csv]);
    expect(ex.code).toBe(0);
    const rows = (await import('node:fs')).readFileSync(csv, 'utf8').trim().split('\n');
    expect(rows[0]).toBe('time,node,device,metric,labels,value,status');
    const m = published.got.filter((x): x is MetricsMessage => x.type === 'metrics')[7]!;
    const device = m.grids?.[0]?.rows[1]?.d ?? m.samples.find((x) => x.d)!.d!;
    const when = new Date(m.ts).toISOString();
    for (const metric of ['device.utilization', 'device.power', 'device.temperature']) {
      const want = valueOf(m, metric, device);
      const row = rows.find((r) => r.startsWith(`${when},${m.node},${device},${metric},`));
      expect(row, `${metric} of ${m.node}/${device}`).toBeDefined();
      expect(row!.split(',')[5]).toBe(want === null || want === undefined ? '' : String(want));
    }
  });

  it('survives a nats-server restart mid-recording: the file is valid and the gap is noted', async () => {
    const file = join(dir, 'restart.mcap');
    const rec = await startRecord(['--cluster', 'sim-0', '-o', file]);
    const runner = simulator(5);
    await runner.start();
    await until('5 ticks', () => runner.totals.ticks >= 5);
    await server.stop();
    await new Promise((r) => setTimeout(r, 1500));
    await server.restart();
    await until(
      'the recorder to reconnect',
      () => rec.output.join('').includes('reconnected'),
      20_000,
    );
    const before = runner.totals.messages;
    await until('messages after the restart', () => runner.totals.messages >= before + 20, 20_000);
    await runner.stop();
    await new Promise((r) => setTimeout(r, 500));
    expect(await rec.stop('SIGINT')).toBe(0);
    const s = await info(file);
    expect(s.complete).toBe(true);
    const gap = s.problems.find((p) => p.key === 'snapshot:gap');
    expect(gap?.message).toMatch(
      /^nothing was received from \S+ to \S+ \([\d.]+ s\): the NATS connection to nats:\/\/127\.0\.0\.1:\d+ was lost$/,
    );
    // Messages from after the restart were recorded (the simulator's seq goes on).
    const nd = await runOsprey(['snapshot', 'export', file, '--format', 'ndjson']);
    const lines = nd.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { receiveTime: number });
    const gapEnd = Date.parse(/to (\S+) /.exec(gap!.message)![1]!);
    expect(lines.filter((l) => l.receiveTime > gapEnd).length).toBeGreaterThan(10);
  });

  it('--ring keeps only the last seconds and writes them on SIGUSR1 and on a control message', async () => {
    const base = join(dir, 'ring.mcap');
    const rec = await startRecord(['--cluster', 'sim-0', '--ring', '2s', '-o', base]);
    const runner = simulator(7);
    await runner.start();
    await until('6 s of ticks', () => runner.totals.ticks >= 30, 20_000);
    const started = Date.now();
    rec.child.kill('SIGUSR1');
    await until('the ring to be written', () => rec.output.join('').includes('kept the last 2s'));
    const files = readdirSync(dir).filter((f) => /^ring-\d{8}T\d{6}Z\.mcap$/.test(f));
    expect(files).toHaveLength(1);
    const s = await info(join(dir, files[0]!));
    expect(s.complete).toBe(true);
    // The last 2 s, not the 6 s and more before them.
    expect(s.range.durationMs).toBeGreaterThan(1000);
    expect(s.range.durationMs).toBeLessThanOrEqual(2000);
    expect(Date.parse(s.range.start)).toBeGreaterThanOrEqual(started - 2000);
    expect(s.metadata.notes).toBe('kept on SIGUSR1');
    // The war room's "keep this": a request on the control subject answers with the file.
    await new Promise((r) => setTimeout(r, 1100));
    const reply = await watcher.request('osprey.v1.control.sim-0.snapshot', '', {
      timeout: 10_000,
    });
    const answer = reply.json<{ ok: boolean; file: string }>();
    expect(answer.ok).toBe(true);
    expect(existsSync(answer.file)).toBe(true);
    await runner.stop();
    expect(await rec.stop()).toBe(0);
  });
});

describe('osprey serve --record', () => {
  it("records the local collector's own messages and closes the file on SIGTERM", async () => {
    const file = join(dir, 'serve.mcap');
    const served = await startServe([
      '--no-ui',
      '--interval',
      '200',
      '--replay',
      `nvidia-smi=${REPLAY_H100}`,
      '--record',
      file,
    ]);
    await new Promise((r) => setTimeout(r, 2000));
    await served.stop();
    const s = await info(file);
    expect(s.complete).toBe(true);
    expect(s.metadata).toMatchObject({
      recordedBy: 'osprey serve',
      connection: 'local collector',
      cluster: 'default',
    });
    expect(s.messages.inventory).toBeGreaterThan(0);
    expect(s.messages.metrics).toBeGreaterThan(3);
    expect(s.devices).toBe(1);
  });
});
