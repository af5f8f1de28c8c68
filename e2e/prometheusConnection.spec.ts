/**
 * A Prometheus-only connection added in the dialog, against a real `prometheus` behind a real
 * reverse proxy that demands a bearer token and a tenant header under a path prefix: the Test
 * button names the server's version, a server that is down reads as a plain message, and the
 * saved connection is live in the sidebar, its fleet read from that Prometheus through the proxy.
 * The token never reaches the page.
 */
import { expect, test } from '@playwright/test';

import { freePort } from '../collector/testing/freePort.js';
import { startPrometheus, type PrometheusServer } from '../collector/testing/prometheusServer.js';
import { startReverseProxy, type Proxy } from '../collector/testing/reverseProxy.js';
import { serveConsole, type ServedConsole } from './support/osprey.js';
import { snapshot } from './support/page.js';

const TOKEN = 'e2e-prom-token-51c2';

test.describe.serial('Prometheus connection', () => {
  let prometheus: PrometheusServer;
  let proxy: Proxy;
  let served: ServedConsole;

  test.beforeAll(async () => {
    prometheus = await startPrometheus({ targets: [`127.0.0.1:${await freePort()}`] });
    proxy = await startReverseProxy({
      upstream: prometheus.url,
      prefix: '/prometheus',
      require: { authorization: `Bearer ${TOKEN}`, 'x-scope-orgid': 'tenant-1' },
    });
    served = await serveConsole();
  });

  test.afterAll(async () => {
    await served?.stop();
    await proxy?.stop();
    await prometheus?.stop();
  });

  test('test, fail plainly, save: a Prometheus-only connection', async ({ page }) => {
    await page.goto(served.url);
    await page.getByRole('button', { name: 'Add a cluster connection' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add a cluster connection' });
    await dialog.getByLabel('Name', { exact: true }).fill('mimir eu');
    await dialog.getByLabel('NATS WebSocket URL').fill('');
    await dialog.getByLabel('URL', { exact: true }).fill(`${proxy.url}/prometheus`);
    await dialog.getByLabel('Authentication').nth(1).selectOption('bearer');
    await dialog.getByLabel('Bearer token').fill(TOKEN);
    await dialog.getByRole('button', { name: 'Add header' }).click();
    await dialog.getByLabel('Header 1 name').fill('X-Scope-OrgID');
    await dialog.getByLabel('Header 1 value').fill('tenant-1');
    await dialog.getByRole('button', { name: 'Test Prometheus' }).click();
    const result = dialog.getByTestId('prometheus-test-result');
    await expect(result).toHaveText(
      /^Prometheus 2\.42\.\S+ at http:\/\/127\.0\.0\.1:\d+\/prometheus$/,
    );
    await result.scrollIntoViewIfNeeded();
    await snapshot(page, 'connection-dialog-prometheus');

    const down = await freePort();
    await dialog.getByLabel('URL', { exact: true }).fill(`http://127.0.0.1:${down}`);
    await dialog.getByRole('button', { name: 'Test Prometheus' }).click();
    await expect(result).toHaveText(
      `cannot reach Prometheus at http://127.0.0.1:${down}: connection refused (is it running, and on this port?)`,
    );
    await result.scrollIntoViewIfNeeded();
    await snapshot(page, 'connection-dialog-prometheus-refused');
    await dialog.getByLabel('Header 1 name').fill('Connection');
    await dialog.getByRole('button', { name: 'Test Prometheus' }).click();
    await expect(dialog.getByText('header 1: Connection is a hop-by-hop header')).toBeVisible();
    await dialog.getByRole('button', { name: 'Test Prometheus' }).scrollIntoViewIfNeeded();
    await snapshot(page, 'connection-dialog-prometheus-invalid');
    // Without a NATS URL there is nothing for the NATS Test to try.
    await expect(dialog.getByRole('button', { name: 'Test', exact: true })).toBeHidden();

    await dialog.getByLabel('Header 1 name').fill('X-Scope-OrgID');
    await dialog.getByLabel('URL', { exact: true }).fill(`${proxy.url}/prometheus`);
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect(dialog).toBeHidden();
    const entry = page
      .getByRole('list', { name: 'Cluster connections' })
      .getByRole('button', { name: /mimir eu [^ ]+:\d+ · all clusters \(Prometheus\)/ });
    // Without NATS the fleet is read from Prometheus itself: live once it answers (this one
    // scrapes nothing, and says so).
    await expect(entry).toHaveAttribute('data-presence', 'live');
    // No engine here: the Latency tab says what it looked for and what the server holds, every
    // metric-name prefix of Prometheus's own list (its own `up` and `scrape_…` once it has tried
    // its one target).
    await prometheus.waitForData('up');
    const names = (await (
      await fetch(`${prometheus.url}/api/v1/label/__name__/values`)
    ).json()) as { data: string[] };
    expect(names.data.length).toBeGreaterThan(0);
    await entry.click();
    // Its fleet: nothing to show, and the source says why rather than waiting in silence.
    await expect(page.locator('.fleet-waiting')).toContainText(
      'Prometheus holds no DCGM, nvidia_gpu_exporter, NPU exporter, Osprey or engine series',
    );
    await page.getByRole('tab', { name: 'Latency' }).click();
    const seen = page.getByTestId('latency-seen-prefixes');
    await expect(seen).toBeVisible({ timeout: 30_000 });
    await expect(page.getByTestId('latency-looked-for')).toContainText('vLLM (Ray Serve)');
    for (const name of names.data) {
      const prefix = /^[a-zA-Z]+[_:]/.exec(name)?.[0] ?? name;
      await expect(seen, name).toContainText(prefix);
    }
    await snapshot(page, 'latency-no-engines');
    expect(await page.content()).not.toContain(TOKEN);
  });
});
