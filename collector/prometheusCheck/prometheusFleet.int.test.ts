/**
 * The Prometheus-only fleet (core/prometheus/exporters) against a real `prometheus` scraping the
 * real simulator's /metrics (DCGM exporter and NPU exporter names) and one more target serving a
 * real DCGM exporter dump (fixtures: Tesla T4 host 424773df46e0). Every device value the refresh
 * delivers must be the sample Prometheus holds for that series at the time the value is stamped
 * with; when the DCGM target starts writing dcgm-exporter's real unparseable line (`… ERROR -
 * FAILED TO CONVERT TO STRING`, NVIDIA/dcgm-exporter#394), its GPU reads as an error carrying
 * Prometheus's own scrape error from /api/v1/targets, not as its last value.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus, hostname, totalmem } from 'node:os';
import { createInterface } from 'node:readline';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { FleetPoller, type FleetPort } from '../core/prometheus/exporters/FleetPoller.js';
import {
  parseStringListResponse,
  parseTargetsResponse,
  type ScrapeTarget,
} from '../core/prometheus/payloads.js';
import { prometheusUrl, type PrometheusRequest } from '../core/prometheus/request.js';
import { parseQueryResponse } from '../core/prometheus/response.js';
import type { InventoryMessage, MetricsMessage, WireMessage } from '../core/protocol/spec.js';
import { freePort } from '../testing/freePort.js';
import { startPrometheus, type PrometheusServer } from '../testing/prometheusServer.js';
import { eventually, OSPREY_BIN, REPO_ROOT } from '../testing/serveProcess.js';

const HOST = '424773df46e0';
const BROKEN_LINE = 'DCGM_FI_DEV_VGPU_INSTANCE_IDS{gpu="0"} ERROR - FAILED TO CONVERT TO STRING';

/** The dump's sample lines of one host, as an exporter on that host would serve them. */
const good = readFileSync(
  new URL('./fixtures/metrics/datadog_dcgm_metrics_tesla-t4_mixed.prom', import.meta.url),
  'utf8',
)
  .split('\n')
  .filter((l) => l.includes(`Hostname="${HOST}"`))
  .join('\n');

/** Debian's prometheus-node-exporter (installed by .ci/test.mjs). */
const NODE_EXPORTER = '/usr/bin/prometheus-node-exporter';

let sim: ChildProcess;
let nodeExporter: ChildProcess | undefined;
let dcgm: Server;
let broken = false;
let prometheus: PrometheusServer;

async function ask(request: PrometheusRequest, signal?: AbortSignal) {
  const url = prometheusUrl(prometheus.url, request);
  const r = await fetch(url, signal ? { signal } : {});
  return {
    status: r.status,
    contentType: r.headers.get('content-type') ?? '',
    body: await r.text(),
    url,
  };
}

const port: FleetPort<AbortSignal> = {
  metricNames: async (signal) =>
    parseStringListResponse(
      await ask({ endpoint: 'label_values', label: '__name__', params: [] }, signal),
    ).data,
  targets: async (signal) =>
    parseTargetsResponse(await ask({ endpoint: 'targets', params: [] }, signal)).data,
  query: async (query, signal) =>
    parseQueryResponse(await ask({ endpoint: 'query', params: [['query', query]] }, signal)).data,
};

async function instant(query: string, timeMs: number) {
  const res = await ask({
    endpoint: 'query',
    params: [
      ['query', query],
      ['time', String(timeMs / 1000)],
    ],
  });
  const d = parseQueryResponse(res).data;
  if (d.resultType !== 'vector') throw new Error(`${query}: ${d.resultType}`);
  return d.result;
}

