/**
 * A fault published while no console was connected, shown when one connects (issue 14): the real
 * nats-server with JetStream, `osprey serve` as the node agent diagnosing a real kernel log
 * (--replay kmsg=FILE: an Xid 79), stopped before the console connects; a second agent for the
 * same node without the kernel log keeps the node live, so the Xid can only come from history.
 */
import { fileURLToPath } from 'node:url';

import { expect, test } from '@playwright/test';
import { connect } from '@nats-io/transport-node';

import { decodeMessage } from '../collector/core/protocol/decode.js';
import { readEventHistory } from '../collector/core/protocol/eventHistoryReader.js';
import type { EventRecord } from '../collector/core/protocol/spec.js';
import { startNatsServer, type NatsServer } from '../collector/testing/natsServer.js';
import { eventually, startServe, type Served } from '../collector/testing/serveProcess.js';
import { saveConnection } from './support/cluster.js';
import { serveConsole, type ServedConsole } from './support/osprey.js';
import { snapshot } from './support/page.js';

const here = (rel: string) => fileURLToPath(new URL(rel, import.meta.url));
const KMSG = here('../collector/probes/kernel/fixtures/h100x2__kmsg.txt');
const SMI = here('../collector/probes/kernel/fixtures/h100x2__590.48.01__load__query-gpu.csv');
const CLUSTER = 'e2e-history';

let nats: NatsServer;
let served: ServedConsole;
let agent: Served | undefined;

test.afterAll(async () => {
  await agent?.stop();
  await served?.stop();
  await nats?.stop();
});

const agentArgs = (...replays: string[]) => [
  ...['--no-ui', '--nats', nats.url, '--cluster', CLUSTER, '--node', 'gpu-node-7'],
  ...['--interval', '500', ...replays.flatMap((r) => ['--replay', r])],
];

test('the console shows an Xid published before it connected, from JetStream', async ({ page }) => {
  test.setTimeout(90_000);
  nats = await startNatsServer({ jetstream: true, websocket: true });
  agent = await startServe(agentArgs(`kmsg=${KMSG}`, `nvidia-smi=${SMI}`));
  const tcp = await connect({ servers: nats.url });
  const xid79 = await eventually(async () => {
    const outcome = await readEventHistory(tcp, {
      cluster: CLUSTER,
      sinceMs: Date.now() - 3_600_000,
      maxMessages: 1000,
    });
    if (outcome.kind !== 'loaded') throw new Error(outcome.reason);
    const events = outcome.messages.flatMap((m) => {
      const r = decodeMessage(m.data);
      return r.ok && r.message.type === 'events' ? r.message.events : [];
    });
    const e = events.find((x: EventRecord) => x.kind === 'xid' && x.code === '79');
    if (!e) throw new Error('the Xid 79 is not stored yet');
    return e;
  });
  await tcp.close();
  await agent.stop();
  // The node goes on without the kernel log: it cannot publish the Xid again.
  agent = await startServe(agentArgs(`nvidia-smi=${SMI}`));

  served = await serveConsole();
  const created = await saveConnection(served, {
    name: 'history',
    natsUrl: nats.wsUrl!,
    cluster: CLUSTER,
  });
  expect(created.status).toBe(201);
  await page.goto(served.url);
  await page
    .getByRole('list', { name: 'Cluster connections' })
    .getByRole('button', { name: new RegExp(`^(?!Edit).*history .* · ${CLUSTER}`) })
    .click();
  await expect(page.getByTestId('presence')).toHaveText('Live', { timeout: 20_000 });
  await expect(page.getByTestId('event-history')).toHaveText(
    /^events since (yesterday )?\d\d:\d\d from JetStream$/,
  );
  await expect(page.getByText(xid79.message).first()).toBeVisible({ timeout: 20_000 });
  await snapshot(page, 'event-history');
});

test('without JetStream the header says history of events is unavailable', async ({ page }) => {
  const plain = await startNatsServer({ websocket: true });
  try {
    const consoleServer = await serveConsole();
    try {
      expect(
        (
          await saveConnection(consoleServer, {
            name: 'plain',
            natsUrl: plain.wsUrl!,
            cluster: 'x',
          })
        ).status,
      ).toBe(201);
      await page.goto(consoleServer.url);
      await page
        .getByRole('list', { name: 'Cluster connections' })
        .getByRole('button', { name: /^(?!Edit).*plain .* · x/ })
        .click();
      await expect(page.getByTestId('event-history')).toHaveText(
        'history of events unavailable: the server has no JetStream',
        { timeout: 20_000 },
      );
    } finally {
      await consoleServer.stop();
    }
  } finally {
    await plain.stop();
  }
});
