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
import type { DeviceInfo, MetricsMessage } from '../collector/core/protocol/spec.js';
import { startNatsServer, type NatsServer } from '../collector/testing/natsServer.js';
import { eventDiagnosis } from '../collector/core/diagnosis/toEvent.js';
import { formatValue } from '../renderer/src/lib/format.js';
import { paintedSections, recordLabelCanvas, type PaintedSection } from './support/canvasText.js';
import { serveConsole, type ServedConsole } from './support/osprey.js';
import { saveConnection, spawnSimulator } from './support/cluster.js';
import { numberOf, snapshot } from './support/page.js';
import { Published, sampleOf } from './support/published.js';

const CLUSTER = 'sim-0';
/** Nodes whose messages this test keeps, to check the cells against. */
const WATCHED = ['node-017', 'node-300', 'node-511'];
const NODES = 512;
const DEVICES_PER_NODE = 8;
/** The simulator's fault commands (collector/simulator/SimRunner.ts). */
const SIM_CONTROL = 'osprey.sim.control';

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
let published: Published;

test.beforeAll(async () => {
  nats = await startNatsServer({ websocket: true });
  served = await serveConsole();
  listener = await connect({ servers: nats.url });
  // Subscribed before the simulator starts: every inventory it publishes is here.
  published = new Published(listener, CLUSTER, WATCHED);
  const created = await saveConnection(served, {
    name: 'fleet',
    natsUrl: nats.wsUrl!,
    cluster: CLUSTER,
  });
  expect(created.status).toBe(201);
  simulator = spawnSimulator({
    natsUrl: nats.url,
    nodes: NODES,
    devicesPerNode: DEVICES_PER_NODE,
    rate: 2,
    seed: 1,
    inventoryEvery: '5s',
    faults: 'at=2s node=node-005 kind=thermal duration=10m',
  });
});

