/**
 * A cluster that runs only exporters and Prometheus (issue 12): a real `prometheus` scrapes the
 * real simulator's /metrics (DCGM exporter, NPU exporter and engine names), and a connection with
 * a Prometheus URL and no NATS URL shows the live fleet from it. The values on screen are checked
 * against Prometheus's own API at the sample time the console shows, so they must be the very
 * samples Prometheus holds; the engines table lists the engines Prometheus holds.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

import { expect, test, type Page } from '@playwright/test';

import { freePort } from '../collector/testing/freePort.js';
import { startPrometheus, type PrometheusServer } from '../collector/testing/prometheusServer.js';
import { formatValue } from '../renderer/src/lib/format.js';
import { serveConsole, type ServedConsole } from './support/osprey.js';
import { snapshot } from './support/page.js';

const OSPREY = fileURLToPath(new URL('../collector/bin/osprey.js', import.meta.url));
const NODES = 4;
const DEVICES = 2;

test.describe.configure({ mode: 'serial' });
test.setTimeout(120_000);

let prometheus: PrometheusServer;
let served: ServedConsole;
let simulator: ChildProcess;

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
      '--no-stdin',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  prometheus = await startPrometheus({
    targets: [
      { job_name: 'exporters', targets: [`127.0.0.1:${metricsPort}`], scrape_interval: '2s' },
    ],
  });
  await prometheus.waitForData('DCGM_FI_DEV_GPU_UTIL');
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

test('the fleet of a Prometheus-only connection holds the devices and values Prometheus holds', async ({
  page,
}) => {
  await openFleet(page);
  const devices = await promQuery(
    'count({__name__=~"DCGM_FI_DEV_GPU_UTIL|npu_chip_info_utilization"})',
  );
  const total = Number(devices[0]!.value[1]);
  expect(total).toBe(NODES * DEVICES);
  await expect(page.getByTestId('fleet-count')).toHaveText(`${total} devices on ${NODES} nodes`, {
    timeout: 30_000,
  });
  await snapshot(page, 'prometheus-fleet');

  const heatmap = page.getByTestId('fleet-heatmap');
  await page.getByLabel('Search node, UUID or model').fill('node-001');
  await expect(heatmap).toHaveAttribute('data-nodes', '1');
  const box = (await heatmap.boundingBox())!;
  const left = Number(await heatmap.getAttribute('data-cells-left'));
  const cell = Number(await heatmap.getAttribute('data-cell'));
  await page.mouse.click(box.x + left + cell / 2, box.y + cell / 2);
  const drawer = page.getByTestId('device-drawer');
  // No cluster on the connection: node names are qualified by the series' `cluster` label.
  await expect(drawer).toHaveAttribute('data-node', 'sim-0/node-001');
  const device = (await drawer.getAttribute('data-device'))!;
  const uuidLabel = device.startsWith('GPU-') ? 'UUID' : 'vdie_id';
  const names: Record<string, [string, number, 'percent' | 'watts' | 'celsius']> = {
    'device.utilization': [
      device.startsWith('GPU-') ? 'DCGM_FI_DEV_GPU_UTIL' : 'npu_chip_info_utilization',
      1,
      'percent',
    ],
    'device.power': [
      device.startsWith('GPU-') ? 'DCGM_FI_DEV_POWER_USAGE' : 'npu_chip_info_power',
      1,
      'watts',
    ],
    'device.temperature': [
      device.startsWith('GPU-') ? 'DCGM_FI_DEV_GPU_TEMP' : 'npu_chip_info_temperature',
      1,
      'celsius',
    ],
  };
  for (const [metric, [name, scale, unit]] of Object.entries(names)) {
    const block = drawer.locator(`[data-metric="${metric}"]`);
    await expect(block.locator('.value')).not.toHaveText('', { timeout: 20_000 });
    const shown = await block.evaluate((el) => ({
      text: el.querySelector('.value')?.textContent ?? '',
      ts: Number(el.getAttribute('data-ts')),
    }));
    const selector = `${name}{${uuidLabel}="${device}"}`;
    // The sample Prometheus holds at the time the console says its value is from.
    const [held] = await promQuery(`timestamp(${selector})`, shown.ts);
    const [value] = await promQuery(selector, shown.ts);
    expect(Number(held!.value[1]) * 1000, `${metric}: the sample's own time`).toBe(shown.ts);
    expect(shown.text, metric).toBe(formatValue(Number(value!.value[1]) * scale, unit));
  }
  await snapshot(page, 'prometheus-fleet-drawer');
});

test('the engines table lists every engine instance Prometheus holds', async ({ page }) => {
  await openFleet(page);
  const engines = await promQuery('vllm:num_requests_running or sglang:num_running_reqs');
  await page.getByRole('tab', { name: 'Engines' }).click();
  const rows = page.getByRole('table', { name: /engine/i }).locator('tbody tr');
  await expect(rows).toHaveCount(engines.length, { timeout: 30_000 });
  await snapshot(page, 'prometheus-engines');
});
