/**
 * A cluster that runs only exporters and Prometheus (issue 12): a real `prometheus` scrapes the
 * real simulator's /metrics (DCGM exporter beside nvidia_gpu_exporter on the same GPUs, a MIG
 * node, the NPU exporter, and engines of every flavour: vLLM new and old, Ray Serve, NIM, SGLang,
 * TGI) plus one target serving a real DCGM exporter dump that later writes dcgm-exporter's
 * unparseable line; a connection with a Prometheus URL and no NATS URL shows the live fleet from
 * it. Values on screen are checked against Prometheus's own API at the sample time the console
 * shows, so they must be the very samples Prometheus holds.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';

import { expect, test, type Page } from '@playwright/test';

import { freePort } from '../collector/testing/freePort.js';
import { startPrometheus, type PrometheusServer } from '../collector/testing/prometheusServer.js';
import { formatValue } from '../renderer/src/lib/format.js';
import { serveConsole, type ServedConsole } from './support/osprey.js';
import { snapshot } from './support/page.js';

const OSPREY = fileURLToPath(new URL('../collector/bin/osprey.js', import.meta.url));
const NODES = 6;
const DEVICES = 2;
const FLAVOURS = ['vllm', 'vllm-old', 'ray_vllm', 'nim', 'sglang', 'tgi'];
/** A Tesla T4 host's series from a real DCGM exporter dump, and the line that breaks a scrape. */
const T4_HOST = '424773df46e0';
const T4 = readFileSync(
  fileURLToPath(
    new URL(
      '../collector/prometheusCheck/fixtures/metrics/datadog_dcgm_metrics_tesla-t4_mixed.prom',
      import.meta.url,
    ),
  ),
  'utf8',
)
  .split('\n')
  .filter((l) => l.includes(`Hostname="${T4_HOST}"`))
  .join('\n');
const BROKEN_LINE = 'DCGM_FI_DEV_VGPU_INSTANCE_IDS{gpu="0"} ERROR - FAILED TO CONVERT TO STRING';
let broken = false;
let dcgm: Server | undefined;

test.describe.configure({ mode: 'serial' });
test.setTimeout(120_000);

let prometheus: PrometheusServer;
let served: ServedConsole;
let simulator: ChildProcess;
let startedAt = 0;
/** Seconds of scrapes before the Latency view is read: rates need requests finished in them. */
const GATHER_S = 45;

