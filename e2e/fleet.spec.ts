/**
 * The fleet view at fleet scale, against the real nats-server (WebSocket), the real simulator and
 * the real `osprey serve`: 512 nodes × 8 devices at 2 Hz must show as 4,096 cells holding the
 * values this test receives itself from NATS for the same node, device and tick; the Engines
 * table lists the simulator's engines; when the simulator stops, cells fade and say how old they
 * are. Screenshots of every state land in test-results/e2e/screenshots/.
 *
 * 2 Hz is ~130k samples/s. With one JSON object per sample (~15 KB a node) a 2-core machine's
 * Chromium could not take that in and fell seconds behind, until nats-server cut it off as a slow
 * consumer; metrics grids (~3.6 KB a node, protocol spec.ts) are what make it hold (BENCHMARKS.md,
 * "Live ingest").
 */
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';

import { connect, type NatsConnection } from '@nats-io/transport-node';
import { expect, test, type Page } from '@playwright/test';

import { metricsSamples } from '../collector/core/protocol/grids.js';
import type { MetricsMessage } from '../collector/core/protocol/spec.js';
import { subjectFor } from '../collector/core/protocol/subjects.js';
import { startNatsServer, type NatsServer } from '../collector/testing/natsServer.js';
import { formatValue } from '../renderer/src/lib/format.js';
import { serveConsole, type ServedConsole } from './support/osprey.js';
import { saveConnection, spawnSimulator } from './support/cluster.js';
import { snapshot } from './support/page.js';

const CLUSTER = 'sim-0';
/** Nodes whose messages this test keeps, to check the cells against. */
const WATCHED = ['node-017', 'node-300', 'node-511'];

type Published = MetricsMessage;

test.describe.configure({ mode: 'serial' });
// A trace's screencast (a JPEG of this 4,096-cell page per frame) costs Chromium the CPU it needs
// to keep up: with it the page fell ~0.5 s further behind its senders every second (13 s behind
// after 25 s, then cut off by nats-server as a slow consumer); with DOM snapshots alone it stays
// current. Failures still keep a trace, without the filmstrip.
test.use({ trace: { mode: 'retain-on-failure', screenshots: false, snapshots: true } });
// The simulator's first ticks, 4,096 cells' worth of series, and a 2-core machine.
test.setTimeout(120_000);

let nats: NatsServer;
let served: ServedConsole;
let simulator: ChildProcess;
let listener: NatsConnection;
const published = new Map<string, Published[]>();

test.beforeAll(async () => {
  nats = await startNatsServer({ websocket: true });
  served = await serveConsole();
  listener = await connect({ servers: nats.url });
  for (const node of WATCHED) {
    const list: Published[] = [];
    published.set(node, list);
    listener.subscribe(subjectFor('metrics', CLUSTER, node), {
      callback: (_err, msg) => {
        list.push(msg.json<Published>());
        if (list.length > 120) list.shift();
      },
    });
  }
  const created = await saveConnection(served, {
    name: 'fleet',
    natsUrl: nats.wsUrl!,
    cluster: CLUSTER,
  });
  expect(created.status).toBe(201);
  simulator = spawnSimulator({
    natsUrl: nats.url,
    nodes: 512,
    devicesPerNode: 8,
    rate: 2,
    seed: 1,
    inventoryEvery: '5s',
    faults: 'at=2s node=node-005 kind=thermal duration=10m',
  });
});

test.afterAll(async () => {
  await stopSimulator();
  await listener?.close();
  await served?.stop();
  await nats?.stop();
});

async function stopSimulator(): Promise<void> {
  if (!simulator || simulator.exitCode !== null || simulator.signalCode !== null) return;
  simulator.kill('SIGTERM');
  await once(simulator, 'exit');
}

async function openFleet(page: Page): Promise<void> {
  await page.goto(served.url);
  await page
    .getByRole('list', { name: 'Cluster connections' })
    .getByRole('button', { name: /^(?!Edit).*fleet .* · sim-0/ })
    .click();
  await expect(page.getByTestId('presence')).toHaveText('Live');
  await expect(page.getByTestId('fleet-heatmap')).toHaveAttribute('data-cells', '4096', {
    timeout: 30_000,
  });
}

/** Clicks the cell in column `col` of the only row left after searching for `node`. */
async function openDevice(page: Page, node: string, col: number): Promise<void> {
  await page.getByLabel('Search node, UUID or model').fill(node);
  const heatmap = page.getByTestId('fleet-heatmap');
  await expect(heatmap).toHaveAttribute('data-nodes', '1');
  const box = (await heatmap.boundingBox())!;
  const left = Number(await heatmap.getAttribute('data-cells-left'));
  const cell = Number(await heatmap.getAttribute('data-cell'));
  const pitch = Number(await heatmap.getAttribute('data-pitch'));
  await page.mouse.click(box.x + left + col * pitch + cell / 2, box.y + cell / 2);
  await expect(page.getByTestId('device-drawer')).toHaveAttribute('data-node', node);
}

/** A metric's text in the drawer and the sender time of the value it shows, read together. */
async function drawerValue(page: Page, metric: string): Promise<{ text: string; ts: number }> {
  const block = page.getByTestId('device-drawer').locator(`[data-metric="${metric}"]`);
  return block.evaluate((el) => ({
    text: el.querySelector('.value')?.textContent ?? '',
    ts: Number(el.getAttribute('data-ts')),
  }));
}

