/**
 * Hostile input against the console in Chromium (issue 10, deliverable 7): the real nats-server
 * (WebSocket), the real simulator's 16 good nodes, the real `osprey serve`, and one connection to
 * every cluster with Eagle Eye on. Then the generator of e2e/support/hostile sends, phase by
 * phase: malformed bodies, markup and bidi in every name, odd subjects, Eagle Eye variants, a
 * 48-node series bomb, a node flood and clock skew. Throughout, the page must open no dialog,
 * gain no element a payload could inject, run no payload, keep its JS heap within the issue's
 * 600 MB, and keep a good node's drawer showing what the simulator published, current;
 * afterwards the problems panel must name (and count) what it refused, and names must be drawn
 * as text with bidi controls escaped (`\u202E`).
 *
 * Long tasks, peak heap and freshness per phase are reported (attachment "hostile-figures" and
 * the console), not asserted: timings belong in BENCHMARKS.md.
 */
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';

import { connect, type NatsConnection } from '@nats-io/transport-node';
import { expect, test, type Page } from '@playwright/test';

import { metricsSamples } from '../collector/core/protocol/grids.js';
import type { MetricsMessage } from '../collector/core/protocol/spec.js';
import { subjectFor } from '../collector/core/protocol/subjects.js';
import { Rng } from '../collector/simulator/prng.js';
import { startNatsServer, type NatsServer } from '../collector/testing/natsServer.js';
import { formatValue } from '../renderer/src/lib/format.js';
import { checkNatsMessage } from '../renderer/src/sources/natsMessages.js';
import { spoofedCopies, steppingClock } from './support/hostile/clockSkew.js';
import { GOOD_EAGLE_ENGINE, goodEagleStep, hostileEagleEye } from './support/hostile/eagleEye.js';
import { hostileNamePublications, hostileNodes } from './support/hostile/hostileNames.js';
import {
  badNumbers,
  deepNesting,
  missingVersion,
  newerSender,
  notJson,
  oversized,
  prototypeKeys,
  wrongSchema,
  wrongVersion,
} from './support/hostile/malformed.js';
import { BIDI_PATTERN } from './support/hostile/names.js';
import { floodBurst } from './support/hostile/nodeFlood.js';
import { oddSubjects } from './support/hostile/oddSubjects.js';
import { installPageWatch, readPageWatch, type LongTask } from './support/hostile/pageWatch.js';
import type { Publication } from './support/hostile/publication.js';
import { Sampler } from './support/hostile/Sampler.js';
import {
  BOMB_CLUSTER,
  bombInventories,
  bombNodes,
  bombTick,
} from './support/hostile/seriesBomb.js';
import { nvidiaDevices, type NodeIdentity } from './support/hostile/wire.js';
import { SCREENSHOTS, serveConsole, type ServedConsole } from './support/osprey.js';
import { saveConnection, spawnSimulator } from './support/cluster.js';

const SEED = 10;
const GOOD_CLUSTER = 'sim-0';
const GOOD_NODE = 'node-003';
/** The store keys nodes of an every-cluster connection as cluster/node. */
const GOOD_KEY = `${GOOD_CLUSTER}/${GOOD_NODE}`;
/** The stated bound: "JS heap ≤ 600 MB whatever a sender does". */
const HEAP_BOUND_BYTES = 600 * 2 ** 20;
/** Good data on screen at most this old once a phase is over (2 Hz sender, 1 s render tick). */
const FRESH_MS = 5000;
/** How long a phase's aftermath may take to get back to FRESH_MS. */
const RECOVER_MS = 15_000;

test.describe.configure({ mode: 'serial' });
test.use({
  launchOptions: {
    executablePath: '/usr/bin/chromium',
    // performance.memory with exact figures, for anyone reading the page during a run.
    args: ['--enable-precise-memory-info'],
  },
  // The screencast costs the CPU this test measures (fleet.spec.ts says how much).
  trace: { mode: 'retain-on-failure', screenshots: false, snapshots: true },
});
test.setTimeout(300_000);

