/**
 * The latency view against a real Prometheus scraping the real simulator's /metrics (1 s scrape),
 * with the same simulator publishing to a real nats-server for the live edge, through the real
 * `osprey serve`: every panel reaches `ready` with values in the ranges the simulator's log-normal
 * latency model allows (collector/simulator/latency.ts), the selectors and range switch, a drag
 * on a chart zooms to an absolute range and "Back" returns to the window it left from the cache (no
 * request), and with Prometheus stopped one banner says why, once. Screenshots land in
 * test-results/e2e/screenshots/.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

import { expect, test, type Page } from '@playwright/test';

import { freePort } from '../collector/testing/freePort.js';
import { startNatsServer, type NatsServer } from '../collector/testing/natsServer.js';
import { startPrometheus, type PrometheusServer } from '../collector/testing/prometheusServer.js';
import { serveConsole, type ServedConsole } from './support/osprey.js';
import { snapshot } from './support/page.js';

const OSPREY = fileURLToPath(new URL('../collector/bin/osprey.js', import.meta.url));
/** Seconds of scrapes gathered before the first look: a 5 min chart with a minute of lines. */
const GATHER_S = 60;
const PANELS = [
  'ttft',
  'inter_token',
  'e2e',
  'stages',
  'heatmap',
  'tokens',
  'requests',
  'kvCache',
  'preemptions',
  'prefixCache',
  'finishReasons',
];

test.describe.configure({ mode: 'serial' });
test.setTimeout(150_000);

let nats: NatsServer;
let prometheus: PrometheusServer;
let served: ServedConsole;
let simulator: ChildProcess;
let startedAt = 0;

