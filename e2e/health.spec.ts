/**
 * The Health view against the real simulator on a real nats-server: the simulator injects Xid 79,
 * Xid 48, thermal, power and an Ascend fault; each shows as an incident with the advice the
 * simulator published, which is the catalog's (NVSentinel's Xid rows, the Ascend fault levels)
 * for the catalogued ones, and with the engines of its node and what became of them as the
 * simulator published their values. A toast links to its incident, the header counts the open
 * ones, and an acknowledgement survives a reload.
 */
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';

import { connect, type NatsConnection } from '@nats-io/transport-node';
import { expect, test, type Locator, type Page } from '@playwright/test';

import { ascendFault } from '../collector/core/diagnosis/ascendFaultCodes.js';
import { SEVERITY_LABEL, SEVERITY_RANK } from '../collector/core/diagnosis/severity.js';
import { xidEntry } from '../collector/core/diagnosis/xidCatalog.js';
import { metricsSamples } from '../collector/core/protocol/grids.js';
import { startNatsServer, type NatsServer } from '../collector/testing/natsServer.js';
import type { MetricsMessage } from '../collector/core/protocol/spec.js';
import { formatValue } from '../renderer/src/lib/format.js';
import { BUCKET_WORDS } from '../collector/core/diagnosis/words.js';
import { FAILED_REASONS, IMPACT_WINDOW_MS } from '../renderer/src/views/health/engineImpact.js';
import { saveConnection, spawnSimulator } from './support/cluster.js';
import { serveConsole, type ServedConsole } from './support/osprey.js';
import { snapshot } from './support/page.js';
import { Published, type PublishedEvent } from './support/published.js';

const CLUSTER = 'sim-0';
const NODES = 16;
const DEVICES_PER_NODE = 8;
const SIM_CONTROL = 'osprey.sim.control';
/** An Ascend fault code of the fault dictionary's RestartNPUCodes level. */
const NPU_CODE = '0x80E24E00';

test.setTimeout(180_000);

let nats: NatsServer;
let served: ServedConsole;
let simulator: ChildProcess;
let listener: NatsConnection;
let published: Published;

interface Fault {
  what: string;
  node: string;
  device: number;
  command: string;
  /** Is this published event the fault's diagnosis? */
  matches: (e: PublishedEvent) => boolean;
}