let nats: NatsServer;
let served: ServedConsole;
let simulator: ChildProcess;
let publisher: NatsConnection;
let listener: NatsConnection;
/** Bodies this test published on the good node's subject (not the simulator's). */
const ownBodies = new Set<string>();
let eagleTimer: ReturnType<typeof setInterval> | undefined;
const goodMessages: MetricsMessage[] = [];

test.beforeAll(async () => {
  // Above the decoder's 4 MiB limit, so the oversized body reaches the console.
  nats = await startNatsServer({ websocket: true, maxPayload: 8 * 1024 * 1024 });
  served = await serveConsole();
  publisher = await connect({ servers: nats.url });
  // A connection of its own, and a guarded parse: this test publishes garbage on the good node's
  // subject too (a throw in a nats.js callback would close the reader), and must not mistake its
  // own spoofed copies for what the simulator sent.
  listener = await connect({ servers: nats.url });
  listener.subscribe(subjectFor('metrics', GOOD_CLUSTER, GOOD_NODE), {
    callback: (_err, msg) => {
      const text = msg.string();
      if (ownBodies.has(text)) return;
      try {
        goodMessages.push(JSON.parse(text) as MetricsMessage);
      } catch {
        return;
      }
      if (goodMessages.length > 240) goodMessages.shift();
    },
  });
  const created = await saveConnection(served, {
    name: 'hostile',
    natsUrl: nats.wsUrl!,
    eagleEye: { enabled: true },
  });
  expect(created.status).toBe(201);
  simulator = spawnSimulator({
    natsUrl: nats.url,
    nodes: 16,
    devicesPerNode: 8,
    rate: 2,
    seed: 1,
    inventoryEvery: '5s',
  });
  const rng = new Rng(SEED);
  eagleTimer = setInterval(() => publish([goodEagleStep(Date.now(), rng)]), 200);
});

test.afterAll(async () => {
  clearInterval(eagleTimer);
  if (simulator && simulator.exitCode === null && simulator.signalCode === null) {
    simulator.kill('SIGTERM');
    await once(simulator, 'exit');
  }
  await listener?.close();
  await publisher?.close();
  await served?.stop();
  await nats?.stop();
});

const GOOD_SUBJECT = subjectFor('metrics', GOOD_CLUSTER, GOOD_NODE);