test.beforeAll(async () => {
  const metricsPort = await freePort();
  nats = await startNatsServer({ websocket: true });
  simulator = spawn(
    process.execPath,
    [
      OSPREY,
      'simulate',
      '--nodes',
      '4',
      '--devices-per-node',
      '2',
      '--rate',
      '1',
      '--metrics-port',
      String(metricsPort),
      '--nats',
      nats.url,
      '--no-stdin',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  startedAt = Date.now();
  prometheus = await startPrometheus({
    targets: [`127.0.0.1:${metricsPort}`],
    scrapeInterval: '1s',
  });
  served = await serveConsole();
  const created = await fetch(`${served.origin}/api/connections`, {
    method: 'POST',
    headers: { authorization: `Bearer ${served.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      name: 'sim',
      kind: 'nats',
      natsUrl: nats.wsUrl,
      auth: 'none',
      cluster: 'sim-0',
      prometheus: { url: prometheus.url, auth: 'none' },
    }),
  });
  expect(created.status, await created.clone().text()).toBe(201);
  await prometheus.waitForData('vllm:time_to_first_token_seconds_count');
});

test.afterAll(async () => {
  if (simulator && simulator.exitCode === null && simulator.signalCode === null) {
    simulator.kill('SIGTERM');
    await once(simulator, 'exit');
  }
  await served?.stop();
  await prometheus?.stop();
  await nats?.stop();
});

async function openLatency(page: Page): Promise<void> {
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(served.url);
  await page
    .getByRole('list', { name: 'Cluster connections' })
    .getByRole('button', { name: /^(?!Edit).*sim .* · sim-0/ })
    .click();
  await page.getByRole('tab', { name: 'Latency' }).click();
  // The selectors work at once; their lists fill in as they arrive ("loading…" until then).
  await expect(page.getByLabel('Model', { exact: true })).toBeEnabled({ timeout: 30_000 });
  await expect(page.getByTestId('latency-models-loading')).toHaveCount(0, { timeout: 30_000 });
  await expect(page.getByTestId('latency-instances-loading')).toHaveCount(0, { timeout: 30_000 });
}

/**
 * The Latency view's Prometheus queries the page sends from now on (through the local server's
 * proxy): its range queries and its traffic query, not other views' polling.
 */
function watchQueries(page: Page): string[] {
  const sent: string[] = [];
  page.on('request', (r) => {
    const url = new URL(r.url());
    const query = url.searchParams.get('query') ?? '';
    if (
      url.pathname.endsWith('/prometheus/query_range') ||
      (url.pathname.endsWith('/prometheus/query') && query.startsWith('sum by (instance, node'))
    )
      sent.push(query);
  });
  return sent;
}

async function expectAllSettled(page: Page, state = /ready|unavailable/): Promise<void> {
  for (const id of PANELS) {
    await expect(page.getByTestId(`latency-panel-${id}`), id).toHaveAttribute('data-state', state, {
      timeout: 30_000,
    });
  }
}

/** The newest value a panel shows for one series (seconds, %, tokens/s …, as in data-value). */
async function latest(page: Page, panel: string, series: string): Promise<number> {
  const el = page.getByTestId(`latency-panel-${panel}`).locator(`[data-series="${series}"]`);
  return Number(await el.getAttribute('data-value'));
}

test('every panel fills from Prometheus with plausible values', async ({ page }) => {
  const wait = GATHER_S * 1000 - (Date.now() - startedAt);
  if (wait > 0) await page.waitForTimeout(wait);
  await openLatency(page);
  await page.getByLabel('Range', { exact: true }).selectOption('5m');
  await expectAllSettled(page);
  // vLLM's simulator has every stage histogram: nothing is unavailable.
  for (const id of ['ttft', 'inter_token', 'e2e', 'stages', 'heatmap', 'requests', 'kvCache']) {
    await expect(page.getByTestId(`latency-panel-${id}`)).toHaveAttribute('data-state', 'ready');
  }
  // Medians of the model: TTFT tens to hundreds of ms, inter-token ms to tens of ms, e2e seconds.
  const p50 = await latest(page, 'ttft', 'p50');
  const p90 = await latest(page, 'ttft', 'p90');
  const p99 = await latest(page, 'ttft', 'p99');
  expect(p50).toBeGreaterThan(0.001);
  expect(p50).toBeLessThan(5);
  expect(p50).toBeLessThanOrEqual(p90);
  expect(p90).toBeLessThanOrEqual(p99);
  const itl = await latest(page, 'inter_token', 'p50');
  expect(itl).toBeGreaterThan(0.001);
  expect(itl).toBeLessThan(0.5);
  expect(await latest(page, 'e2e', 'p50')).toBeGreaterThan(p50);
  const kv = await latest(page, 'kvCache', 'mean');
  expect(kv).toBeGreaterThanOrEqual(0);
  expect(kv).toBeLessThanOrEqual(100);
  expect(await latest(page, 'requests', 'running')).toBeGreaterThan(0);
  await expect(page.getByTestId('latency-panel-inter_token')).toContainText(
    'vllm:inter_token_latency_seconds (vLLM ≥0.11)',
  );
  const marks = await page.evaluate(
    () => performance.getEntriesByName('osprey:latency-settled').length,
  );
  expect(marks).toBeGreaterThan(0);
  await snapshot(page, 'latency-view');
});

test('switches model, instance and range', async ({ page }) => {
  await openLatency(page);
  await page.getByLabel('Range', { exact: true }).selectOption('15m');
  await expectAllSettled(page);
  const models = await page
    .getByLabel('Model', { exact: true })
    .locator('option')
    .allTextContents();
  expect(models.length).toBeGreaterThan(1);
  await page.getByLabel('Model', { exact: true }).selectOption({ index: 1 });
  await expectAllSettled(page, /ready|empty|unavailable/);
  await expect(page.getByTestId('latency-panel-ttft')).toHaveAttribute('data-state', 'ready');
  await page.getByLabel('Instance', { exact: true }).selectOption({ index: 1 });
  await expectAllSettled(page, /ready|empty|unavailable/);
  await expect(page.getByTestId('latency-panel-requests')).toHaveAttribute('data-state', 'ready');
  await snapshot(page, 'latency-one-instance');
});

test('a drag on a chart zooms in, and Back returns to the same values without a request', async ({
  page,
}) => {
  await openLatency(page);
  await page.getByLabel('Range', { exact: true }).selectOption('5m');
  await expectAllSettled(page);
  const SHOWN = [
    ['ttft', 'p50'],
    ['ttft', 'p99'],
    ['e2e', 'p90'],
    ['tokens', 'generation'],
  ] as const;
  const before: number[] = [];
  for (const [panel, series] of SHOWN) before.push(await latest(page, panel, series));
  const sent = watchQueries(page);
  const chart = page.getByTestId('latency-panel-ttft').getByRole('img');
  const box = (await chart.boundingBox())!;
  const y = box.y + box.height / 2;
  await page.mouse.move(box.x + box.width * 0.55, y);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.75, y, { steps: 8 });
  await page.mouse.move(box.x + box.width * 0.9, y, { steps: 8 });
  await page.mouse.up();
  await expect(page.getByRole('button', { name: '← Back' })).toBeVisible();
  await expect(page.getByLabel('Auto-refresh')).toBeDisabled();
  await expectAllSettled(page, /ready|empty|unavailable/);
  await snapshot(page, 'latency-zoomed');
  expect(sent.length, 'the zoomed window is asked for').toBeGreaterThan(0);
  // Past the 5 min window's step (2 s at this width): "last 5 min" re-read at now would be a new
  // window with new keys; Back must read the window it left.
  await page.waitForTimeout(2_500);
  sent.length = 0;
  await page.getByRole('button', { name: '← Back' }).click();
  await expect(page.getByLabel('Range', { exact: true })).toHaveValue('5m');
  await expectAllSettled(page);
  const after: number[] = [];
  for (const [panel, series] of SHOWN) after.push(await latest(page, panel, series));
  expect(after).toEqual(before);
  // Give a late request the time to show up: none may, the window's answers are cached.
  await page.waitForTimeout(500);
  expect(sent, 'Back asks Prometheus nothing').toEqual([]);
});

test('the device drawer shows the device history Prometheus holds', async ({ page }) => {
  await openLatency(page);
  await page.getByRole('tab', { name: 'Fleet' }).click();
  const heatmap = page.getByTestId('fleet-heatmap');
  await expect(heatmap).toHaveAttribute('data-cells', '8', { timeout: 30_000 });
  const box = (await heatmap.boundingBox())!;
  const left = Number(await heatmap.getAttribute('data-cells-left'));
  const cell = Number(await heatmap.getAttribute('data-cell'));
  await page.mouse.click(box.x + left + cell / 2, box.y + cell / 2);
  const history = page.getByTestId('device-history');
  // The simulator's exporter series for this device (DCGM or NPU exporter names, per its vendor).
  const utilization = history.locator('[data-history-metric="device.utilization"]');
  await expect(utilization).toHaveClass(/state-(fresh|stale)/, { timeout: 30_000 });
  await expect(utilization.locator('.value')).toHaveText(/^\d+(\.\d+)? %$/);
  await history.scrollIntoViewIfNeeded();
  await snapshot(page, 'latency-device-history');
});

test('a snapshot recorded from the Latency view shows the same latencies offline', async ({
  page,
}) => {
  await openLatency(page);
  await page.getByLabel('Range', { exact: true }).selectOption('5m');
  await expectAllSettled(page);
  const PANEL_SERIES = [
    ['ttft', 'p50'],
    ['ttft', 'p99'],
    ['inter_token', 'p50'],
    ['e2e', 'p50'],
  ] as const;
  const shown: number[] = [];
  for (const [panel, series] of PANEL_SERIES) shown.push(await latest(page, panel, series));
  await page.getByRole('button', { name: 'Record', exact: true }).click();
  await page.getByRole('button', { name: 'Start recording' }).click();
  await expect(page.getByTestId('record-indicator')).toContainText(/REC 0:0[2-9]/, {
    timeout: 15_000,
  });
  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Stop' }).click();
  const file = await (await downloading).path();

  // Offline: Prometheus is not asked again (the file's answers are the only ones).
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Open recording…' }).click();
  await (await chooser).setFiles(file);
  await expect(page.getByTestId('recording-title')).toHaveText(/^Recording of sim-0, /);
  await page.getByRole('tab', { name: 'Latency' }).click();
  // The 5 min range travelled in the URL; the recording's window ends at recording time.
  await expect(page.getByLabel('Range', { exact: true })).toHaveValue('5m');
  for (const [panel] of PANEL_SERIES) {
    await expect(page.getByTestId(`latency-panel-${panel}`), panel).toHaveAttribute(
      'data-state',
      'ready',
      { timeout: 30_000 },
    );
  }
  const offline: number[] = [];
  for (const [panel, series] of PANEL_SERIES) offline.push(await latest(page, panel, series));
  expect(offline).toEqual(shown);
  await snapshot(page, 'latency-recording');
});

test('says once, in one banner, when Prometheus is gone', async ({ page }) => {
  await openLatency(page);
  await page.getByLabel('Range', { exact: true }).selectOption('5m');
  await expectAllSettled(page);
  await prometheus.stop();
  await page.getByRole('button', { name: 'Refresh now' }).click();
  const banner = page.getByTestId('latency-server-error');
  await expect(banner).toHaveCount(1, { timeout: 30_000 });
  await expect(banner).toContainText(/refused|reach/i);
  await expect(banner.getByRole('button', { name: 'Retry' })).toBeVisible();
  const text = (await banner.locator('span').textContent())!;
  // Every panel that was asked again says "not loaded" (or "not refreshed" over the chart it
  // held), and no panel repeats the banner's error.
  await expectAllSettled(page, /not-loaded|unavailable/);
  await expect(page.getByTestId('latency-panel-ttft')).toHaveAttribute('data-state', 'not-loaded');
  await expect(page.getByTestId('latency-panel-ttft')).toContainText('Not refreshed');
  await expect(page.getByText(text, { exact: false })).toHaveCount(1);
  await expect(page.locator('[data-testid^="latency-panel-"] [role="alert"]')).toHaveCount(0);
  await snapshot(page, 'latency-prometheus-down');
  // Retry asks again (and fails again: Prometheus is still down); still one banner.
  await banner.getByRole('button', { name: 'Retry' }).click();
  await expect(banner).toHaveCount(1);
});
