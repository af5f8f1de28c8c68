/**
 * The reviewer after the fact, end to end: the real nats-server, simulator and `osprey serve`; the
 * console records the live cluster (Record → Start recording), an Xid 79 is injected on one GPU
 * through the simulator's control subject while it records, Stop downloads the file, and the same
 * console opens it (Open recording…). The fault's mark on the scrub bar takes the player to the
 * moment of the fault; there, and one step (1 s) before it, the device drawer must show what the
 * simulator published: the values of the latest metrics message the console had received by that
 * recording time, and the Xid 79 event only from the fault on.
 *
 * "What was published" is what this test received itself on NATS. Which message was the latest
 * at a recording time depends on when the console received it, which only the file knows: its
 * receipt times come from `osprey snapshot export`, and the message it names must be one this
 * test received, with the same content.
 */
import { execFile, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import { connect, type NatsConnection } from '@nats-io/transport-node';
import { expect, test, type Page } from '@playwright/test';

import type { MetricsMessage, WireMessage } from '../collector/core/protocol/spec.js';
import { startNatsServer, type NatsServer } from '../collector/testing/natsServer.js';
import { formatValue } from '../renderer/src/lib/format.js';
import { saveConnection, spawnSimulator } from './support/cluster.js';
import { serveConsole, type ServedConsole } from './support/osprey.js';
import { snapshot } from './support/page.js';
import { Published, sampleOf, type PublishedEvent } from './support/published.js';

const OSPREY = fileURLToPath(new URL('../collector/bin/osprey.js', import.meta.url));
const run = promisify(execFile);
const CLUSTER = 'sim-0';
const NODES = 4;
const NODE_NAMES = Array.from({ length: NODES }, (_, i) => `node-${String(i).padStart(3, '0')}`);
/** The GPU (index) the fault takes off the bus. */
const FAULT_DEVICE = 1;
const SIM_CONTROL = 'osprey.sim.control';
const METRICS = [
  ['device.utilization', 'percent'],
  ['device.power', 'watts'],
  ['device.temperature', 'celsius'],
] as const;

interface Line {
  receiveTime: number;
  message: WireMessage;
}

test.describe.configure({ mode: 'serial' });
test.setTimeout(120_000);

let nats: NatsServer;
let served: ServedConsole;
let simulator: ChildProcess;
let listener: NatsConnection;
let published: Published;

test.beforeAll(async () => {
  nats = await startNatsServer({ websocket: true });
  served = await serveConsole();
  listener = await connect({ servers: nats.url });
  published = new Published(listener, CLUSTER, NODE_NAMES, 1000);
  const created = await saveConnection(served, {
    name: 'reviewed',
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
    inventoryEvery: '3s',
  });
});

test.afterAll(async () => {
  if (simulator && simulator.exitCode === null && simulator.signalCode === null) {
    simulator.kill('SIGTERM');
    await once(simulator, 'exit');
  }
  published?.unsubscribe();
  await listener?.close();
  await served?.stop();
  await nats?.stop();
});

/** The device drawer of `node`'s GPU at `col`, opened from the heatmap after a search. */
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

/**
 * At the player's current time `at` (recording time): the drawer shows the values of `node`'s
 * latest metrics message received by then (per the file), that message is one this test received
 * with the same content, and the drawer lists the Xid 79 exactly when `fault` is at or before.
 */
async function checkMoment(
  page: Page,
  lines: readonly Line[],
  at: number,
  node: string,
  fault: PublishedEvent,
  faultAt: number,
): Promise<void> {
  const drawer = page.getByTestId('device-drawer');
  const device = (await drawer.getAttribute('data-device'))!;
  const recorded = lines
    .filter((l) => l.receiveTime <= at && l.message.type === 'metrics' && l.message.node === node)
    .at(-1)?.message as MetricsMessage | undefined;
  expect(recorded, `${node} had sent metrics by ${at}`).toBeDefined();
  const sent = published.metricsOf(node).find((m) => m.ts === recorded!.ts);
  expect(sent, `this test received ${node}'s metrics stamped ${recorded!.ts}`).toBeDefined();
  expect(recorded).toEqual(sent);
  for (const [metric, unit] of METRICS) {
    const block = drawer.locator(`[data-metric="${metric}"]`);
    await expect(block).toHaveAttribute('data-ts', String(sent!.ts));
    const sample = sampleOf(sent!, metric, device);
    const v = sample?.v ?? null;
    // Off the bus the GPU reports nothing but its health: no value, shown as no data.
    await expect(block.locator('.value')).toHaveText(
      v === null ? /^no data/ : formatValue(v, unit),
    );
  }
  const events = drawer.getByRole('region', { name: 'Device events' });
  if (faultAt <= at) {
    await expect(events).toContainText(fault.message);
    await expect(events).toContainText('79');
  } else {
    await expect(events.filter({ hasText: fault.message })).toHaveCount(0);
  }
}

test('a console recording opened and scrubbed to an injected Xid 79 shows the values and the event published at that moment', async ({
  page,
}) => {
  // The node to fault: an NVIDIA one of the published inventories (Xid 79 is an NVIDIA fault).
  await expect.poll(() => published.devices.size).toBe(NODES);
  const nvidia = [...published.devices.entries()]
    .filter(([, d]) => [...d.values()].every((x) => x.vendor === 'nvidia'))
    .map(([n]) => n)
    .sort();
  expect(nvidia.length, 'the simulated fleet holds an NVIDIA node').toBeGreaterThan(0);
  const node = nvidia[0]!;

  await page.goto(served.url);
  await page
    .getByRole('list', { name: 'Cluster connections' })
    .getByRole('button', { name: /^(?!Edit).*reviewed .* · sim-0/ })
    .click();
  await expect(page.getByTestId('presence')).toHaveText('Live');
  await expect(page.getByTestId('fleet-heatmap')).toHaveAttribute('data-nodes', String(NODES), {
    timeout: 30_000,
  });
  await page.getByRole('button', { name: 'Record', exact: true }).click();
  await page.getByRole('button', { name: 'Start recording' }).click();
  const indicator = page.getByTestId('record-indicator');
  await expect(indicator).toContainText(/REC 0:0[2-9]/, { timeout: 15_000 });

  // The fault, while the console records; this test's own copy of what followed.
  const before = published.events.length;
  const isFault = (e: PublishedEvent) => e.node === node && e.code === '79';
  const reply = await listener.request(
    SIM_CONTROL,
    `node=${node} device=${FAULT_DEVICE} kind=xid79`,
    { timeout: 10_000 },
  );
  expect(reply.json<{ ok: boolean }>()).toEqual({ ok: true });
  await expect.poll(() => published.events.slice(before).find(isFault)).toBeDefined();
  const fault = published.events.slice(before).find(isFault)!;
  // A few ticks after the fault are in the recording too.
  await expect
    .poll(() => published.metricsOf(node).at(-1)?.ts ?? 0)
    .toBeGreaterThan(fault.ts + 2000);
  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Stop' }).click();
  const file = await (await downloading).path();
  await expect(page.getByRole('status').filter({ hasText: /^Saved / })).toBeVisible();

  const { stdout } = await run(
    process.execPath,
    [OSPREY, 'snapshot', 'export', '--format', 'ndjson', file],
    { maxBuffer: 64 * 1024 * 1024 },
  );
  const lines = stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Line);
  const faultLine = lines.find(
    (l) =>
      l.message.type === 'events' &&
      l.message.node === node &&
      l.message.events.some((e) => e.kind === 'xid' && e.code === '79'),
  );
  expect(faultLine, 'the recording holds the Xid 79 event').toBeDefined();
  expect(faultLine!.message).toMatchObject({ ts: fault.ts });
  const faultAt = faultLine!.receiveTime;

  // Open the file in the same console.
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Open recording…' }).click();
  await (await chooser).setFiles(file);
  await expect(page.getByTestId('recording-title')).toHaveText(/^Recording of sim-0, /);
  await expect(page.getByTestId('presence')).toHaveText('Recording');

  // The fault's mark on the scrub bar (its title names the node and the Xid) seeks to it.
  const faultMark = page.locator(`.player-mark[title*="${node}"][title*="xid"]`);
  await expect(faultMark).toHaveCount(1);
  await faultMark.click();
  await openDevice(page, node, FAULT_DEVICE);
  await expect(page.getByTestId('device-drawer').getByRole('heading', { level: 2 })).toHaveText(
    `${node} · GPU ${FAULT_DEVICE}`,
  );
  await checkMoment(page, lines, faultAt, node, fault, faultAt);
  await snapshot(page, 'record-review-fault');

  // One step back (←, 1 s): before the fault, the values then and no Xid 79 yet.
  await page.getByTestId('recording-title').click();
  await page.keyboard.press('ArrowLeft');
  await checkMoment(page, lines, faultAt - 1000, node, fault, faultAt);
  await snapshot(page, 'record-review-before-fault');
});
