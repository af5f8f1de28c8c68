/**
 * Record from the console, end to end: the real nats-server, simulator and `osprey serve`; the
 * cluster page's Record → Start recording, ~5 s, Stop; the download intercepted and read back with
 * `osprey snapshot info --json`: the simulator's nodes, and exactly as many messages as the console
 * says it took. Then "save the last 1 min" from the flight recorder. Screenshots of the controls
 * land in test-results/e2e/screenshots/.
 */
import { execFile, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';

import { expect, test, type Download, type Page } from '@playwright/test';

import { startNatsServer, type NatsServer } from '../collector/testing/natsServer.js';
import { serveConsole, type ServedConsole } from './support/osprey.js';
import { saveConnection, spawnSimulator } from './support/cluster.js';
import { snapshot } from './support/page.js';

const OSPREY = fileURLToPath(new URL('../collector/bin/osprey.js', import.meta.url));
const CLUSTER = 'sim-0';
const NODES = 6;
const run = promisify(execFile);

interface Info {
  complete: boolean;
  metadata: Record<string, string>;
  messages: { inventory: number; metrics: number; events: number };
  nodes: string[];
}

test.describe.configure({ mode: 'serial' });
test.setTimeout(90_000);

let nats: NatsServer;
let served: ServedConsole;
let simulator: ChildProcess;

test.beforeAll(async () => {
  nats = await startNatsServer({ websocket: true });
  served = await serveConsole();
  const created = await saveConnection(served, {
    name: 'recorded',
    natsUrl: nats.wsUrl!,
    cluster: CLUSTER,
  });
  expect(created.status).toBe(201);
  simulator = spawnSimulator({
    natsUrl: nats.url,
    nodes: NODES,
    devicesPerNode: 2,
    rate: 2,
    seed: 1,
    inventoryEvery: '5s',
  });
});

test.afterAll(async () => {
  if (simulator && simulator.exitCode === null && simulator.signalCode === null) {
    simulator.kill('SIGTERM');
    await once(simulator, 'exit');
  }
  await served?.stop();
  await nats?.stop();
});

async function openCluster(page: Page): Promise<void> {
  await page.goto(served.url);
  await page
    .getByRole('list', { name: 'Cluster connections' })
    .getByRole('button', { name: /^(?!Edit).*recorded .* · sim-0/ })
    .click();
  await expect(page.getByTestId('presence')).toHaveText('Live');
  await expect(page.getByTestId('fleet-heatmap')).toHaveAttribute('data-nodes', String(NODES), {
    timeout: 30_000,
  });
}

async function info(download: Download): Promise<Info> {
  const file = await download.path();
  const { stdout } = await run(process.execPath, [OSPREY, 'snapshot', 'info', '--json', file]);
  return JSON.parse(stdout) as Info;
}

/** The message count in "Saved NAME (SIZE, N messages)". */
async function savedCount(page: Page): Promise<number> {
  const status = page.getByRole('status').filter({ hasText: /^Saved / });
  await expect(status).toBeVisible();
  const m = /, ([\d,]+) messages\)$/.exec((await status.textContent()) ?? '');
  expect(m).not.toBeNull();
  return Number(m![1]!.replace(/,/g, ''));
}

test('Record 5 s then Stop downloads a snapshot of every node with the messages the console took', async ({
  page,
}) => {
  await openCluster(page);
  await page.getByRole('button', { name: 'Record', exact: true }).click();
  await snapshot(page, 'record-popover');
  await page.getByRole('button', { name: 'Start recording' }).click();
  const indicator = page.getByTestId('record-indicator');
  await expect(indicator).toContainText(/REC 0:0[1-9]/, { timeout: 10_000 });
  // Another page meanwhile does not end the recording.
  const sidebar = page.getByRole('list', { name: 'Cluster connections' });
  await page.getByText('This machine', { exact: true }).click();
  await expect(indicator).toHaveCount(0);
  await sidebar.getByRole('button', { name: /^(?!Edit).*recorded .* · sim-0/ }).click();
  await expect(indicator).toBeVisible();
  await page.waitForTimeout(4_000);
  await expect(indicator).toHaveText(/REC 0:0[5-9] · [\d.]+ [KMG]?i?B · [\d,]+ msgs/);
  await snapshot(page, 'record-recording');
  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Stop' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(
    /^osprey-sim-0-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ\.mcap$/,
  );
  const taken = await savedCount(page);
  await snapshot(page, 'record-saved');
  const got = await info(download);
  expect(got.complete).toBe(true);
  expect(got.metadata).toMatchObject({
    recordedBy: 'console',
    connection: 'recorded',
    cluster: CLUSTER,
  });
  expect(got.nodes).toEqual(
    Array.from({ length: NODES }, (_, i) => `${CLUSTER}/node-${String(i).padStart(3, '0')}`),
  );
  expect(got.messages.metrics).toBeGreaterThan(0);
  expect(got.messages.inventory).toBeGreaterThanOrEqual(NODES);
  expect(got.messages.inventory + got.messages.metrics + got.messages.events).toBe(taken);
});

test('Save the last 1 min writes what the flight recorder already holds', async ({ page }) => {
  await openCluster(page);
  await page.waitForTimeout(3_000);
  await page.getByRole('button', { name: 'Record', exact: true }).click();
  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: '1 min' }).click();
  const got = await info(await downloading);
  const taken = await savedCount(page);
  expect(got.nodes.length).toBe(NODES);
  expect(got.messages.metrics).toBeGreaterThan(0);
  // The file holds the window's messages plus each node's inventory carried from before it.
  const total = got.messages.inventory + got.messages.metrics + got.messages.events;
  expect(total).toBeGreaterThanOrEqual(taken);
  expect(total).toBeLessThanOrEqual(taken + NODES);
});