test.beforeAll(async () => {
  nats = await startNatsServer({ websocket: true });
  served = await serveConsole();
  listener = await connect({ servers: nats.url });
  published = new Published(listener, CLUSTER);
  published.watchAllMetrics();
  const created = await saveConnection(served, {
    name: 'health',
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

async function injectFault(command: string): Promise<void> {
  const reply = await listener.request(SIM_CONTROL, command, { timeout: 10_000 });
  expect(reply.json<{ ok: boolean; error?: string }>(), command).toEqual({ ok: true });
}

async function openHealth(page: Page): Promise<void> {
  await page.goto(served.url);
  await page
    .getByRole('list', { name: 'Cluster connections' })
    .getByRole('button', { name: /^(?!Edit).*health .* · sim-0/ })
    .click();
  await expect(page.getByTestId('presence')).toHaveText('Live');
  await page.getByRole('tab', { name: 'Health' }).click();
  await expect(page.getByTestId('health-view')).toBeVisible();
}

/** The nodes of one vendor, as their inventories list them, sorted. */
function nodesOf(vendor: string): string[] {
  return [...published.devices.entries()]
    .filter(([, d]) => [...d.values()].every((x) => x.vendor === vendor))
    .map(([node]) => node)
    .sort();
}

function deviceId(node: string, index: number): string {
  const d = [...published.devices.get(node)!.values()].find((x) => x.index === index);
  expect(d, `${node} has a device ${index}`).toBeDefined();
  return d!.id;
}

/** The first published event of a fault, once the simulator has published it. */
async function diagnosisOf(fault: Fault): Promise<PublishedEvent> {
  await expect
    .poll(() => published.events.some(fault.matches), {
      message: `the simulator publishes a diagnosis for ${fault.what}`,
      timeout: 90_000,
    })
    .toBe(true);
  return published.events.find(fault.matches)!;
}

function card(page: Page, node: string, device: string): Locator {
  return page.locator(
    `[data-testid="health-incident"][data-node="${node}"][data-device="${device}"]`,
  );
}

/** The engines of a node in its latest published metrics, and whether each still reports. */
function publishedEngines(node: string): Map<string, boolean> {
  const message = published.latest().get(node);
  expect(message, `metrics of ${node} were published`).toBeDefined();
  const out = new Map<string, boolean>();
  for (const s of metricsSamples(message!)) {
    if (s.m !== 'engine.requests.running' || s.l?.engine === undefined) continue;
    out.set(s.l.engine, s.v !== null);
  }
  return out;
}

/**
 * An engine's error rate in the minute from `ts` on, from the simulator's published
 * engine.requests.finished counters: the increase of aborted (and errored) over all finished from
 * the last message before `ts` to the last within the minute; null when nothing finished.
 */
function publishedErrorRateAfter(
  messages: readonly MetricsMessage[],
  engine: string,
  ts: number,
): number | null {
  const counts = (m: MetricsMessage) => {
    let finished: number | null = null;
    let failed = 0;
    for (const s of metricsSamples(m)) {
      if (s.m !== 'engine.requests.finished' || s.l?.engine !== engine || s.v === null) continue;
      finished = (finished ?? 0) + s.v;
      if (FAILED_REASONS.has(s.l.reason!)) failed += s.v;
    }
    return finished === null ? undefined : { finished, failed };
  };
  let base: { finished: number; failed: number } | undefined;
  let end: typeof base;
  for (const m of messages) {
    const c = counts(m);
    if (!c) continue;
    if (m.ts < ts) base = c;
    else if (m.ts <= ts + IMPACT_WINDOW_MS) end = c;
  }
  expect(base, `${engine} published finished counters before the fault`).toBeDefined();
  if (!end || end.finished === base!.finished) return null;
  return (100 * (end.failed - base!.failed)) / (end.finished - base!.finished);
}

/** Open incidents of warning or worse among what the simulator published (one per incident). */
function publishedOpenIncidents(): number {
  const latest = new Map<string, PublishedEvent>();
  for (const e of published.events) if (e.id !== undefined) latest.set(e.id, e);
  const open = new Set<string>();
  for (const e of latest.values()) {
    if (e.resolved !== undefined || SEVERITY_RANK[e.severity] < SEVERITY_RANK.warning) continue;
    open.add(`${e.node}\u0000${e.incident ?? e.id}`);
  }
  return open.size;
}

/** The header's count of open incidents (no badge: none). */
async function headerCount(page: Page): Promise<number> {
  const badge = page.getByTestId('health-count');
  return (await badge.count()) === 0 ? 0 : Number(await badge.getAttribute('data-count'));
}

test('shows each injected fault with the catalog’s advice and the engines of its node', async ({
  page,
}) => {
  await expect
    .poll(() => published.devices.size, { message: 'every node sent its inventory' })
    .toBe(NODES);
  const nvidia = nodesOf('nvidia');
  const ascend = nodesOf('ascend');
  expect(nvidia.length, 'the simulated fleet has NVIDIA nodes').toBeGreaterThanOrEqual(4);
  expect(ascend.length, 'the simulated fleet has Ascend nodes').toBeGreaterThanOrEqual(1);
  const [n79, n48, nThermal, nPower] = nvidia as [string, string, string, string];
  const nNpu = ascend[0]!;
  // Every metrics message of the Xid 79 node from before its fault, for the engines' error rate.
  const watch79 = new Published(listener, CLUSTER, [n79], 400);

  // The page listens before the faults: a fault published on NATS core reaches those listening.
  await openHealth(page);
  await expect(page.getByTestId('health-no-diagnoses')).toBeVisible({ timeout: 30_000 });
  await snapshot(page, 'health-empty');

  const on = (node: string, index: number) => (e: PublishedEvent) =>
    e.node === node && e.d === deviceId(node, index) && e.id !== undefined;
  const faults: Fault[] = [
    {
      what: 'Xid 79',
      node: n79,
      device: 2,
      command: `node=${n79} device=2 kind=xid79`,
      matches: (e) => on(n79, 2)(e) && e.kind === 'xid' && e.code === '79',
    },
    {
      what: 'Xid 48',
      node: n48,
      device: 4,
      command: `node=${n48} device=4 kind=xid48`,
      matches: (e) => on(n48, 4)(e) && e.kind === 'xid' && e.code === '48',
    },
    {
      what: 'thermal',
      node: nThermal,
      device: 1,
      command: `node=${nThermal} device=1 kind=thermal duration=10m`,
      matches: (e) => on(nThermal, 1)(e) && e.kind === 'temperature',
    },
    {
      what: 'power',
      node: nPower,
      device: 3,
      command: `node=${nPower} device=3 kind=power duration=10m`,
      matches: (e) => on(nPower, 3)(e) && e.kind === 'power',
    },
    {
      what: 'npu-fault',
      node: nNpu,
      device: 0,
      command: `node=${nNpu} device=0 kind=npu-fault code=${NPU_CODE} duration=10m`,
      matches: (e) => on(nNpu, 0)(e) && e.kind === 'npu-fault',
    },
  ];
  for (const f of faults) await injectFault(f.command);

  // A toast for a new fault, and its link lands on the incident.
  const toast = page.getByTestId('toast').first();
  await expect(toast).toBeVisible({ timeout: 60_000 });
  await snapshot(page, 'health-toast');

  for (const f of faults) {
    const event = await diagnosisOf(f);
    // The catalogued faults' advice is the catalog's row.
    if (f.what === 'Xid 79' || f.what === 'Xid 48') {
      const row = xidEntry(Number(event.code))!;
      expect(event.action!.bucket, `${f.what}: NVSentinel's bucket`).toBe(row.bucket);
      expect(event.ref, `${f.what}: NVSentinel's row`).toMatchObject({
        catalog: 'nvsentinel-xid',
        id: String(row.code),
        name: row.mnemonic,
      });
    }
    if (f.what === 'npu-fault') {
      const level = ascendFault(NPU_CODE)!;
      expect(event.code).toBe(NPU_CODE);
      expect(event.action).toMatchObject({ bucket: level.bucket, summary: level.summary });
      expect(event.ref).toMatchObject({ catalog: 'ascend-fault-code', name: level.level });
    }

    const c = card(page, f.node, event.d!);
    await expect(c, `${f.what} on ${f.node} has an incident`).toHaveCount(1, { timeout: 30_000 });
    const block = c.locator(`[data-testid="health-diagnosis"][data-diagnosis="${event.id}"]`);
    await expect(block.getByTestId('advice-bucket')).toHaveText(
      BUCKET_WORDS[event.action!.bucket as keyof typeof BUCKET_WORDS],
    );
    await expect(block.getByTestId('advice-summary')).toHaveText(event.action!.summary);
    await expect(block.getByTestId('advice-ref')).toContainText(event.ref!.name ?? event.ref!.id);
    await expect(c.getByTestId('incident-state')).toHaveText('Open');
    // The incident's severity is its worst diagnosis's, as published.
    const worst = published.events
      .filter((e) => e.node === f.node && e.incident === event.incident && e.resolved === undefined)
      .reduce(
        (w, e) => (SEVERITY_RANK[e.severity] > SEVERITY_RANK[w] ? e.severity : w),
        event.severity,
      );
    await expect(c.locator('.severity-pill')).toHaveText(SEVERITY_LABEL[worst]);
    await expect(c.getByTestId('incident-impact-sentence')).toContainText(` on ${f.node} at `);

    // Impact on inference: every engine the node publishes, and which of them stopped.
    const engines = publishedEngines(f.node);
    const rows = c.locator('.health-impact-table tbody tr');
    if (engines.size === 0) {
      await expect(c.getByTestId('incident-impact-sentence')).toContainText(
        'no engine on that node reports',
      );
      continue;
    }
    await expect(rows).toHaveCount(engines.size);
    expect(
      (await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-engine')))).sort(),
    ).toEqual([...engines.keys()].sort());
    if (f.what === 'Xid 79') {
      const down = [...engines].filter(([, reporting]) => !reporting).map(([e]) => e);
      expect(down.length, 'the engine on the lost GPU stopped publishing values').toBeGreaterThan(
        0,
      );
      for (const e of down) {
        await expect(
          c.locator(`.health-impact-table tbody tr[data-engine="${e}"]`),
        ).toHaveAttribute('data-impact', 'stopped', { timeout: 30_000 });
        await expect(c.getByTestId('incident-impact-sentence')).toContainText(`engine ${e}`);
        // Its error rate after the fault is what its published counters say: the running batch
        // and the queue it failed on the tick of the loss, over all it finished since.
        const after = publishedErrorRateAfter(watch79.metricsOf(f.node), e, event.ts);
        expect(after, `${e} failed requests when its GPU was lost`).toBe(100);
        await expect(
          c.locator(
            `.health-impact-table tbody tr[data-engine="${e}"] [data-testid="impact-error-rate"]`,
          ),
        ).toHaveText(new RegExp(`(^| → )${formatValue(after!, 'percent')}$`));
      }
      watch79.unsubscribe();
    }
  }
  await expect
    .poll(() => headerCount(page), {
      message: 'the header counts the open incidents the simulator published',
      timeout: 20_000,
    })
    .toBe(publishedOpenIncidents());
  await snapshot(page, 'health-incidents');

  // A toast's link opens its incident, outlined.
  await injectFault(`node=${n48} device=6 kind=xid48`);
  const next = page.getByTestId('toast').filter({ hasText: n48 }).last();
  await expect(next).toBeVisible({ timeout: 60_000 });
  await next.getByRole('button', { name: 'Show in Health' }).click();
  const second = published.events.find(
    (e) => e.node === n48 && e.d === deviceId(n48, 6) && e.code === '48',
  )!;
  await expect(card(page, n48, second.d!)).toHaveClass(/focused/);
});

test('an acknowledgement survives a reload', async ({ page }) => {
  await openHealth(page);
  const nThermal = nodesOf('nvidia')[2]!;
  const device = deviceId(nThermal, 1);
  // The thermal fault lasts 10 min: its diagnosis is re-sent as its count grows (every 10 s).
  const c = card(page, nThermal, device);
  await expect(c).toHaveCount(1, { timeout: 60_000 });
  await c.getByRole('button', { name: 'Acknowledge' }).click();
  await expect(c.getByTestId('incident-state')).toHaveText('Acknowledged');
  // The header no longer counts it: its count is the open incidents of warning or worse shown.
  const openShown = () =>
    page
      .locator('[data-testid="health-incident"][data-state="open"]')
      .evaluateAll((els) => els.filter((el) => el.getAttribute('data-severity') !== 'info').length);
  await expect.poll(async () => (await headerCount(page)) === (await openShown())).toBe(true);

  await page.reload();
  await expect(page.getByTestId('health-view')).toBeVisible();
  const again = card(page, nThermal, device);
  await expect(again).toHaveCount(1, { timeout: 60_000 });
  await expect(again.getByTestId('incident-state')).toHaveText('Acknowledged');
  await expect(again.getByRole('button', { name: 'Acknowledge' })).toHaveCount(0);
  await snapshot(page, 'health-acknowledged');
});
