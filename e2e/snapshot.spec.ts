/**
 * Open a snapshot in the console, end to end: `osprey record` of the real nats-server while
 * `osprey simulate` publishes 3 nodes with an xid79 on node-000 GPU 1 at 4 s; the file served by
 * `osprey serve --snapshot` and opened at start, then again through "Open recording…" (the file
 * input); scrubbed to just before the fault and stepped over it: the drawer's values are the ones
 * `osprey snapshot export --format ndjson` says were the latest at that recording time, and the
 * xid79 is listed. A copy cut mid-chunk opens with the truncation named. Screenshots land in
 * test-results/e2e/screenshots/ (snapshot-page.png).
 */
import { execFile } from 'node:child_process';
import { copyFile, mkdtemp, rm, stat, truncate } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import { expect, test, type Page } from '@playwright/test';

import { metricsSamples } from '../collector/core/protocol/grids.js';
import type { MetricsMessage, WireMessage } from '../collector/core/protocol/spec.js';
import { startNatsServer, type NatsServer } from '../collector/testing/natsServer.js';
import { formatValue } from '../renderer/src/lib/format.js';
import { serveConsole, type ServedConsole } from './support/osprey.js';
import { snapshot } from './support/page.js';

const OSPREY = fileURLToPath(new URL('../collector/bin/osprey.js', import.meta.url));
const run = promisify(execFile);
const NODE = 'node-000';
const DEVICE_COL = 1;

interface Line {
  receiveTime: number;
  message: WireMessage;
}

test.describe.configure({ mode: 'serial' });
test.setTimeout(120_000);

let dir: string;
let file: string;
let cut: string;
let lines: Line[];
let nats: NatsServer;
let served: ServedConsole;

test.beforeAll(async () => {
  test.setTimeout(120_000);
  dir = await mkdtemp(join(tmpdir(), 'osprey-e2e-snapshot-'));
  file = join(dir, 'incident.mcap');
  nats = await startNatsServer();
  const recording = run(process.execPath, [
    OSPREY,
    'record',
    '--nats',
    nats.url,
    '--cluster',
    'sim-0',
    '--duration',
    '14s',
    '-o',
    file,
  ]);
  // The recorder subscribes first, then the fleet starts.
  await new Promise((resolve) => setTimeout(resolve, 1500));
  await run(process.execPath, [
    OSPREY,
    'simulate',
    '--nats',
    nats.url,
    '--nodes',
    '3',
    '--devices-per-node',
    '2',
    '--rate',
    '2',
    '--inventory-every',
    '3s',
    '--faults',
    `at=4s node=${NODE} device=1 kind=xid79`,
    '--duration',
    '10s',
    '--no-stdin',
  ]);
  await recording;
  const { stdout } = await run(
    process.execPath,
    [OSPREY, 'snapshot', 'export', '--format', 'ndjson', file],
    { maxBuffer: 64 * 1024 * 1024 },
  );
  lines = stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Line);
  cut = join(dir, 'cut.mcap');
  await copyFile(file, cut);
  // 60 % of the file: mid-chunk (chunks are far smaller than the file), no summary, no footer.
  await truncate(cut, Math.floor((await stat(file)).size * 0.6));
  served = await serveConsole({ args: ['--snapshot', file] });
});