test.beforeAll(async () => {
  const metricsPort = await freePort();
  simulator = spawn(
    process.execPath,
    [
      OSPREY,
      'simulate',
      '--nodes',
      String(NODES),
      '--devices-per-node',
      String(DEVICES),
      '--rate',
      '1',
      '--metrics-port',
      String(metricsPort),
      '--engine-flavours',
      FLAVOURS.join(','),
      '--gpu-exporter',
      'both',
      '--mig',
      '1',
      '--no-stdin',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  startedAt = Date.now();
  dcgm = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
    res.end(broken ? `${T4}\n${BROKEN_LINE}\n` : `${T4}\n`);
  });
  await new Promise<void>((r) => dcgm!.listen(0, '127.0.0.1', r));
  prometheus = await startPrometheus({
    targets: [
      { job_name: 'exporters', targets: [`127.0.0.1:${metricsPort}`], scrape_interval: '2s' },
      {
        job_name: 'dcgm-exporter',
        targets: [`127.0.0.1:${(dcgm.address() as AddressInfo).port}`],
        scrape_interval: '2s',
      },
    ],
  });
  await prometheus.waitForData('DCGM_FI_DEV_GPU_UTIL{job="exporters"}');
  await prometheus.waitForData('DCGM_FI_DEV_GPU_UTIL{job="dcgm-exporter"}');
  served = await serveConsole();
  const created = await fetch(`${served.origin}/api/connections`, {
    method: 'POST',
    headers: { authorization: `Bearer ${served.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      name: 'exporters only',
      kind: 'nats',
      auth: 'none',
      prometheus: { url: prometheus.url, auth: 'none' },
    }),
  });
  expect(created.status, await created.clone().text()).toBe(201);
});

test.afterAll(async () => {
  if (simulator && simulator.exitCode === null && simulator.signalCode === null) {
    simulator.kill('SIGTERM');
    await once(simulator, 'exit');
  }
  await served?.stop();
  await prometheus?.stop();
  await new Promise((r) => dcgm?.close(r));
});

async function promQuery(
  query: string,
  time?: number,
): Promise<Array<{ metric: Record<string, string>; value: [number, string] }>> {
  const url = new URL(`${prometheus.url}/api/v1/query`);
  url.searchParams.set('query', query);
  if (time !== undefined) url.searchParams.set('time', String(time / 1000));
  const body = (await (await fetch(url)).json()) as { data: { result: [] } };
  return body.data.result;
}

async function openFleet(page: Page): Promise<void> {
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(served.url);
  await page
    .getByRole('list', { name: 'Cluster connections' })
    .getByRole('button', { name: /^(?!Edit).*exporters only/ })
    .first()
    .click();
  await expect(page.getByTestId('presence')).toHaveText('Live', { timeout: 30_000 });
}

/** A number Prometheus holds, from an instant query answering one series. */
async function promNumber(query: string, time?: number): Promise<number> {
  const [first] = await promQuery(query, time);
  if (!first) throw new Error(`no answer to ${query}`);
  return Number(first.value[1]);
}

async function openDevice(page: Page, node: string, col: number): Promise<string> {
  const heatmap = page.getByTestId('fleet-heatmap');
  await page.getByLabel('Search node, UUID or model').fill(node);
  await expect(heatmap).toHaveAttribute('data-nodes', '1');
  const box = (await heatmap.boundingBox())!;
  const left = Number(await heatmap.getAttribute('data-cells-left'));
  const cell = Number(await heatmap.getAttribute('data-cell'));
  const pitch = Number(await heatmap.getAttribute('data-pitch'));
  await page.mouse.click(box.x + left + col * pitch + cell / 2, box.y + cell / 2);
  const drawer = page.getByTestId('device-drawer');
  await expect(drawer).toHaveAttribute('data-node', new RegExp(`(^|/)${node}$`));
  return (await drawer.getAttribute('data-device'))!;
}

/** A drawer metric's text and the time of the sample it shows (a MIG instance's with `mig`). */
async function drawerValue(
  page: Page,
  metric: string,
  mig?: string,
): Promise<{ text: string; ts: number }> {
  const which = mig === undefined ? ':not([data-mig])' : `[data-mig="${mig}"]`;
  const block = page.getByTestId('device-drawer').locator(`[data-metric="${metric}"]${which}`);
  await expect(block.locator('.value')).not.toHaveText('', { timeout: 20_000 });
  return block.evaluate((el) => ({
    text: el.querySelector('.value')?.textContent ?? '',
    ts: Number(el.getAttribute('data-ts')),
  }));
}

test('the fleet of a Prometheus-only connection holds the devices and values Prometheus holds', async ({
  page,
}) => {
  await openFleet(page);
  // One GPU seen by two exporters (and split by MIG) is one device.
  const gpus = await promNumber('count(count by (UUID) (DCGM_FI_DEV_GPU_UTIL{job="exporters"}))');
  const npus = await promNumber('count(npu_chip_info_utilization)');
  expect(gpus + npus).toBe(NODES * DEVICES);
  const total = gpus + npus + 1; // and the T4 of the dump
  await expect(page.getByTestId('fleet-count')).toHaveText(
    `${total} devices on ${NODES + 1} nodes`,
    { timeout: 30_000 },
  );
  await snapshot(page, 'prometheus-fleet');

  const [npu] = await promQuery('npu_chip_info_utilization{node="node-001"}');
  const [gpu] = await promQuery('DCGM_FI_DEV_GPU_UTIL{job="exporters",GPU_I_ID=""}');
  for (const node of [npu?.metric.node, gpu?.metric.node]) {
    if (node === undefined) continue;
    const device = await openDevice(page, node, 0);
    const nvidia = device.startsWith('GPU-');
    const names: Record<string, [string, 'percent' | 'watts' | 'celsius']> = {
      'device.utilization': [
        nvidia ? 'DCGM_FI_DEV_GPU_UTIL' : 'npu_chip_info_utilization',
        'percent',
      ],
      'device.power': [nvidia ? 'DCGM_FI_DEV_POWER_USAGE' : 'npu_chip_info_power', 'watts'],
      'device.temperature': [
        nvidia ? 'DCGM_FI_DEV_GPU_TEMP' : 'npu_chip_info_temperature',
        'celsius',
      ],
    };
    for (const [metric, [name, unit]] of Object.entries(names)) {
      const shown = await drawerValue(page, metric);
      const selector = `${name}{${nvidia ? 'UUID' : 'vdie_id'}="${device}"}`;
      // The sample Prometheus holds at the time the console says its value is from.
      expect(await promNumber(`timestamp(${selector})`, shown.ts), `${metric} time`).toBe(
        shown.ts / 1000,
      );
      expect(shown.text, metric).toBe(formatValue(await promNumber(selector, shown.ts), unit));
    }
    await snapshot(page, `prometheus-fleet-drawer-${nvidia ? 'gpu' : 'npu'}`);
    await page.getByRole('button', { name: 'Close device details' }).click();
  }
});

test("a MIG GPU's memory is the sum of its instances' in Prometheus", async ({ page }) => {
  // The drawer's history asks whole steps of the last hour: give Prometheus a few of them.
  const wait = GATHER_S * 1000 - (Date.now() - startedAt);
  if (wait > 0) await page.waitForTimeout(wait);
  await openFleet(page);
  const [mig] = await promQuery('DCGM_FI_DEV_FB_USED{GPU_I_ID!=""}');
  expect(mig, 'the simulator partitioned one node').toBeDefined();
  const node = mig!.metric.node!;
  const uuid = mig!.metric.UUID!;
  const index = Number(mig!.metric.gpu);
  const device = await openDevice(page, node, index);
  expect(device).toBe(uuid);
  const shown = await drawerValue(page, 'device.memory.used');
  const mib = await promNumber(`sum(DCGM_FI_DEV_FB_USED{UUID="${uuid}"})`, shown.ts);
  const instances = await promQuery(`DCGM_FI_DEV_FB_USED{UUID="${uuid}"}`, shown.ts);
  expect(instances.length).toBeGreaterThan(1);
  expect(shown.text).toBe(formatValue(mib * 1024 * 1024, 'bytes'));
  // And each instance on its own, as Prometheus holds it.
  for (const instance of instances) {
    const own = await drawerValue(page, 'device.memory.used', instance.metric.GPU_I_ID);
    const held = await promNumber(
      `DCGM_FI_DEV_FB_USED{UUID="${uuid}",GPU_I_ID="${instance.metric.GPU_I_ID}"}`,
      own.ts,
    );
    expect(own.text, `MIG ${instance.metric.GPU_I_ID}`).toBe(
      formatValue(held * 1024 * 1024, 'bytes'),
    );
  }
  // The drawer's Prometheus history of the same device: the sum too, at its last point.
  const history = page
    .getByTestId('device-history')
    .locator('[data-history-metric="device.memory.used"]');
  await expect(history).toHaveClass(/state-(fresh|stale)/, { timeout: 30_000 });
  const last = Number(await history.getAttribute('data-ts'));
  const summed = await promNumber(`sum(DCGM_FI_DEV_FB_USED{UUID="${uuid}"})`, last);
  await expect(history.locator('.value')).toHaveText(formatValue(summed * 1024 * 1024, 'bytes'));
  await page.getByTestId('device-history').scrollIntoViewIfNeeded();
  await snapshot(page, 'prometheus-fleet-mig');
});

test('the engines table lists every engine Prometheus holds, of every flavour', async ({
  page,
}) => {
  await openFleet(page);
  const running = await promQuery(
    '{__name__=~"vllm:num_requests_running|ray_vllm:num_requests_running|num_requests_running|sglang:num_running_reqs|tgi_batch_current_size"}',
  );
  await page.getByRole('tab', { name: 'Engines' }).click();
  const rows = page.getByRole('table', { name: 'Engines' }).locator('tbody tr');
  await expect(rows).toHaveCount(running.length, { timeout: 30_000 });
  const text = await rows.allInnerTexts();
  for (const label of ['vLLM', 'vLLM (Ray Serve)', 'NIM', 'SGLang', 'TGI']) {
    expect(
      text.some((t) => t.includes(label)),
      label,
    ).toBe(true);
  }
  await snapshot(page, 'prometheus-engines');
});

test('the Latency view reads every engine flavour of a Prometheus-only cluster', async ({
  page,
}) => {
  const wait = GATHER_S * 1000 - (Date.now() - startedAt);
  if (wait > 0) await page.waitForTimeout(wait);
  await openFleet(page);
  await page.getByRole('tab', { name: 'Latency' }).click();
  const family = page.getByLabel('Engine family');
  await expect(family).toBeEnabled({ timeout: 30_000 });
  const labels = await family.locator('option').allInnerTexts();
  expect(labels).toEqual(['vLLM', 'vLLM (Ray Serve)', 'NIM', 'SGLang', 'TGI']);
  for (const label of labels) {
    await family.selectOption({ label });
    const e2e = page.getByTestId('latency-panel-e2e');
    await expect(e2e, label).toHaveAttribute('data-state', 'ready', { timeout: 30_000 });
    const p50 = Number(await e2e.locator('[data-series="p50"]').first().getAttribute('data-value'));
    expect(p50, `${label} e2e p50`).toBeGreaterThan(0);
    await snapshot(page, `prometheus-latency-${label.replace(/\W+/g, '-').toLowerCase()}`);
  }
});

test("a target whose exposition fails to parse shows as down with Prometheus's own error", async ({
  page,
}) => {
  await openFleet(page);
  await openDevice(page, T4_HOST, 0);
  broken = true;
  let lastError = '';
  await expect
    .poll(
      async () => {
        const r = await fetch(`${prometheus.url}/api/v1/targets`);
        const body = (await r.json()) as {
          data: {
            activeTargets: Array<{ labels: { job: string }; health: string; lastError: string }>;
          };
        };
        const t = body.data.activeTargets.find((x) => x.labels.job === 'dcgm-exporter');
        lastError = t?.lastError ?? '';
        return t?.health;
      },
      { timeout: 20_000 },
    )
    .toBe('down');
  const block = page.getByTestId('device-drawer').locator('[data-metric="device.utilization"]');
  await expect(block).toContainText(lastError.slice(0, 40), { timeout: 30_000 });
  await snapshot(page, 'prometheus-fleet-target-down');
});