beforeAll(async () => {
  sim = spawn(
    process.execPath,
    [OSPREY_BIN, 'simulate', '--nodes', '3', '--devices-per-node', '2', '--metrics-port', '0'],
    { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const simUrl = await new Promise<string>((resolve, reject) => {
    createInterface({ input: sim.stdout! }).on('line', (line) => {
      if (line.startsWith('OSPREY_READY ')) {
        resolve((JSON.parse(line.slice(13)) as { metricsUrl: string }).metricsUrl);
      }
    });
    sim.once('exit', (code) => reject(new Error(`simulator exited ${code}`)));
  });
  dcgm = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
    res.end(broken ? `${good}\n${BROKEN_LINE}\n` : `${good}\n`);
  });
  await new Promise<void>((r) => dcgm.listen(0, '127.0.0.1', r));
  const dcgmPort = (dcgm.address() as AddressInfo).port;
  const nodePort = await freePort();
  if (!existsSync(NODE_EXPORTER))
    throw new Error(`${NODE_EXPORTER} is missing: apt-get install prometheus-node-exporter`);
  nodeExporter = spawn(NODE_EXPORTER, [`--web.listen-address=127.0.0.1:${nodePort}`], {
    stdio: 'ignore',
  });
  prometheus = await startPrometheus({
    targets: [
      { job_name: 'sim', targets: [new URL(simUrl).host] },
      { job_name: 'dcgm', targets: [`127.0.0.1:${dcgmPort}`] },
      { job_name: 'node', targets: [`127.0.0.1:${nodePort}`] },
    ],
    scrapeInterval: '1s',
  });
  await prometheus.waitForData('DCGM_FI_DEV_GPU_UTIL{job="dcgm"}');
  await prometheus.waitForData('npu_chip_info_utilization');
  await prometheus.waitForData('node_uname_info');
  // Two scrapes of node_exporter's counters, for the rates.
  await prometheus.waitForData('rate(node_cpu_seconds_total[5s])');
}, 60_000);

afterAll(async () => {
  nodeExporter?.kill('SIGTERM');
  await prometheus?.stop();
  await new Promise((r) => dcgm?.close(r));
  if (sim && sim.exitCode === null) {
    sim.kill('SIGTERM');
    await once(sim, 'exit');
  }
});

const metrics = (m: WireMessage[]) => m.filter((x): x is MetricsMessage => x.type === 'metrics');
const inventories = (m: WireMessage[]) =>
  m.filter((x): x is InventoryMessage => x.type === 'inventory');

/** The exporter series and scale behind each canonical metric checked here. */
const CHECKED: Record<string, Array<[series: string, uuidLabel: string, scale: number]>> = {
  'device.utilization': [
    ['DCGM_FI_DEV_GPU_UTIL', 'UUID', 1],
    ['npu_chip_info_utilization', 'vdie_id', 1],
  ],
  'device.power': [
    ['DCGM_FI_DEV_POWER_USAGE', 'UUID', 1],
    ['npu_chip_info_power', 'vdie_id', 1],
  ],
  'device.temperature': [
    ['DCGM_FI_DEV_GPU_TEMP', 'UUID', 1],
    ['npu_chip_info_temperature', 'vdie_id', 1],
  ],
  'device.memory.used': [
    ['DCGM_FI_DEV_FB_USED', 'UUID', 1024 * 1024],
    ['npu_chip_info_hbm_used_memory', 'vdie_id', 1024 * 1024],
  ],
};