test.afterAll(async () => {
  await served?.stop();
  await nats?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** The xid79 event's receipt time in the recording. */
function faultTime(): number {
  const line = lines.find(
    (l) =>
      l.message.type === 'events' &&
      l.message.events.some((e) => e.kind === 'xid' && String(e.code) === '79'),
  );
  expect(line, 'the recording holds the xid79 event').toBeDefined();
  return line!.receiveTime;
}

async function openDevice(page: Page): Promise<void> {
  await page.getByLabel('Search node, UUID or model').fill(NODE);
  const heatmap = page.getByTestId('fleet-heatmap');
  await expect(heatmap).toHaveAttribute('data-nodes', '1');
  const box = (await heatmap.boundingBox())!;
  const left = Number(await heatmap.getAttribute('data-cells-left'));
  const cell = Number(await heatmap.getAttribute('data-cell'));
  const pitch = Number(await heatmap.getAttribute('data-pitch'));
  await page.mouse.click(box.x + left + DEVICE_COL * pitch + cell / 2, box.y + cell / 2);
  await expect(page.getByTestId('device-drawer')).toHaveAttribute('data-node', NODE);
}

async function checkFaultMoment(page: Page): Promise<void> {
  const start = lines[0]!.receiveTime;
  const fault = faultTime();
  // On the scrub bar's 100 ms steps, 2 s or less before the fault; then three 1 s steps (→).
  const offset = Math.floor((fault - start - 2000) / 100) * 100;
  await page.getByLabel('Recording time').fill(String(offset));
  await page.getByTestId('recording-title').click();
  for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight');
  const shownAt = start + offset + 3000;
  // Every node of the fleet has been heard from by then (at the very start only the first is).
  await expect(page.getByTestId('fleet-heatmap')).toHaveAttribute('data-nodes', '3');
  await openDevice(page);
  const drawer = page.getByTestId('device-drawer');
  await expect(drawer.getByRole('region', { name: 'Device events' })).toContainText('79');
  const device = await drawer.getAttribute('data-device');
  const latest = lines
    .filter(
      (l) => l.receiveTime <= shownAt && l.message.type === 'metrics' && l.message.node === NODE,
    )
    .at(-1)!.message as MetricsMessage;
  for (const [metric, unit] of [
    ['device.utilization', 'percent'],
    ['device.power', 'watts'],
    ['device.temperature', 'celsius'],
  ] as const) {
    const block = drawer.locator(`[data-metric="${metric}"]`);
    await expect(block).toHaveAttribute('data-ts', String(latest.ts));
    const sample = metricsSamples(latest).find((s) => s.m === metric && s.d === device);
    expect(sample, `${metric} of ${device} at ${latest.ts}`).toBeDefined();
    // After an xid79 the GPU is off the bus: the simulator publishes no value, shown as no data.
    await expect(block.locator('.value')).toHaveText(
      sample!.v === null ? /^no data/ : formatValue(sample!.v, unit),
    );
  }
}

test('serve --snapshot opens the recording at start; at the fault the drawer shows what was published', async ({
  page,
}) => {
  await page.goto(served.url);
  await expect(page.getByTestId('recording-title')).toHaveText(/^Recording of sim-0, /);
  await expect(page.getByTestId('presence')).toHaveText('Recording');
  await checkFaultMoment(page);
  await snapshot(page, 'snapshot-page');
});

test('Open recording… opens a file through the file input', async ({ page }) => {
  await page.goto(served.url);
  await expect(page.getByTestId('recording-title')).toBeVisible();
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Open recording…' }).click();
  await (await chooser).setFiles(file);
  await expect(page.getByRole('list', { name: 'Recordings' }).getByRole('button')).toHaveCount(2);
  await checkFaultMoment(page);
});

test('Ctrl+O opens a recording as File → Open Recording… does on the desktop', async ({ page }) => {
  await page.goto(served.url);
  await expect(page.getByTestId('recording-title')).toBeVisible();
  const chooser = page.waitForEvent('filechooser');
  await page.keyboard.press('Control+o');
  await (await chooser).setFiles(file);
  await expect(page.getByRole('list', { name: 'Recordings' }).getByRole('button')).toHaveCount(2);
});

test('a copy cut mid-chunk opens with the loss named', async ({ page }) => {
  await page.goto(served.url);
  await expect(page.getByTestId('recording-title')).toBeVisible();
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Open recording…' }).click();
  await (await chooser).setFiles(cut);
  await expect(page.getByTestId('recording-truncated')).toBeVisible();
  await expect(page.getByTestId('recording-title')).toHaveText(/^Recording of sim-0, /);
  await snapshot(page, 'snapshot-truncated');
});