test('shows 4,096 cells holding the values the simulator published', async ({ page }) => {
  await openFleet(page);
  await expect(page.getByTestId('fleet-count')).toHaveText('4,096 devices on 512 nodes');
  await expect(page.getByTestId('summary-devices')).toContainText('4,096 devices on 512 nodes');
  await expect(page.getByTestId('summary-power')).toContainText(/ k?MW|kW/);
  await snapshot(page, 'fleet-overview');

  for (const [i, node] of WATCHED.entries()) {
    await openDevice(page, node, 3 + i);
    const device = await page.getByTestId('device-drawer').getAttribute('data-device');
    for (const metric of ['device.utilization', 'device.power', 'device.temperature']) {
      const shown = await drawerValue(page, metric);
      const message = published.get(node)!.find((m) => m.ts === shown.ts);
      expect(message, `${node} ${metric}: a message stamped ${shown.ts}`).toBeDefined();
      const sample = metricsSamples(message!).find((s) => s.m === metric && s.d === device);
      expect(sample?.v, `${node} ${device} ${metric}`).not.toBeNull();
      const unit =
        metric === 'device.utilization'
          ? 'percent'
          : metric === 'device.power'
            ? 'watts'
            : 'celsius';
      expect(shown.text).toBe(formatValue(sample!.v!, unit));
    }
    if (i === 0) await snapshot(page, 'fleet-drawer');
    await page.getByRole('button', { name: 'Close device details' }).click();
  }
});

test('a device that fell off the bus reads as no data, not as zero', async ({ page }) => {
  await openFleet(page);
  await page.getByLabel('Search node, UUID or model').fill('node-000');
  const heatmap = page.getByTestId('fleet-heatmap');
  await expect(heatmap).toHaveAttribute('data-nodes', '1');
  // Injected now, while the console listens: events reach the consoles connected at the time.
  listener.publish('osprey.sim.control', 'node=node-000 device=2 kind=xid79');
  // The keyboard way in: the heatmap takes focus, Home picks the first device, arrows move.
  await page.getByRole('application', { name: /Fleet heatmap/ }).focus();
  await page.keyboard.press('Home');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  const drawer = page.getByTestId('device-drawer');
  await expect(drawer.getByRole('heading', { level: 2 })).toHaveText('node-000 · GPU 2');
  await expect(drawer.locator('[data-metric="device.utilization"] .value')).toHaveText(/^no data/, {
    timeout: 15_000,
  });
  await expect(drawer.getByRole('region', { name: 'Device events' })).toContainText('79');
  await snapshot(page, 'fleet-drawer-xid79');
});

test('groups by health and filters by vendor', async ({ page }) => {
  await openFleet(page);
  await page.getByLabel('Group by').selectOption('health');
  await page.getByLabel('Colour by').selectOption('device.temperature');
  await expect(page.getByLabel(/Colour scale from 20 °C to 100 °C/)).toBeVisible();
  await snapshot(page, 'fleet-grouped-health');
  await page.getByLabel('Filter by vendor').selectOption('ascend');
  await expect(page.getByTestId('fleet-count')).toHaveText(/^[\d,]+ of 4,096 devices match/);
  await snapshot(page, 'fleet-filtered-ascend');
});

test('lists every engine instance, live and sortable', async ({ page }) => {
  await openFleet(page);
  await page.getByRole('tab', { name: 'Engines' }).click();
  await expect(page.getByTestId('engines-count')).toHaveText(/^\d[\d,]* instances$/);
  const header = page.getByRole('columnheader', { name: /KV cache/ });
  await header.getByRole('button').click();
  await expect(header).toHaveAttribute('aria-sort', 'descending');
  const first = page
    .getByRole('table', { name: 'Engines' })
    .locator('tbody tr[data-engine]')
    .first();
  await expect(first.locator('[data-metric="engine.kv_cache.usage"]')).toHaveText(/ %$/);
  await expect(first.locator('[data-metric="engine.tokens.generation"]')).toHaveText(/ tok\/s$/);
  await snapshot(page, 'fleet-engines');
});

test('fades cells and says how old they are once the simulator stops', async ({ page }) => {
  await openFleet(page);
  const heatmap = page.getByTestId('fleet-heatmap');
  const alphaOfFirstValueCell = () =>
    heatmap.evaluate((canvas: HTMLCanvasElement) => {
      const left = Number(canvas.dataset.cellsLeft);
      const cell = Number(canvas.dataset.cell);
      const pitch = Number(canvas.dataset.pitch);
      const ratio = canvas.width / canvas.clientWidth;
      // Column 4 of the first row: node-000's GPU 2 is down, so stay clear of it.
      const x = Math.round((left + 4 * pitch + cell / 2) * ratio);
      const y = Math.round((cell / 2) * ratio);
      return canvas.getContext('2d')!.getImageData(x, y, 1, 1).data[3]!;
    });
  await expect.poll(alphaOfFirstValueCell).toBe(255);
  await stopSimulator();
  await expect.poll(alphaOfFirstValueCell, { timeout: 20_000 }).toBeLessThan(128);

  const box = (await heatmap.boundingBox())!;
  const left = Number(await heatmap.getAttribute('data-cells-left'));
  const cell = Number(await heatmap.getAttribute('data-cell'));
  const pitch = Number(await heatmap.getAttribute('data-pitch'));
  await page.mouse.move(box.x + left + 4 * pitch + cell / 2, box.y + cell / 2);
  await expect(page.getByRole('tooltip')).toContainText(/stale: \d+ s old/);
  await expect(page.getByTestId('summary-utilization')).toContainText('no current data');
  await snapshot(page, 'fleet-stale');
});
