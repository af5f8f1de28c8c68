/**
 * Cluster connections against the real nats-server (WebSocket listener) and the real `osprey
 * serve`: add a connection in the dialog, test it, see the node a Node publisher sends, count
 * hostile messages while good ones keep flowing, and ride out a server restart.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';

import { expect, test, type Page } from '@playwright/test';
import { connect, type NatsConnection } from '@nats-io/transport-node';

import { EAGLE_EYE_SUBJECT, subjectFor } from '../collector/core/protocol/subjects.js';
import { startNatsServer, type NatsServer } from '../collector/testing/natsServer.js';
import { serveConsole, type ServedConsole } from './support/osprey.js';
import { snapshot } from './support/page.js';

const CLUSTER = 'e2e';
const NODE = 'node-1';
const GPUS = ['GPU-e2e-0', 'GPU-e2e-1'];

function inventory(seq: number) {
  return {
    v: 1,
    type: 'inventory',
    cluster: CLUSTER,
    node: NODE,
    ts: Date.now(),
    seq,
    host: { hostname: NODE, os: 'linux', arch: 'x64', cpuCores: 64, memoryTotalBytes: 2 ** 39 },
    devices: GPUS.map((id, index) => ({
      id,
      uuid: id,
      vendor: 'nvidia',
      index,
      name: 'NVIDIA H100 80GB HBM3',
      memoryTotalBytes: 85_520_809_984,
    })),
    probes: [{ probe: 'nvidia-smi', state: 'ok', since: 0 }],
  };
}

function metrics(seq: number) {
  return {
    v: 1,
    type: 'metrics',
    cluster: CLUSTER,
    node: NODE,
    ts: Date.now(),
    seq,
    interval: 500,
    samples: GPUS.map((d, i) => ({ m: 'device.utilization', v: 40 + i, d })),
  };
}

/** A node agent stand-in: inventory now and every 2 s, metrics every 500 ms. */
function publishLoop(nc: NatsConnection): () => void {
  let seq = 0;
  const send = (m: { type: string }) =>
    nc.publish(subjectFor(m.type as 'metrics', CLUSTER, NODE), JSON.stringify(m));
  send(inventory(seq++));
  const timer = setInterval(() => {
    if (seq % 4 === 0) send(inventory(seq));
    send(metrics(seq++));
  }, 500);
  return () => clearInterval(timer);
}

/** The sidebar entry of the connection (its name reads "<presence> lab <host:port> · e2e"). */
function entry(page: Page) {
  return page
    .getByRole('list', { name: 'Cluster connections' })
    .getByRole('button', { name: /^(?!Edit).*lab \S+ · e2e/ });
}

