/**
 * Navigation state in the URL fragment, against the real nats-server, simulator and `osprey
 * serve`: a connection, its tab, the Fleet toolbar's filter and the device drawer come back after
 * a reload, and the "Copy link" address (no token in it) opens the same place once a token is
 * added to it, as a colleague would.
 */
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';

import { expect, test, type Page } from '@playwright/test';

import { startNatsServer, type NatsServer } from '../collector/testing/natsServer.js';
import { serveConsole, type ServedConsole } from './support/osprey.js';
import { saveConnection, spawnSimulator } from './support/cluster.js';

const CLUSTER = 'sim-0';

test.describe.configure({ mode: 'serial' });
test.setTimeout(60_000);

let nats: NatsServer;
let served: ServedConsole;
let simulator: ChildProcess;

test.beforeAll(async () => {
  nats = await startNatsServer({ websocket: true });
  served = await serveConsole();
  const created = await saveConnection(served, {
    name: 'navigate',
    natsUrl: nats.wsUrl!,
    cluster: CLUSTER,
  });
  expect(created.status).toBe(201);
  simulator = spawnSimulator({
    natsUrl: nats.url,
    nodes: 4,
    devicesPerNode: 4,
    rate: 2,
    seed: 1,
    inventoryEvery: '2s',
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

/** The place every check below expects: this connection, Engines, and on Fleet the drawer. */
async function expectPlace(page: Page, drawerTitle: string): Promise<void> {
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('navigate');
  await expect(page.getByRole('tab', { name: 'Engines' })).toHaveAttribute('aria-selected', 'true');
  await page.getByRole('tab', { name: 'Fleet' }).click();
  await expect(page.getByLabel('Search node, UUID or model')).toHaveValue('node-002');
  await expect(page.getByLabel('Group by')).toHaveValue('model');
  await expect(page.getByTestId('device-drawer').getByRole('heading', { level: 2 })).toHaveText(
    drawerTitle,
    { timeout: 15_000 },
  );
}

test('a reload and a copied link return to the same connection, tab, filter and drawer', async ({
  page,
  context,
}) => {
  await page.goto(served.url);
  await page
    .getByRole('list', { name: 'Cluster connections' })
    .getByRole('button', { name: /^(?!Edit).*navigate .* · sim-0/ })
    .click();
  await expect(page.getByTestId('presence')).toHaveText('Live');
  await page.getByLabel('Group by').selectOption('model');
  await page.getByLabel('Search node, UUID or model').fill('node-002');
  const heatmap = page.getByTestId('fleet-heatmap');
  await expect(heatmap).toHaveAttribute('data-nodes', '1', { timeout: 15_000 });
  await page.getByRole('application', { name: /Fleet heatmap/ }).focus();
  await page.keyboard.press('Home');
  await page.keyboard.press('ArrowRight');
  // The second device of node-002: its label depends on the simulated vendor (GPU 1, NPU 0·1).
  const title = page.getByTestId('device-drawer').getByRole('heading', { level: 2 });
  // Once the inventory is in: before it, the device is known only from samples ("device 1").
  await expect(title).toHaveText(/^node-002 · (?!device )/, { timeout: 15_000 });
  const drawerTitle = await title.innerText();
  await page.getByRole('tab', { name: 'Engines' }).click();

  await page.reload();
  await expect(page.getByTestId('presence')).toHaveText('Live');
  await expectPlace(page, drawerTitle);
  expect(new URL(page.url()).hash).toContain(`token=${served.token}`);

  await page.getByRole('tab', { name: 'Engines' }).click();
  const copy = page.getByTestId('copy-link');
  await copy.click();
  await expect(copy).toHaveAttribute('data-link', /#conn=/);
  const link = (await copy.getAttribute('data-link'))!;
  expect(link).not.toContain(served.token);

  const colleague = await context.newPage();
  await colleague.goto(`${link}&token=${served.token}`);
  await expect(colleague.getByTestId('presence')).toHaveText('Live');
  await expectPlace(colleague, drawerTitle);
});

test('a link to an unknown connection with hostile values opens This machine, nothing thrown', async ({
  page,
}) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const hostile = '&conn=gone&view=%3Cscript%3E&node=%00&device=x&from=9e99&to=-1&sort=__proto__';
  await page.goto(`${served.url}${hostile}`);
  const sidebar = page.getByRole('list', { name: 'Cluster connections' });
  await expect(
    sidebar.getByRole('button', { name: /^(?!Edit).*navigate .* · sim-0/ }),
  ).toBeVisible();
  await expect(page.locator('.sidebar [aria-current="page"]')).toContainText('This machine');
  // This machine's page has the same views; the hostile view name falls back to Fleet.
  const views = page.getByRole('tablist', { name: 'Views' });
  await expect(views.getByRole('tab', { name: 'Fleet' })).toHaveAttribute('aria-selected', 'true');
  expect(errors).toEqual([]);
});