describe('a Prometheus-only fleet from real scrapes', () => {
  it("delivers every device's values as the samples Prometheus holds at their own times", async () => {
    const poller = new FleetPoller({ cluster: 'test' });
    const out = await poller.refresh(port, new AbortController().signal, Date.now());
    // DCGM, NPU exporter, vLLM and SGLang (raw and TTFT p99 each), up: one per family, not per device.
    // node_exporter: uname, gauges, CPU count, CPU, network ×2, disk ×2.
    expect(out.queries).toBe(7 + 8);
    const devices = inventories(out.messages).flatMap((m) => m.devices.map((d) => d.id));
    // 3 simulated nodes × 2 devices, plus the T4 of the dump.
    expect(devices).toHaveLength(7);
    let checked = 0;
    for (const message of metrics(out.messages)) {
      for (const s of message.samples) {
        const ways = CHECKED[s.m];
        if (!ways || s.l !== undefined || s.v === null) continue;
        const results = await Promise.all(
          ways.map(([name, label]) => instant(`${name}{${label}="${s.d}"}`, s.t!)),
        );
        const i = results.findIndex((r) => r.length > 0);
        expect(i, `${message.node} ${s.d} ${s.m}: a series in Prometheus`).toBeGreaterThanOrEqual(
          0,
        );
        const [held] = await instant(`timestamp(${ways[i]![0]}{${ways[i]![1]}="${s.d}"})`, s.t!);
        expect(held!.value * 1000, `${s.d} ${s.m}: the sample's own time`).toBe(s.t);
        expect(s.v, `${message.node} ${s.d} ${s.m}`).toBe(results[i]![0]!.value * ways[i]![2]);
        checked += 1;
      }
    }
    expect(checked).toBe(7 * 4);
  });

  it("shows a target whose exposition fails to parse as down, with Prometheus's own error", async () => {
    const poller = new FleetPoller({ cluster: 'test' });
    await poller.refresh(port, new AbortController().signal, Date.now());
    broken = true;
    const target = await eventually(async () => {
      const list = (await port.targets(new AbortController().signal)) as ScrapeTarget[];
      const t = list.find((x) => x.labels.job === 'dcgm' && x.health === 'down');
      if (!t) throw new Error('the dcgm target is not down yet');
      return t;
    }, 20_000);
    expect(target.lastError).not.toBe('');
    const out = await poller.refresh(port, new AbortController().signal, Date.now());
    const inv = inventories(out.messages).find((m) => m.node === HOST)!;
    expect(inv.probes.find((p) => p.probe === 'dcgm')).toMatchObject({ state: 'error' });
    expect(inv.probes.find((p) => p.probe === 'dcgm')!.message).toContain(target.lastError);
    const util = metrics(out.messages)
      .find((m) => m.node === HOST)!
      .samples.find((s) => s.m === 'device.utilization')!;
    expect(util.v).toBeNull();
    expect(util.s).toBe('error');
    expect(util.raw).toContain(target.lastError.slice(0, 100));
  });

  it("describes this machine from node_exporter as the host it is, with Prometheus's values", async () => {
    const poller = new FleetPoller({ cluster: 'test' });
    const out = await poller.refresh(port, new AbortController().signal, Date.now());
    const inv = inventories(out.messages).find((m) => m.host.hostname === hostname())!;
    expect(inv, `an inventory for ${hostname()}`).toBeDefined();
    // What node_exporter reads is what this process reads of the same machine.
    expect(inv.host).toMatchObject({
      os: 'Linux',
      arch: process.arch === 'x64' ? 'x86_64' : process.arch,
      cpuCores: cpus().length,
      memoryTotalBytes: totalmem(),
    });
    const samples = metrics(out.messages).find((m) => m.node === inv.node)!.samples;
    const value = (m: string) => samples.find((x) => x.m === m && x.d === undefined);
    const total = value('host.memory.total')!;
    expect(total.v).toBe(totalmem());
    const [avail] = await instant('node_memory_MemAvailable_bytes{job="node"}', total.t!);
    expect(value('host.memory.used')!.v).toBe(totalmem() - avail!.value);
    const cpu = value('host.cpu.utilization')!;
    expect(cpu.v).toBeGreaterThanOrEqual(0);
    expect(cpu.v).toBeLessThanOrEqual(100);
    expect(value('host.load.1')!.v).toBe(
      (await instant('node_load1{job="node"}', value('host.load.1')!.t!))[0]!.value,
    );
    for (const m of ['host.network.receive', 'host.disk.read']) {
      expect(value(m), m).toBeDefined();
    }
  });
});