test.afterAll(async () => {
  await stopSimulator();
  published?.unsubscribe();
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
      const message = published.metricsOf(node).find((m) => m.ts === shown.ts);
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

/**
 * Device states 0–3 as the console names them: the core's one vocabulary (severity.ts), health
 * level 2 (npu-smi "Alarm") included, is OK, Warning, Error, Critical.
 */
const HEALTH_NAMES = ['OK', 'Warning', 'Error', 'Critical'] as const;
const NO_HEALTH = -1;
const SEVERITY_LEVEL: Record<string, number> = { warning: 1, error: 2, critical: 3 };

/**
 * Each device's worst open diagnosis (0–3) among the events this test received since `since`
 * (Date.now()), decoded as the core decodes them: the newest of each id, an all-clear closing it.
 */
function openDiagnosisLevels(since: number): Map<string, number> {
  const newest = new Map<string, { node: string; d: string; severity: string; open: boolean }>();
  for (const e of published.events) {
    if (e.receivedAt < since) continue;
    const d = eventDiagnosis(e, e.node);
    if (d === undefined || d.device === undefined) continue;
    newest.set(d.id, {
      node: e.node,
      d: d.device,
      severity: d.severity,
      open: d.resolved === undefined,
    });
  }
  const out = new Map<string, number>();
  for (const x of newest.values()) {
    const level = x.open ? (SEVERITY_LEVEL[x.severity] ?? 0) : 0;
    const key = `${x.node}/${x.d}`;
    out.set(key, Math.max(out.get(key) ?? 0, level));
  }
  return out;
}

/** "1,024 devices" → 1024. */
const countOf = (text: string) => Number(text.replace(/[^\d]/g, ''));
const devicesText = (n: number) => `${n.toLocaleString('en')} ${n === 1 ? 'device' : 'devices'}`;

/**
 * The sections "Group by: Worst health" must show, from what the simulator published: a node goes
 * under its worst device's state (the worse of device.health of its latest metrics and the open
 * diagnoses the page received, `diagnoses`; a device its latest inventory no longer lists is off
 * the bus, critical), worst first, each with all its devices. `keep` limits it to the nodes
 * holding a device it accepts (a filter).
 */
function healthSections(
  latest: Map<string, MetricsMessage>,
  diagnoses: Map<string, number>,
  keep: (d: DeviceInfo) => boolean = () => true,
): PaintedSection[] {
  const devicesBy = new Map<number, number>();
  for (const [node, known] of published.devices) {
    const devices = [...known.values()];
    if (!devices.some(keep)) continue;
    const listed = new Set((published.latestInventory.get(node) ?? []).map((d) => d.id));
    const metrics = latest.get(node);
    const worst = Math.max(
      ...devices.map((d) => {
        if (!listed.has(d.id)) return 3;
        const v = metrics ? sampleOf(metrics, 'device.health', d.id)?.v : undefined;
        const health =
          typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 3 ? v : NO_HEALTH;
        const diagnosed = diagnoses.get(`${node}/${d.id}`);
        return diagnosed === undefined || diagnosed === 0 ? health : Math.max(health, diagnosed);
      }),
    );
    devicesBy.set(worst, (devicesBy.get(worst) ?? 0) + devices.length);
  }
  return [3, 2, 1, 0, NO_HEALTH]
    .filter((h) => devicesBy.has(h))
    .map((h) => ({
      title: `Worst device: ${h === NO_HEALTH ? 'No data' : HEALTH_NAMES[h]}`,
      count: devicesText(devicesBy.get(h)!),
    }));
}

/** An NVIDIA node of the published inventories other than the ones other tests fault. */
function nvidiaNode(): string {
  const nodes = [...published.devices.entries()]
    .filter(([, d]) => [...d.values()].every((x) => x.vendor === 'nvidia'))
    .map(([node]) => node)
    .filter((n) => n !== 'node-000' && n !== 'node-005')
    .sort();
  expect(nodes.length, 'the fleet holds NVIDIA nodes').toBeGreaterThan(0);
  return nodes.at(-1)!;
}

/** Sends a fault command to the simulator and waits for it to say it took it. */
async function injectFault(command: string): Promise<void> {
  const reply = await listener.request(SIM_CONTROL, command, { timeout: 10_000 });
  expect(reply.json<{ ok: boolean; error?: string }>(), command).toEqual({ ok: true });
}

test('groups by health into sections of the published health, and the vendor filter leaves exactly that vendor’s devices', async ({
  page,
}) => {
  published.watchAllMetrics();
  try {
    await recordLabelCanvas(page);
    await openFleet(page);
    // The page sees the events published while it listens (this server keeps no history).
    const listening = Date.now();
    // A known fault, so a non-OK group exists whatever ran before: a double-bit ECC error
    // (Xid 48) reports health 2 and a critical diagnosis, so its device is Critical, as its event
    // says: one severity vocabulary, not "critical" in the events and "Alarm" on the heatmap.
    const faulted = nvidiaNode();
    await injectFault(`node=${faulted} device=4 kind=xid48`);
    await page.getByLabel('Group by').selectOption('health');
    let expected: PaintedSection[] = [];
    await expect(async () => {
      expect(published.metricsNodes).toBe(NODES);
      const xid48 = published.events.find(
        (e) => e.node === faulted && e.code === '48' && e.receivedAt >= listening,
      );
      expect(xid48?.severity, `${faulted}'s Xid 48 event`).toBe('critical');
      expected = healthSections(published.latest(), openDiagnosisLevels(listening));
      expect(await paintedSections(page)).toEqual(expected);
    }).toPass({ timeout: 30_000 });
    const critical = expected.find((s) => s.title === 'Worst device: Critical');
    expect(critical, `${faulted}'s Xid 48 makes a Critical group`).toBeDefined();
    expect(countOf(critical!.count)).toBeGreaterThanOrEqual(DEVICES_PER_NODE);
    // Its cell carries the diagnosis badge.
    await expect(page.getByTestId('fleet-heatmap')).not.toHaveAttribute('data-badges', '0');
    // All 4,096 devices are in some section.
    expect(expected.reduce((n, s) => n + countOf(s.count), 0)).toBe(NODES * DEVICES_PER_NODE);
    await snapshot(page, 'fleet-grouped-health');

    const all = published.allDevices();
    const ascend = all.filter((d) => d.vendor === 'ascend');
    const ascendNodes = new Set(ascend.map((d) => d.node));
    expect(ascend.length, 'the simulated fleet mixes in Ascend devices').toBeGreaterThan(0);
    expect(ascend.length).toBeLessThan(all.length);
    await page.getByLabel('Filter by vendor').selectOption('ascend');
    await expect(page.getByTestId('fleet-count')).toHaveText(
      `${ascend.length.toLocaleString('en')} of ${devicesText(all.length)} match, on ${ascendNodes.size.toLocaleString('en')} nodes`,
    );
    await expect(page.getByTestId('fleet-heatmap')).toHaveAttribute(
      'data-cells',
      String(ascend.length),
    );
    await expect(async () => {
      expect(await paintedSections(page)).toEqual(
        healthSections(
          published.latest(),
          openDiagnosisLevels(listening),
          (d) => d.vendor === 'ascend',
        ),
      );
    }).toPass({ timeout: 15_000 });
    await snapshot(page, 'fleet-filtered-ascend');

    // The faulted GPU's drawer: the diagnosis in the event's word, with the advice it carries.
    await page.getByLabel('Filter by vendor').selectOption('');
    // Ungrouped: openDevice clicks the first row, which a section title would push down.
    await page.getByLabel('Group by').selectOption('none');
    await openDevice(page, faulted, 4);
    const xid48 = published.events.find((e) => e.node === faulted && e.code === '48')!;
    const diagnoses = page.getByTestId('drawer-diagnoses');
    await expect(diagnoses).toContainText(`Critical${xid48.message}`);
    await expect(diagnoses).toContainText(xid48.action!.summary);
    await expect(
      page.getByTestId('device-drawer').locator('[data-metric="device.health"] .value'),
    ).toHaveText(/^(OK|Warning|Error|Critical)/);
    await snapshot(page, 'fleet-drawer-xid48');
  } finally {
    published.stopAllMetrics();
  }
});

test('the Model filter and Colour by switch show the chosen model’s and metric’s published values', async ({
  page,
}) => {
  published.watchAllMetrics();
  try {
    await openFleet(page);
    await page.getByLabel('Colour by').selectOption('device.power.limit');
    await expect(page.getByTestId('fleet-heatmap')).toHaveAttribute(
      'data-metric',
      'device.power.limit',
    );
    await expect.poll(() => published.metricsNodes).toBe(NODES);
    const latest = published.latest();
    // Power limits per model, as published (a board's limit does not move in the simulator).
    const limits = new Map<string, Set<number>>();
    for (const d of published.allDevices()) {
      const v = sampleOf(latest.get(d.node)!, 'device.power.limit', d.id)?.v;
      if (typeof v !== 'number') continue;
      limits.set(d.name, (limits.get(d.name) ?? new Set()).add(v));
    }
    expect(limits.size, 'several models publish a power limit').toBeGreaterThan(1);
    // Unfiltered, the scale runs from 0 to the largest published limit.
    const top = Math.max(...[...limits.values()].flatMap((s) => [...s]));
    await expect(
      page.getByLabel(`Colour scale from 0 W to ${formatValue(top, 'watts')}`),
    ).toBeVisible();

    const all = published.allDevices();
    for (const [model, values] of limits) {
      const devices = all.filter((d) => d.name === model);
      const nodes = new Set(devices.map((d) => d.node));
      await page.getByLabel('Filter by model').selectOption(model);
      await expect(page.getByTestId('fleet-count')).toHaveText(
        `${devices.length.toLocaleString('en')} of ${devicesText(all.length)} match, on ${nodes.size.toLocaleString('en')} ${nodes.size === 1 ? 'node' : 'nodes'}`,
      );
      await expect(
        page.getByLabel(`Colour scale from 0 W to ${formatValue(Math.max(...values), 'watts')}`),
      ).toBeVisible();
      // The first cell's tooltip names the model and says its published limit: read while
      // hovering, then the click opens the drawer, which says which node and device it was.
      const heatmap = page.getByTestId('fleet-heatmap');
      const box = (await heatmap.boundingBox())!;
      const left = Number(await heatmap.getAttribute('data-cells-left'));
      const cell = Number(await heatmap.getAttribute('data-cell'));
      await page.mouse.move(box.x + left + cell / 2, box.y + cell / 2);
      const tooltip = page.getByRole('tooltip');
      await expect(tooltip).toContainText('Power limit: ');
      const tip = (await tooltip.textContent())!;
      await page.mouse.down();
      await page.mouse.up();
      const drawer = page.getByTestId('device-drawer');
      await expect(drawer).toBeVisible();
      const node = (await drawer.getAttribute('data-node'))!;
      const device = (await drawer.getAttribute('data-device'))!;
      const limit = sampleOf(latest.get(node)!, 'device.power.limit', device)?.v;
      expect(typeof limit, `${node} ${device} publishes a power limit`).toBe('number');
      expect(tip).toContain(`${node} · `);
      expect(tip).toContain(model);
      expect(tip).toContain(`Power limit: ${formatValue(limit!, 'watts')}`);
      await expect(drawer.locator('[data-metric="device.power.limit"] .value')).toHaveText(
        formatValue(limit!, 'watts'),
      );
      await snapshot(page, `fleet-model-${model.replace(/\W+/g, '-')}`);
      await page.getByRole('button', { name: 'Close device details' }).click();
    }
  } finally {
    published.stopAllMetrics();
  }
});

/** The engine rows the table renders now (it renders only those in view), read in one go. */
function renderedEngines(page: Page): Promise<Array<{ key: string; kv: string; row: number }>> {
  return page.getByRole('table', { name: 'Engines' }).evaluate((table) =>
    [...table.querySelectorAll('tbody tr[data-engine]')].map((tr) => ({
      key: `${tr.getAttribute('data-node')}/${tr.getAttribute('data-engine')}`,
      kv: tr.querySelector('[data-metric="engine.kv_cache.usage"]')?.textContent ?? '',
      row: Number(tr.getAttribute('aria-rowindex')),
    })),
  );
}

/** KV cache texts in row order are monotonic ("—", no value, last whichever the direction). */
function expectSorted(rows: Array<{ kv: string }>, descending: boolean): void {
  const values = rows.map((r) => (r.kv === '—' ? null : numberOf(r.kv)));
  const firstNull = values.indexOf(null);
  const numbers = (firstNull < 0 ? values : values.slice(0, firstNull)) as number[];
  expect(values.slice(numbers.length).every((v) => v === null)).toBe(true);
  const sorted = [...numbers].sort((a, b) => (descending ? b - a : a - b));
  expect(numbers).toEqual(sorted);
}

test('lists every published engine instance, sorted by KV cache in row order', async ({ page }) => {
  published.watchAllMetrics();
  let engines: Set<string>;
  try {
    await expect.poll(() => published.metricsNodes).toBe(NODES);
    engines = new Set<string>();
    for (const [node, message] of published.latest()) {
      for (const s of metricsSamples(message)) {
        if (s.m.startsWith('engine.') && s.l?.engine) engines.add(`${node}/${s.l.engine}`);
      }
    }
  } finally {
    published.stopAllMetrics();
  }
  expect(engines.size, 'the simulator publishes engines').toBeGreaterThan(0);

  await openFleet(page);
  await page.getByRole('tab', { name: 'Engines' }).click();
  await expect(page.getByTestId('engines-count')).toHaveText(
    `${engines.size.toLocaleString('en')} instances`,
  );
  const table = page.getByRole('table', { name: 'Engines' });
  const scroller = page.locator('.engines-scroll');
  const rowHeight = await table
    .locator('tbody tr[data-engine]')
    .first()
    .evaluate((tr) => tr.getBoundingClientRect().height);
  /** Scrolls the table to `top` and returns the rows rendered once the top row is there. */
  const windowAt = async (top: number) => {
    await scroller.evaluate((el, t) => (el.scrollTop = t), top);
    // aria-rowindex counts the header row as 1.
    const at = Math.min(Math.floor(top / rowHeight) + 2, engines.size + 1);
    await expect
      .poll(async () => (await renderedEngines(page)).some((r) => r.row === at))
      .toBe(true);
    return renderedEngines(page);
  };

  // By status, worst first, is the default; every row says one of the four states.
  const statusHeader = page.getByRole('columnheader', { name: /^Status/ });
  await expect(statusHeader).toHaveAttribute('aria-sort', 'ascending');
  const statuses = await table.evaluate((t) =>
    [...t.querySelectorAll('tbody tr[data-status]')].map((tr) => tr.getAttribute('data-status')),
  );
  const order = ['down', 'stalled', 'saturated', 'serving'];
  expect(statuses.every((s) => order.includes(s!))).toBe(true);
  expect(statuses.map((s) => order.indexOf(s!))).toEqual(
    statuses.map((s) => order.indexOf(s!)).sort((a, b) => a - b),
  );

  // By node (a key that does not move): scrolled through, the table holds exactly the published
  // engines, node names in order in every window.
  await page.getByRole('columnheader', { name: /^Node/ }).getByRole('button').click();
  const seen = new Set<string>();
  for (let top = 0; top < (engines.size + 1) * rowHeight; top += 20 * rowHeight) {
    const rows = await windowAt(top);
    const nodes = rows.map((r) => r.key.split('/')[0]!);
    expect(nodes).toEqual([...nodes].sort());
    for (const r of rows) seen.add(r.key);
  }
  expect([...seen].sort()).toEqual([...engines].sort());

  // By KV cache: the values read from the rows are in order, at the top and further down (the
  // order is live, so each rendered window is checked as one picture).
  const header = page.getByRole('columnheader', { name: /KV cache/ });
  await header.getByRole('button').click();
  await expect(header).toHaveAttribute('aria-sort', 'descending');
  const top = await windowAt(0);
  expect(top.length).toBeGreaterThan(10);
  expectSorted(top, true);
  await expect(
    table
      .locator('tbody tr[data-engine]')
      .first()
      .locator('[data-metric="engine.tokens.generation"]'),
  ).toHaveText(/ tok\/s$/);
  await snapshot(page, 'fleet-engines');
  expectSorted(await windowAt(Math.floor(engines.size / 2) * rowHeight), true);
  await header.getByRole('button').click();
  await expect(header).toHaveAttribute('aria-sort', 'ascending');
  expectSorted(await windowAt(0), false);
  expectSorted(await windowAt(Math.floor(engines.size / 2) * rowHeight), false);
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