function publish(list: Publication[]): void {
  for (const p of list) {
    if (p.subject === GOOD_SUBJECT) {
      ownBodies.add(typeof p.data === 'string' ? p.data : new TextDecoder().decode(p.data));
    }
    publisher.publish(p.subject, p.data);
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Publishes round k of `make` at start + k × everyMs (a late round goes out at once, so the rate
 * holds on a busy machine), then waits for the server to have them all. Returns the seconds the
 * rounds took, for the achieved rate.
 */
async function paced(
  rounds: number,
  everyMs: number,
  make: (k: number) => Publication[],
): Promise<number> {
  const start = Date.now();
  for (let k = 0; k < rounds; k++) {
    await sleep(start + k * everyMs - Date.now());
    publish(make(k));
  }
  await publisher.flush();
  await sleep(start + rounds * everyMs - Date.now());
  return (Date.now() - start) / 1000;
}

/** The good node's devices as the simulator names them (the rows of its grids). */
function goodIdentity(): NodeIdentity {
  const latest = goodMessages[goodMessages.length - 1]!;
  const ids = [...new Set(metricsSamples(latest).flatMap((s) => (s.d ? [s.d] : [])))];
  return {
    cluster: GOOD_CLUSTER,
    node: GOOD_NODE,
    devices: ids.map((id, index) => ({ id, vendor: 'nvidia', index, name: 'sim' })),
  };
}

async function openDrawer(page: Page, key: string): Promise<void> {
  await page.getByLabel('Search node, UUID or model').fill(key);
  const heatmap = page.getByTestId('fleet-heatmap');
  await expect(heatmap).toHaveAttribute('data-nodes', '1');
  // The canvas lays out again when the filter lands: read its geometry at each try.
  await expect(async () => {
    const box = (await heatmap.boundingBox())!;
    const left = Number(await heatmap.getAttribute('data-cells-left'));
    const cell = Number(await heatmap.getAttribute('data-cell'));
    await page.mouse.click(box.x + left + cell / 2, box.y + cell / 2);
    await expect(page.getByTestId('device-drawer')).toHaveAttribute('data-node', key, {
      timeout: 2000,
    });
  }).toPass({ timeout: 15_000 });
  await page.getByLabel('Search node, UUID or model').fill('');
}

interface Shown {
  text: string;
  ts: number;
  state: string;
  device: string;
}

async function shownUtilization(page: Page): Promise<Shown> {
  const drawer = page.getByTestId('device-drawer');
  return drawer.evaluate((el) => {
    const block = el.querySelector('[data-metric="device.utilization"]');
    return {
      text: block?.querySelector('.value')?.textContent ?? '',
      ts: Number(block?.getAttribute('data-ts')),
      state: /state-(\w+)/.exec(block?.className ?? '')?.[1] ?? '',
      device: el.getAttribute('data-device') ?? '',
    };
  });
}

const soft = expect.configure({ soft: true });

/** Whether a shown value is one of `messages`' value for the shown device, fresh on screen. */
function verdictOf(shown: Shown, messages: MetricsMessage[], byTs: boolean): string {
  if (shown.state !== 'fresh') return `state ${shown.state || 'unknown'}`;
  const textOf = (m: MetricsMessage | undefined): string => {
    const sample = m
      ? metricsSamples(m).find((s) => s.m === 'device.utilization' && s.d === shown.device)
      : undefined;
    return sample?.v == null ? 'no value' : formatValue(sample.v, 'percent');
  };
  if (!byTs) {
    const texts = messages.slice(-4).map(textOf);
    return texts.includes(shown.text)
      ? 'current'
      : `shows ${shown.text}, sent ${texts.join(' | ')}`;
  }
  const i = messages.findIndex((m) => m.ts === shown.ts);
  if (i < 0) return `no message stamped ${shown.ts}`;
  if (textOf(messages[i]) === shown.text) return 'current';
  // Which message the value came from, to tell a stale value from a misplaced one.
  const near = [-2, -1, 1, 2].map((d) => `${d > 0 ? '+' : ''}${d}: ${textOf(messages[i + d])}`);
  const then = textOf(messages[i]);
  return `shows ${shown.text} stamped ${shown.ts}; published then ${then} (${near.join(', ')})`;
}

/**
 * The good node's drawer shows, stamped within FRESH_MS of now, exactly the value the simulator
 * published for that device at that time; polled up to RECOVER_MS after a phase.
 */
async function expectGoodNodeCurrent(page: Page, phase: string): Promise<void> {
  await soft
    .poll(
      async () => {
        const shown = await shownUtilization(page);
        const age = Date.now() - shown.ts;
        if (!(age <= FRESH_MS)) return `${age} ms old`;
        return verdictOf(shown, goodMessages, true);
      },
      { timeout: RECOVER_MS, intervals: [500], message: `${phase}: ${GOOD_KEY}'s drawer` },
    )
    .toBe('current');
}

/** The header's lag, in seconds (0 when it shows none). */
async function lagSeconds(page: Page): Promise<number> {
  const lag = page.getByTestId('data-lag');
  if ((await lag.count()) === 0) return 0;
  const text = await lag.textContent({ timeout: 1000 }).catch(() => null);
  return Number.parseFloat(text ?? '0') || 0;
}

async function expectNotBehind(page: Page, phase: string): Promise<void> {
  await soft
    .poll(() => lagSeconds(page), { timeout: RECOVER_MS, message: `${phase}: "N s behind"` })
    .toBeLessThan(FRESH_MS / 1000);
}

/** Numbers no sender can mean, drawn as text: "NaN", "Infinity" (1e999 parses to Infinity). */
async function nonNumbersDrawn(page: Page): Promise<string | undefined> {
  const text = await page.evaluate(() => document.body.innerText);
  const at = /\bNaN\b|Infinity/.exec(text)?.index;
  return at === undefined ? undefined : JSON.stringify(text.slice(Math.max(0, at - 40), at + 20));
}

/** Where a raw bidi control is drawn as text (body text or a title tooltip), or undefined. */
async function rawBidiDrawn(page: Page): Promise<string | undefined> {
  const drawn = await page.evaluate(() => {
    const titles = [...document.querySelectorAll('[title]')].map((e) => e.getAttribute('title'));
    return `${document.body.innerText}\n${titles.join('\n')}`;
  });
  const at = BIDI_PATTERN.exec(drawn)?.index;
  return at === undefined ? undefined : JSON.stringify(drawn.slice(Math.max(0, at - 40), at + 20));
}

/** A capture of the window (the page grows to thousands of rows: not full-page). */
async function capture(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
}

/**
 * The Engines row found by `search` draws its names as text: markup as its own characters, every
 * bidi control as the text `\u202E` (and so on), never raw. Back to the Fleet tab after.
 */
async function expectEngineNamesAsText(page: Page, search: string, kind: 'html' | 'bidi') {
  await page.getByRole('tab', { name: 'Engines' }).click();
  await page.getByLabel('Search engines').fill(search);
  const row = page.getByRole('table', { name: 'Engines' }).locator('tbody tr[data-engine]');
  await soft.poll(() => row.count(), { message: `an Engines row for "${search}"` }).toBe(1);
  for (const text of await row.allTextContents()) {
    if (kind === 'html') {
      expect.soft(text, `${search}: markup drawn as its characters`).toContain('<');
    } else {
      expect.soft(text, `${search}: bidi control shown as \\u202E`).toContain('\\u202E');
    }
    expect.soft(text, `${search}: a raw bidi control in the row`).not.toMatch(BIDI_PATTERN);
  }
  await capture(page, `hostile-engines-${kind}-${search}`);
  await page.getByLabel('Search engines').fill('');
  await page.getByRole('tab', { name: 'Fleet' }).click();
}

test('the generator is deterministic by seed, its valid messages decode and its malformed ones are refused', () => {
  const at = 1_700_000_000_000;
  const valid = (seed: number): Publication[] => {
    const rng = new Rng(seed);
    return [
      ...hostileNamePublications(seed, hostileNodes(seed, rng), at, 0, rng),
      ...bombTick(bombNodes(2), 0, at, rng),
      ...floodBurst(0, 3, at, rng),
      ...bombInventories(bombNodes(2), at),
    ];
  };
  expect(valid(SEED)).toEqual(valid(SEED));
  expect(valid(SEED)).not.toEqual(valid(SEED + 1));
  for (const p of valid(SEED)) {
    const verdict = checkNatsMessage(p.subject, p.data);
    expect(verdict.ok ? 'ok' : verdict.message, p.what).toBe('ok');
  }
  const rng = new Rng(SEED);
  const id: NodeIdentity = { cluster: 'c', node: 'n', devices: nvidiaDevices(2, rng) };
  const refused = [
    ...notJson(id, at),
    ...oversized(id),
    ...wrongSchema(id, at, rng),
    ...wrongVersion(id, at, rng),
    ...missingVersion(id, at, rng),
    ...deepNesting(id, at),
    ...oddSubjects(id, at, rng),
  ];
  for (const p of refused) expect(checkNatsMessage(p.subject, p.data).ok, p.what).toBe(false);
  for (const p of newerSender(id, at, rng)) {
    const verdict = checkNatsMessage(p.subject, p.data);
    expect(verdict.ok ? 'ok' : verdict.message, p.what).toBe('ok');
  }
});

test('hostile senders: no dialog, no injected element or script, heap ≤ 600 MB, good nodes current, problems named, names drawn as escaped text', async ({
  page,
}, testInfo) => {
  const dialogs = await installPageWatch(page);
  const rng = new Rng(SEED);
  const longTasks = new Map<string, LongTask[]>();
  const sampler = await Sampler.attach(page, GOOD_KEY);
  let floodRate = 0;
  /** What the fleet panel says it holds after each phase ("N devices on M nodes"). */
  const held = new Map<string, string>();

  await page.goto(served.url);
  await page
    .getByRole('list', { name: 'Cluster connections' })
    .getByRole('button', { name: /^(?!Edit).*hostile/ })
    .click();
  await expect(page.getByTestId('presence')).toHaveText('Live');
  await expect(page.getByTestId('fleet-count')).toHaveText(/^128 devices on 1[67] nodes/, {
    timeout: 30_000,
  });
  await openDrawer(page, GOOD_KEY);
  sampler.start();

  const phase = async (name: string, run: () => Promise<void>): Promise<void> => {
    await test.step(name, async () => {
      sampler.enter(name);
      await run();
      await expectGoodNodeCurrent(page, name);
      await expectNotBehind(page, name);
      const sample = await sampler.sample();
      expect.soft(sample.heapBytes, `${name}: JS heap after`).toBeLessThanOrEqual(HEAP_BOUND_BYTES);
      longTasks.set(name, (await readPageWatch(page)).longTasks);
      held.set(name, (await page.getByTestId('fleet-count').textContent()) ?? '');
    });
  };

  await phase('baseline', async () => {
    await sleep(3000);
  });

  const target: NodeIdentity = {
    cluster: 'hostile',
    node: 'mal-0',
    devices: nvidiaDevices(2, rng),
  };
  // Problems are grouped by kind, type and cluster, showing the newest text: a version-less
  // sender gets a cluster of its own so its text and "version 2" are both on the panel.
  const versionless: NodeIdentity = { ...target, cluster: 'hostile-nov' };
  await phase('malformed', async () => {
    const now = Date.now();
    const good = goodIdentity();
    for (const id of [target, good]) {
      publish([
        ...notJson(id, now),
        ...wrongSchema(id, now, rng),
        ...wrongVersion(id, now, rng),
        ...badNumbers(id, now, rng),
        ...deepNesting(id, now),
        ...prototypeKeys(id, now, rng),
      ]);
    }
    publish(missingVersion(versionless, now, rng));
    publish(oversized(target));
    await publisher.flush();
    await sleep(2000);
  });

  const named = hostileNodes(SEED, rng);
  await phase('hostile names', async () => {
    await paced(3, 1000, (k) => hostileNamePublications(SEED, named, Date.now(), k, rng));
    await expectEngineNamesAsText(page, 'html-engine', 'html');
    await expectEngineNamesAsText(page, 'bidi-engine', 'bidi');
    await openDrawer(page, `${named.bidi.cluster}/${named.bidi.node}`);
    const drawer = page.getByTestId('device-drawer');
    const heading = drawer.getByRole('heading', { level: 2 });
    await expect.soft(heading, 'bidi node drawer heading').toContainText('\\u202E');
    expect.soft(await rawBidiDrawn(page), 'a raw bidi control drawn (drawer)').toBeUndefined();
    await capture(page, 'hostile-bidi-drawer');
    await openDrawer(page, `${named.markup.cluster}/${named.markup.node}`);
    await expect.soft(drawer.getByRole('heading', { level: 2 })).toContainText('<');
    await capture(page, 'hostile-markup-drawer');
    await openDrawer(page, GOOD_KEY);
  });

  await phase('odd subjects', async () => {
    publish(oddSubjects(target, Date.now(), rng));
    await publisher.flush();
    await sleep(1000);
  });

  await phase('eagle eye', async () => {
    await paced(2, 1000, () => hostileEagleEye(SEED, Date.now(), rng));
    await expectEngineNamesAsText(page, 'html-ee-engine', 'html');
    await expectEngineNamesAsText(page, 'bidi-ee-engine', 'bidi');
    await openDrawer(page, GOOD_KEY);
  });

  await phase('series bomb', async () => {
    const nodes = bombNodes();
    // Proof the bomb went through the server: this test hears it too.
    let heard = 0;
    const ear = listener.subscribe(`osprey.v1.metrics.${BOMB_CLUSTER}.*`, {
      callback: () => void (heard += 1),
    });
    publish(bombInventories(nodes, Date.now()));
    await paced(3, 1000, (k) => bombTick(nodes, k, Date.now(), rng));
    await listener.flush();
    ear.unsubscribe();
    expect(heard, 'bomb messages through nats-server').toBe(3 * nodes.length);
  });

  await phase('node flood', async () => {
    // 30 new nodes every 100 ms: 300 a second for 8 s, 2,400 nodes of 8 devices.
    const seconds = await paced(80, 100, (k) => floodBurst(k * 30, 30, Date.now(), rng));
    floodRate = Math.round(2400 / seconds);
  });

  // Last, so that a console that believes a bad clock spoils no other phase's figures.
  const stepping: NodeIdentity = {
    cluster: 'skew',
    node: 'clock-step',
    devices: nvidiaDevices(2, rng),
  };
  await phase('clock skew', async () => {
    publish(spoofedCopies(goodMessages[goodMessages.length - 1]!, Date.now()));
    // A node whose clock steps 10 min back after 3 s and keeps sending every 500 ms: its values
    // on screen must stay the ones it sends, fresh.
    const sent: MetricsMessage[] = [];
    let k = 0;
    const timer = setInterval(() => {
      const p = steppingClock(stepping, k++, 6, Date.now(), rng);
      sent.push(JSON.parse(p.data as string) as MetricsMessage);
      publish([p]);
    }, 500);
    try {
      await sleep(6000);
      await openDrawer(page, `${stepping.cluster}/${stepping.node}`);
      await soft
        .poll(async () => verdictOf(await shownUtilization(page), sent, false), {
          timeout: RECOVER_MS,
          message: 'a node whose clock stepped back 10 min',
        })
        .toBe('current');
    } finally {
      clearInterval(timer);
    }
    await openDrawer(page, GOOD_KEY);
  });

  sampler.enter('after');
  await sleep(3000);
  await expectGoodNodeCurrent(page, 'after');
  sampler.stop();
  const watch = await readPageWatch(page);
  longTasks.set('after', watch.longTasks);
  await capture(page, 'hostile-after');
  expect.soft(await nonNumbersDrawn(page), 'NaN or Infinity drawn (Fleet)').toBeUndefined();

  // Figures for the report and BENCHMARKS.md, before anything else can fail.
  const figures = sampler.figures().map((f) => {
    const tasks = longTasks.get(f.phase) ?? [];
    return {
      ...f,
      held: held.get(f.phase),
      longTasks: tasks.length,
      longestTaskMs: Math.round(Math.max(0, ...tasks.map((t) => t.duration))),
      longTaskTotalMs: Math.round(tasks.reduce((n, t) => n + t.duration, 0)),
    };
  });
  const report = {
    peakHeapMB: Math.round(sampler.peakHeapBytes / 2 ** 20),
    floodNodesPerSecond: floodRate,
    figures,
  };
  console.log(`hostile figures: ${JSON.stringify(report)}`);
  await testInfo.attach('hostile-figures', {
    body: JSON.stringify(report, null, 2),
    contentType: 'application/json',
  });

  // Inert: nothing ran, nothing was injected, no dialog, no prototype pollution.
  expect.soft(dialogs, 'dialogs the page opened').toEqual([]);
  expect.soft(watch.injected, 'elements a payload could have injected').toEqual([]);
  expect.soft(watch.handlers, 'inline event handlers in the page').toEqual([]);
  expect.soft(watch.ran, 'a payload ran').toBeUndefined();
  expect.soft(watch.polluted, 'Object.prototype polluted').toBeUndefined();
  expect.soft(await page.locator('img[src="x"]').count(), 'img[src=x]').toBe(0);

  // Bounded: the 600 MB, over every sample of every phase.
  expect.soft(sampler.peakHeapBytes, 'peak JS heap').toBeLessThanOrEqual(HEAP_BOUND_BYTES);

  // The good Eagle Eye engine kept flowing through every Eagle Eye variant.
  await page.getByRole('tab', { name: 'Engines' }).click();
  await page.getByLabel('Search engines').fill(GOOD_EAGLE_ENGINE);
  const goodEngine = page.locator(`tr[data-engine="${GOOD_EAGLE_ENGINE}"]`);
  await expect.soft(goodEngine, 'the good Eagle Eye engine is listed').toHaveCount(1);
  await expect.soft(goodEngine, 'the good Eagle Eye engine is current').not.toHaveClass(/stale/);
  expect.soft(await rawBidiDrawn(page), 'a raw bidi control drawn (Engines)').toBeUndefined();
  expect.soft(await nonNumbersDrawn(page), 'NaN or Infinity drawn (Engines)').toBeUndefined();

  // The problems panel names what was refused, clearly.
  await page.getByRole('button', { name: /problems?$/ }).click();
  const problems = page.getByRole('dialog', { name: 'Problems' });
  await expect(problems).toBeVisible();
  const problemText = (await problems.textContent()) ?? '';
  await testInfo.attach('problems', { body: problemText, contentType: 'text/plain' });
  const expectProblem = (what: string, pattern: RegExp) =>
    expect.soft(problemText, `problems panel names ${what}`).toMatch(pattern);
  expectProblem('bodies that are not JSON', /not JSON on osprey\.v1\.metrics\.hostile\.mal-0/);
  expectProblem('the oversized body', /too large on osprey\.v1\.metrics\.hostile\.mal-0/);
  expectProblem('schema mismatches', /schema mismatch on osprey\.v1\./);
  expectProblem('an unsupported version', /unsupported protocol version .*hostile\.mal-0/);
  expectProblem('a missing version', /hostile-nov.*(no|missing|without( a)?) (protocol )?version/i);
  expect
    .soft(problemText, 'a missing version is not "version undefined"')
    .not.toMatch(/version undefined/);
  expectProblem('odd subjects', /not an Osprey subject/);
  expectProblem('Eagle Eye refusals', /Eagle Eye message dropped/);
  // Counted, not just named: every not-JSON body of the hostile node, and the one oversized body.
  const countOf = (text: string) =>
    problems
      .locator('li', { hasText: text })
      .locator('.problem-count')
      .first()
      .textContent({ timeout: 5000 })
      .catch(() => 'no such problem');
  const notJsonSent = notJson(target, 0).length;
  expect
    .soft(await countOf('not JSON on osprey.v1.metrics.hostile.mal-0'), 'not-JSON bodies counted')
    .toBe(`${notJsonSent}×`);
  expect
    .soft(await countOf('too large on osprey.v1.metrics.hostile.mal-0'), 'oversized body counted')
    .toBe('1×');
  // One line for all skewed stamps, with the newest: the stepping node's, 10 min behind.
  expectProblem('clock skew', /clock skew.*(ahead|behind)/i);
  expectProblem('the refused series of the bomb', /[\d,]+ samples refused/i);
  expectProblem('the node admission limit', /new nodes.*(a|per) second/i);
  expect.soft(await rawBidiDrawn(page), 'a raw bidi control drawn (problems)').toBeUndefined();
  await capture(page, 'hostile-problems');
});