async function addConnection(page: Page, wsUrl: string, opts: { secret?: string } = {}) {
  await page.getByRole('button', { name: 'Add a cluster connection' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add a cluster connection' });
  await dialog.getByLabel('Name', { exact: true }).fill('lab');
  await dialog.getByLabel('NATS WebSocket URL').fill(wsUrl);
  if (opts.secret !== undefined) {
    await dialog.getByLabel('Authentication').selectOption('token');
    await dialog.getByLabel('Token').fill(opts.secret);
  }
  await dialog.getByRole('radio', { name: /One cluster/ }).check();
  await dialog.getByLabel('Cluster name').fill(CLUSTER);
  return dialog;
}

test.describe.serial('cluster connections over NATS WebSocket', () => {
  let nats: NatsServer;
  let served: ServedConsole;
  let publisher: NatsConnection;
  let stopPublishing: () => void = () => undefined;

  test.beforeAll(async () => {
    // Above decodeMessage's 4 MiB limit, so an oversized message reaches the console.
    nats = await startNatsServer({ websocket: true, maxPayload: 8 * 1024 * 1024 });
    served = await serveConsole();
    publisher = await connect({
      servers: nats.url,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 250,
    });
    stopPublishing = publishLoop(publisher);
  });

  test.afterAll(async () => {
    stopPublishing();
    await publisher?.close();
    await served?.stop();
    await nats?.stop();
  });

  test('a connection added in the dialog shows the node a publisher sends', async ({ page }) => {
    await page.goto(served.url);
    await expect(page.getByText('No cluster connections yet.')).toBeVisible();
    const dialog = await addConnection(page, 'nats://127.0.0.1:4222');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect(dialog.getByText(/^must be a ws:\/\/ or wss:\/\/ URL/)).toBeVisible();

    await dialog.getByLabel('NATS WebSocket URL').fill(nats.wsUrl!);
    await dialog.getByRole('button', { name: 'Test', exact: true }).click();
    await expect(dialog.getByTestId('test-result')).toHaveText('connected, 1 node seen in 5 s', {
      timeout: 20_000,
    });
    await snapshot(page, 'connection-dialog');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect(dialog).toBeHidden();

    await expect(entry(page)).toHaveAttribute('data-presence', 'live');
    await expect(page.getByTestId('presence')).toHaveText('Live');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('lab');
    await expect(page.getByTestId('fleet-count')).toHaveText(/2 devices on 1 node/);

    // Saved in the server's config dir, secret-free in every answer, nothing in browser storage.
    const stored = await page.evaluate(() => ({
      local: Object.keys(localStorage).length,
      session: Object.keys(sessionStorage).length,
    }));
    expect(stored).toEqual({ local: 0, session: 0 });
  });

  test('hostile messages are counted as problems while good ones keep flowing', async ({
    page,
  }) => {
    await page.goto(served.url);
    await entry(page).click();
    await expect(page.getByTestId('presence')).toHaveText('Live');
    const subject = subjectFor('metrics', CLUSTER, NODE);
    const bad = { ...metrics(0), samples: [{ m: 'device.utilization', v: 'high', d: GPUS[0] }] };
    for (let i = 0; i < 25; i++) publisher.publish(subject, JSON.stringify(bad));
    publisher.publish(subject, '{"v":1,"type":"metrics",');
    publisher.publish(subject, JSON.stringify({ ...metrics(0), v: 2 }));
    publisher.publish(subject, new Uint8Array(5 * 1024 * 1024).fill(0x20));
    publisher.publish(subject, JSON.stringify({ ...metrics(0), node: 'impostor' }));
    await publisher.flush();

    const badge = page.getByRole('button', { name: /problems/ });
    await expect(badge).toContainText('29');
    await badge.click();
    const list = page.getByRole('dialog', { name: 'Problems' });
    await expect(list).toContainText(
      `messages dropped: schema mismatch on ${subject}: /samples/0/v: must be number`,
    );
    await expect(list).toContainText(`messages dropped: not JSON on ${subject}`);
    await expect(list).toContainText('protocol version 2 is not supported');
    await expect(list).toContainText(`messages dropped: too large on ${subject}`);
    await expect(list).toContainText('subject and body disagree');
    await expect(list.getByText('25×')).toBeVisible();
    await snapshot(page, 'connection-problems');

    // A grid one value short of its rows × columns, from another node: the schema entry counts
    // it and shows the newest detail.
    const rows = GPUS.map((d) => ({ d }));
    const cols = [{ m: 'device.temperature' }, { m: 'device.power' }];
    const short = { ...metrics(0), node: 'node-2', grids: [{ rows, cols, v: [1, 2, 3] }] };
    const other = subjectFor('metrics', CLUSTER, 'node-2');
    publisher.publish(other, JSON.stringify(short));
    await expect(badge).toContainText('30');
    await expect(list).toContainText(
      `schema mismatch on ${other}: /grids/0/v: holds 3 values, expected 2 rows × 2 columns = 4 (from 2 nodes)`,
    );
    await expect(list.getByText('26×')).toBeVisible();

    // Good messages kept flowing: the header's age stays fresh and the node stays live.
    await expect(page.getByTestId('data-age')).toHaveText(/updated (just now|[01] s ago)/);
    await expect(page.getByTestId('fleet-count')).toHaveText(/2 devices on 1 node/);
  });

  test('a nats-server restart reads "Reconnecting", then live again', async ({ page }) => {
    await page.goto(served.url);
    await entry(page).click();
    await expect(page.getByTestId('presence')).toHaveText('Live');
    await expect(page.getByTestId('fleet-count')).toHaveText(/2 devices on 1 node/);
    await nats.stop();
    await expect(page.getByTestId('presence')).toHaveText('Reconnecting');
    await expect(page.getByRole('status').filter({ hasText: 'lost; reconnecting' })).toBeVisible();
    await expect(entry(page)).toHaveAttribute('data-presence', 'reconnecting');
    // Nothing arrives while the server is down, and the page says how old the last data is.
    await expect(page.getByTestId('data-age')).toHaveText(/updated [3-9] s ago/);
    await snapshot(page, 'connection-reconnecting');

    await nats.restart();
    await expect(page.getByTestId('presence')).toHaveText('Live', { timeout: 30_000 });
    await expect(page.getByTestId('data-age')).toHaveText(/updated (just now|[01] s ago)/, {
      timeout: 15_000,
    });
  });
});

test('a token-protected server with Eagle Eye: wrong token refused, right one kept out of the page', async ({
  page,
}) => {
  const TOKEN = 'e2e-secret-token';
  const nats = await startNatsServer({ websocket: true, auth: { token: TOKEN } });
  const served = await serveConsole();
  const publisher = await connect({ servers: nats.url, token: TOKEN });
  // CONSTRUCTED Eagle Eye steps (the real format is unpublished): vLLM SchedulerStats names.
  const timer = setInterval(() => {
    publisher.publish(
      EAGLE_EYE_SUBJECT,
      JSON.stringify({
        engine_id: 'vllm-0',
        model_name: 'Qwen/Qwen2.5-7B-Instruct',
        hostname: 'gpu-node-03',
        timestamp: Date.now() / 1000,
        num_running_reqs: 12,
        num_waiting_reqs: 3,
        kv_cache_usage: 0.5,
        prefix_cache_stats: { queries: 200, hits: 50 },
      }),
    );
  }, 100);
  try {
    await page.goto(served.url);
    await page.getByRole('button', { name: 'Add a cluster connection' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add a cluster connection' });
    await dialog.getByLabel('Name', { exact: true }).fill('secure');
    await dialog.getByLabel('NATS WebSocket URL').fill(nats.wsUrl!);
    await dialog.getByLabel('Authentication').selectOption('token');
    await dialog.getByLabel('Token').fill('wrong-token');
    await dialog.getByRole('button', { name: 'Test', exact: true }).click();
    await expect(dialog.getByTestId('test-result')).toContainText('authentication failed', {
      timeout: 20_000,
    });
    await snapshot(page, 'connection-test-refused');

    await dialog.getByLabel('Token').fill(TOKEN);
    await dialog.getByRole('checkbox', { name: /Also read engine stats/ }).check();
    const mapping = dialog.getByLabel('Field mapping (JSON)');
    await mapping.fill('{"identity": {"engine": "engine_id"}, "metrics": []}');
    const mappingError = dialog.getByText('mapping.identity.node: is required');
    await expect(mappingError).toBeVisible();
    await mappingError.scrollIntoViewIfNeeded();
    await snapshot(page, 'connection-dialog-eagle-eye');
    await dialog.getByRole('button', { name: 'Reset to default' }).click();
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByTestId('presence')).toHaveText('Live');

    await page.getByRole('tab', { name: 'Engines' }).click();
    const row = page.locator('tr[data-engine="vllm-0"]');
    await expect(row).toContainText('gpu-node-03');
    await expect(row.locator('[data-metric="engine.kv_cache.usage"]')).toHaveText(/^50(\.0)? %$/);
    await expect(row.locator('[data-metric="engine.prefix_cache.hit_rate"]')).toHaveText(
      /^25(\.0)? %$/,
    );

    // Editing keeps the stored token: Test asks the server for it (GET …/secret) and connects.
    await page.getByRole('button', { name: 'Edit secure' }).click();
    const edit = page.getByRole('dialog', { name: 'Edit secure' });
    await expect(edit.getByLabel('Token')).toHaveValue('');
    await expect(edit.getByText('a token is stored; leave empty to keep it')).toBeVisible();
    await edit.getByRole('button', { name: 'Test' }).click();
    await expect(edit.getByTestId('test-result')).toHaveText('connected, 1 node seen in 5 s', {
      timeout: 20_000,
    });
    await edit.getByRole('button', { name: 'Cancel' }).click();

    // The token: in the server's 0600 file, never in a list answer, the page's storage or its URL.
    const listed = await page.request.get(`${served.origin}/api/connections`, {
      headers: { authorization: `Bearer ${served.token}` },
    });
    const body = await listed.text();
    expect(body).toContain('"hasSecret":true');
    expect(body).not.toContain(TOKEN);
    const file = join(served.configDir, 'connections.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const storage = await page.evaluate(() =>
      JSON.stringify({ ...localStorage, ...sessionStorage }),
    );
    expect(storage).not.toContain(TOKEN);
    expect(page.url()).not.toContain(TOKEN);

    await page.getByRole('button', { name: 'Edit secure' }).click();
    await page.getByRole('button', { name: 'Remove' }).click();
    await page.getByRole('button', { name: 'Yes, remove' }).click();
    await expect(page.getByText('No cluster connections yet.')).toBeVisible();
    // Removed while its page was open: back to this machine, and nothing of it left on screen.
    await expect(page.getByRole('main')).toHaveCount(1);
    await expect(page.getByRole('heading', { level: 1 })).not.toHaveText('secure');
  } finally {
    clearInterval(timer);
    await publisher.close();
    await served.stop();
    await nats.stop();
  }
});
