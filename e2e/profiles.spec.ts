/**
 * The Profiles view in Chromium against the real `osprey serve`: real py-spy captures
 * (e2e/fixtures/profiles/, SOURCES.md there) opened through "Open profile…" (the file input), and
 * every number on screen checked against the file's own lines, summed here: frame names in the
 * graph, self and total in the table and the tooltip, the search's share, zoom and its
 * breadcrumb, a function's sandwich, the diff of the two captures (a frame that grew is red, and
 * its change is the files' own), and a malformed file's error (file and line) while the open
 * profile stays. Screenshots at 1440×900 land in test-results/e2e/screenshots/profiles-*.png.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { expect, test, type Locator, type Page } from '@playwright/test';

import { formatNumber } from '../renderer/src/lib/format.js';
import { useServedConsole } from './support/osprey.js';
import { snapshot } from './support/page.js';

const BEFORE = fileURLToPath(new URL('./fixtures/profiles/serve-step-before.txt', import.meta.url));
const AFTER = fileURLToPath(new URL('./fixtures/profiles/serve-step-after.txt', import.meta.url));
const SCRIPT = 'serve_step.py';
const CORE_FIXTURES = new URL('../collector/core/profile/fixtures/', import.meta.url);
const THREADS = fileURLToPath(new URL('speedscope/py-spy-threads.speedscope.json', CORE_FIXTURES));
const HTML_NAMES = fileURLToPath(new URL('folded/crafted-html-names.txt', CORE_FIXTURES));

test.use({ viewport: { width: 1440, height: 900 } });
test.setTimeout(90_000);
const served = useServedConsole();

interface FileFrame {
  name: string;
  file: string | undefined;
}
interface FileLine {
  frames: FileFrame[];
  count: number;
}

/** py-spy's raw lines, read here independently of the importer: `name (file:line);… count`. */
function readFolded(path: string): FileLine[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => {
      const cut = l.lastIndexOf(' ');
      const frames = l
        .slice(0, cut)
        .split(';')
        .map((f) => {
          const m = /^(.*) \((.*):\d+\)$/.exec(f);
          return m ? { name: m[1]!, file: m[2]! } : { name: f, file: undefined };
        });
      return { frames, count: Number(l.slice(cut + 1)) };
    });
}

const sum = (lines: FileLine[]) => lines.reduce((s, l) => s + l.count, 0);
const isFn = (name: string, file?: string) => (f: FileFrame) =>
  f.name === name && (file === undefined || f.file === file);
/** Samples with the function anywhere on their stack (once per stack, recursion or not). */
const totalOf = (lines: FileLine[], name: string, file?: string) =>
  sum(lines.filter((l) => l.frames.some(isFn(name, file))));
const selfOf = (lines: FileLine[], name: string, file?: string) =>
  sum(lines.filter((l) => isFn(name, file)(l.frames.at(-1)!)));

/** Samples whose stack holds this exact frame text (`name (file:line)`). */
const atFrame = (path: string, frame: string) =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.slice(0, l.lastIndexOf(' ')).split(';').includes(frame))
    .reduce((s, l) => s + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);

const samples = (n: number) => `${n.toLocaleString('en')} ${n === 1 ? 'sample' : 'samples'}`;
const pct = (part: number, whole: number) => `${formatNumber((100 * part) / whole)} %`;
const pp = (delta: number) =>
  delta === 0 ? '0 pp' : `${delta > 0 ? '+' : '-'}${formatNumber(Math.abs(delta) * 100)} pp`;

async function openProfiles(page: Page): Promise<void> {
  await page.goto(`${served().url}&view=profiles`);
  await expect(page.getByRole('tab', { name: 'Profiles' })).toHaveAttribute(
    'aria-selected',
    'true',
  );
}

async function openFile(page: Page, path: string): Promise<void> {
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Open profile…' }).first().click();
  await (await chooser).setFiles(path);
}

function graph(page: Page, testId = 'flame-graph'): Locator {
  return page.getByTestId(testId);
}

/** The frames named `name` in a graph, widest first is not guaranteed: pick by width. */
async function widest(frames: Locator): Promise<Locator> {
  const n = await frames.count();
  let best = 0;
  let bestWidth = -1;
  for (let i = 0; i < n; i++) {
    const w = Number(await frames.nth(i).locator('rect').getAttribute('width'));
    if (w > bestWidth) {
      bestWidth = w;
      best = i;
    }
  }
  return frames.nth(best);
}

function functionRow(page: Page, name: string, table = 'Top functions'): Locator {
  return page
    .getByRole('table', { name: table })
    .getByRole('row')
    .filter({ has: page.locator('.fn-label').getByText(name, { exact: true }) })
    .filter({ hasText: SCRIPT });
}

test('a py-spy capture: frame names, totals and shares equal the file’s own', async ({ page }) => {
  const lines = readFolded(BEFORE);
  const all = sum(lines);
  await openProfiles(page);
  await expect(page.getByText('No profile open')).toBeVisible();
  await snapshot(page, 'profiles-empty');
  await openFile(page, BEFORE);

  await expect(page.getByTestId('profile-total')).toHaveText(`${samples(all)} of cpu`);
  const list = page.getByRole('list', { name: 'Profiles' });
  await expect(list).toContainText('serve-step-before.txt');
  await expect(list).toContainText(`folded · ${samples(all)}`);

  // Every function of the program is drawn, by name (text, from the file).
  for (const name of ['<module>', 'main', 'schedule', 'tokenize', 'decode', 'detokenize']) {
    await expect(graph(page).locator(`g[name="${name}"]`).first()).toBeAttached();
  }
  // Nodes: the root and one per distinct stack prefix of the file.
  const prefixes = new Set<string>();
  for (const l of readFileSync(BEFORE, 'utf8').split('\n').filter(Boolean)) {
    const frames = l.slice(0, l.lastIndexOf(' ')).split(';');
    for (let d = 1; d <= frames.length; d++) prefixes.add(frames.slice(0, d).join(';'));
  }
  await expect(page.getByTestId('node-budget')).toHaveText(`${prefixes.size + 1} nodes`);

  // The table: self and total with the unit and the share, for each function of the script.
  for (const name of ['tokenize', 'decode', 'detokenize', 'schedule']) {
    const row = functionRow(page, name);
    const self = selfOf(lines, name, SCRIPT);
    const total = totalOf(lines, name, SCRIPT);
    await expect(row.locator('td').nth(1)).toHaveText(`${samples(self)}${pct(self, all)}`);
    await expect(row.locator('td').nth(2)).toHaveText(`${samples(total)}${pct(total, all)}`);
  }

  // Hover: the tooltip's total and share for the tokenize frame.
  const tokenize = await widest(graph(page).locator('g[name="tokenize"]'));
  await tokenize.hover();
  const tip = page.getByTestId('flame-tooltip');
  const tokTotal = totalOf(lines, 'tokenize', SCRIPT);
  await expect(tip).toContainText('tokenize');
  await expect(tip).toContainText(`Total${samples(tokTotal)} (${pct(tokTotal, all)})`);
  await expect(tip).toContainText(`${SCRIPT}:`);
  await snapshot(page, 'profiles-flame');
});

test('search: matches are lit and their share is the file’s own', async ({ page }) => {
  const lines = readFolded(BEFORE);
  const all = sum(lines);
  await openProfiles(page);
  await openFile(page, BEFORE);
  const search = page.getByLabel('Search frames');

  // Substring, case-insensitive, in names and files: "tokenize" is in tokenize and detokenize.
  await search.fill('TOKENIZE');
  const either = sum(
    lines.filter((l) => l.frames.some((f) => f.name.toLowerCase().includes('tokenize'))),
  );
  await expect(page.getByTestId('search-result')).toHaveText(
    `matches: ${pct(either, all)} of ${samples(all)}`,
  );
  const lit = await widest(graph(page).locator('g[name="detokenize"]'));
  await expect(lit.locator('rect')).toHaveAttribute('fill', 'hsl(290 85% 72%)');

  // A regular expression: tokenize alone.
  await search.fill('/^tokenize$/');
  const only = totalOf(lines, 'tokenize');
  await expect(page.getByTestId('search-result')).toHaveText(
    `matches: ${pct(only, all)} of ${samples(all)}`,
  );
  const unlit = await widest(graph(page).locator('g[name="detokenize"]'));
  await expect(unlit.locator('rect')).not.toHaveAttribute('fill', 'hsl(290 85% 72%)');

  await search.fill('/tok(/');
  await expect(page.getByTestId('search-result')).toContainText('Not a regular expression');
  await search.fill('');
});

test('click to zoom, breadcrumb back; the frame clicked selects its table row', async ({
  page,
}) => {
  await openProfiles(page);
  await openFile(page, BEFORE);
  const crumbs = page.getByRole('navigation', { name: 'Zoom' });
  await expect(crumbs).toHaveText('serve-step-before.txt');

  const svgWidth = Number(await graph(page).locator('svg').getAttribute('width'));
  await graph(page).locator('g[name="schedule"]').click();
  await expect(crumbs.locator('.crumb')).toHaveText([
    'serve-step-before.txt',
    '<module>',
    'main',
    'schedule',
  ]);
  // Zoomed: schedule spans the whole width.
  await expect
    .poll(async () =>
      Number(await graph(page).locator('g[name="schedule"] rect').getAttribute('width')),
    )
    .toBeCloseTo(svgWidth, 0);
  await expect(functionRow(page, 'schedule')).toHaveAttribute('aria-selected', 'true');
  await snapshot(page, 'profiles-zoom');

  // Back to the whole profile from the breadcrumb.
  await crumbs.getByRole('button', { name: 'serve-step-before.txt' }).click();
  await expect(crumbs.locator('.crumb')).toHaveText(['serve-step-before.txt']);
  await expect
    .poll(async () =>
      Number(await graph(page).locator('g[name="schedule"] rect').getAttribute('width')),
    )
    .toBeLessThan(svgWidth * 0.9);
});

test('sandwich: callers above and callees below one function', async ({ page }) => {
  const lines = readFolded(BEFORE);
  const all = sum(lines);
  await openProfiles(page);
  await openFile(page, BEFORE);
  const row = functionRow(page, 'main');
  await row.hover();
  await row.getByRole('button', { name: 'Sandwich' }).click();

  const sandwich = page.getByTestId('sandwich');
  const mainTotal = totalOf(lines, 'main', SCRIPT);
  await expect(sandwich.locator('.sandwich-fn')).toHaveText('main');
  await expect(sandwich).toContainText(`total ${samples(mainTotal)} (${pct(mainTotal, all)})`);
  const callers = graph(page, 'sandwich-callers');
  const callees = graph(page, 'sandwich-callees');
  await expect(callers.locator('g[name="<module>"]')).toHaveCount(1);
  for (const name of ['schedule', 'decode', 'detokenize']) {
    await expect(callees.locator(`g[name="${name}"]`).first()).toBeAttached();
  }
  // Nothing above main calls schedule: it is only among the callees.
  await expect(callers.locator('g[name="schedule"]')).toHaveCount(0);
  // The callees merge main's call sites; py-spy frames carry their line (detokenize at 33).
  await (await widest(callees.locator('g[name="detokenize"]'))).hover();
  const det = atFrame(BEFORE, `detokenize (${SCRIPT}:33)`);
  await expect(page.getByTestId('flame-tooltip')).toContainText(
    `Total${samples(det)} (${pct(det, all)})`,
  );
  await page.mouse.move(0, 0);
  await page.evaluate(() => window.scrollTo(0, 0));
  await snapshot(page, 'profiles-sandwich');
});

test('diff of two captures: tokenize grew, red, by the files’ own share change', async ({
  page,
}) => {
  const before = readFolded(BEFORE);
  const after = readFolded(AFTER);
  await openProfiles(page);
  await openFile(page, BEFORE);
  await expect(page.getByTestId('profile-total')).toBeVisible();
  await openFile(page, AFTER);
  await expect(page.getByRole('list', { name: 'Profiles' }).getByRole('listitem')).toHaveCount(2);
  await page.getByRole('button', { name: 'Diff' }).click();

  await expect(page.getByLabel('Before').locator('option:checked')).toHaveText(
    'serve-step-before.txt',
  );
  await expect(page.getByLabel('After').locator('option:checked')).toHaveText(
    'serve-step-after.txt',
  );
  await expect(page.getByTestId('diff-totals')).toHaveText(
    `before ${samples(sum(before))} · after ${samples(sum(after))}`,
  );

  const share = (lines: FileLine[], name: string) => totalOf(lines, name, SCRIPT) / sum(lines);
  const grew = share(after, 'tokenize') - share(before, 'tokenize');
  const shrank = share(after, 'detokenize') - share(before, 'detokenize');
  expect(grew).toBeGreaterThan(0);
  expect(shrank).toBeLessThan(0);

  const tokRow = functionRow(page, 'tokenize', 'What changed most');
  await expect(tokRow.locator('td').nth(6)).toHaveText(pp(grew));
  await expect(tokRow.locator('td').nth(6)).toHaveClass(/grew/);
  const detRow = functionRow(page, 'detokenize', 'What changed most');
  await expect(detRow.locator('td').nth(6)).toHaveText(pp(shrank));

  const rgb = async (frame: Locator) =>
    ((await frame.locator('rect').getAttribute('fill')) ?? '').match(/\d+/g)!.map(Number);
  const tok = await widest(graph(page, 'diff-graph').locator('g[name="tokenize"]'));
  const [tr, , tb] = await rgb(tok);
  expect(tr! - tb!).toBeGreaterThan(40);
  const det = await widest(graph(page, 'diff-graph').locator('g[name="detokenize"]'));
  const [dr, , db] = await rgb(det);
  expect(db! - dr!).toBeGreaterThan(40);

  // The tokenize frame's own change in the tooltip: its one path in both files.
  await tok.hover();
  await expect(page.getByTestId('flame-tooltip')).toContainText(`Change${pp(grew)}`);
  await page.mouse.move(0, 0);
  await snapshot(page, 'profiles-diff');

  // Sorted by the change in total: the first row is the function whose share of the total moved
  // most between the two files.
  await page.getByRole('button', { name: 'Δ total' }).click();
  const keys = new Set(
    [...before, ...after].flatMap((l) => l.frames.map((f) => `${f.name}\u0000${f.file ?? ''}`)),
  );
  const totalShare = (lines: FileLine[], key: string) =>
    sum(lines.filter((l) => l.frames.some((f) => `${f.name}\u0000${f.file ?? ''}` === key))) /
    sum(lines);
  const biggest = Math.max(
    ...[...keys].map((k) => Math.abs(totalShare(after, k) - totalShare(before, k))),
  );
  const firstRow = page
    .getByRole('table', { name: 'What changed most' })
    .locator('tbody tr')
    .first();
  await expect(firstRow.locator('td').nth(6)).toHaveText(
    new RegExp(`^[+-]${formatNumber(biggest * 100).replace('.', '\\.')} pp$`),
  );

  // Before with changes: widths from the before totals.
  await page.getByRole('button', { name: 'Before with changes' }).click();
  const width = async () =>
    Number(
      await (
        await widest(graph(page, 'diff-graph').locator('g[name="detokenize"]'))
      )
        .locator('rect')
        .getAttribute('width'),
    );
  const svgWidth = Number(await graph(page, 'diff-graph').locator('svg').getAttribute('width'));
  // py-spy frames carry their line: the widest detokenize frame is the one at line 33.
  const at33 = atFrame(BEFORE, `detokenize (${SCRIPT}:33)`);
  await expect.poll(width).toBeCloseTo((svgWidth * at33) / sum(before), -1);
});

test('a malformed file says which file and line, and what is open stays', async ({ page }) => {
  const dir = mkdtempSync(join(tmpdir(), 'osprey-e2e-profiles-'));
  try {
    const bad = join(dir, 'broken.speedscope.json');
    // A speedscope file cut off mid-way: its JSON ends on line 4.
    writeFileSync(
      bad,
      [
        '{"$schema": "https://www.speedscope.app/file-format-schema.json",',
        ' "shared": {"frames": [{"name": "a"}]},',
        ' "profiles": [{"type": "sampled", "name": "t", "unit": "none",',
        '   "startValue": 0, "endValue": 1, "samples": [[0]], "weights": [',
      ].join('\n'),
    );
    await openProfiles(page);
    await openFile(page, BEFORE);
    await expect(page.getByTestId('profile-total')).toBeVisible();
    await openFile(page, bad);
    const error = page.getByTestId('profile-error');
    await expect(error).toContainText('broken.speedscope.json');
    await expect(error).toContainText(/line \d+/);
    // The open profile is still there, drawn.
    await expect(page.getByTestId('profile-total')).toHaveText(
      `${samples(sum(readFolded(BEFORE)))} of cpu`,
    );
    await expect(graph(page).locator('g[name="tokenize"]').first()).toBeAttached();
    await snapshot(page, 'profiles-error');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('export: SVG and PNG of the graph as shown, and the tree as folded text', async ({ page }) => {
  const lines = readFolded(BEFORE);
  await openProfiles(page);
  await openFile(page, BEFORE);
  await page.getByRole('button', { name: 'Flame', exact: true }).click();
  await graph(page).locator('g[name="schedule"]').click();

  const download = async (button: string) => {
    const downloading = page.waitForEvent('download');
    await page.getByRole('group', { name: 'Export' }).getByRole('button', { name: button }).click();
    const file = await downloading;
    return { name: file.suggestedFilename(), bytes: readFileSync((await file.path())!) };
  };

  // SVG: one rect per frame drawn, names as text, the zoomed frame full width.
  const svg = await download('SVG');
  expect(svg.name).toBe('serve-step-before.svg');
  const text = svg.bytes.toString('utf8');
  const drawn = await graph(page)
    .locator('g.frame')
    .evaluateAll(
      (gs) => gs.filter((g) => Number(g.querySelector('rect')?.getAttribute('width')) > 0).length,
    );
  expect(text.match(/<rect /g)).toHaveLength(drawn + 1);
  expect(text).toContain('<title>schedule</title>');
  expect(text).toContain('&#60;module&#62;');

  // PNG: a real PNG at twice the graph's size.
  const png = await download('PNG');
  expect(png.name).toBe('serve-step-before.png');
  expect(png.bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
  const svgWidth = Number(await graph(page).locator('svg').getAttribute('width'));
  expect(png.bytes.readUInt32BE(16)).toBe(Math.ceil(svgWidth * 2));

  // Folded: every stack of the file with its weight (identical stacks summed), whole profile.
  const folded = await download('Folded');
  expect(folded.name).toBe('serve-step-before.folded.txt');
  const weights = (src: string) => {
    const m = new Map<string, number>();
    for (const l of src.split('\n').filter(Boolean)) {
      const cut = l.lastIndexOf(' ');
      m.set(l.slice(0, cut), (m.get(l.slice(0, cut)) ?? 0) + Number(l.slice(cut + 1)));
    }
    return m;
  };
  expect(weights(folded.bytes.toString('utf8'))).toEqual(weights(readFileSync(BEFORE, 'utf8')));
  expect(sum(lines)).toBe(
    [...weights(folded.bytes.toString('utf8')).values()].reduce((a, b) => a + b),
  );
  await page.getByRole('button', { name: 'by module' }).click();
  await snapshot(page, 'profiles-flame-by-module');
});

test('focus: each thread of a py-spy speedscope file, with its own total', async ({ page }) => {
  const file = JSON.parse(readFileSync(THREADS, 'utf8')) as {
    profiles: Array<{ name: string; unit: string; weights: number[] }>;
  };
  await openProfiles(page);
  await openFile(page, THREADS);
  const focus = page.getByLabel('Profile in focus');
  await expect(focus.locator('option')).toHaveCount(file.profiles.length);
  for (const [i, p] of file.profiles.entries()) {
    expect(p.unit).toBe('seconds');
    const seconds = p.weights.reduce((a, b) => a + b, 0);
    await focus.selectOption({ index: i });
    await expect(focus.locator('option:checked')).toContainText(p.name);
    await expect(page.getByTestId('profile-total')).toHaveText(
      new RegExp(`^${formatNumber(seconds).replace('.', '\\.')} s of `),
    );
  }
  // The graph is the worker's: its leaf is drawn with its name.
  await expect(graph(page).locator('.d3-flame-graph-label', { hasText: '<genexpr>' })).toHaveCount(
    1,
  );
  await expect(graph(page).locator('.d3-flame-graph-label', { hasText: 'MainThread' })).toHaveCount(
    0,
  );
  await snapshot(page, 'profiles-focus');
});

test('markup in frame names and files is shown as text', async ({ page }) => {
  await openProfiles(page);
  await openFile(page, HTML_NAMES);
  const name = '<script>alert(1)</script>';
  const frame = graph(page).locator(`g[name="${name}"]`);
  await expect(frame).toHaveCount(1);
  await expect(frame.locator('.d3-flame-graph-label')).toHaveText(name);
  await expect(page.locator('main script')).toHaveCount(0);
  const table = page.getByRole('table', { name: 'Top functions' });
  await expect(table.locator('.fn-file', { hasText: 'app/<b>x</b>.py' })).toHaveCount(1);
  await expect(table.locator('b')).toHaveCount(0);
  await frame.hover();
  await expect(page.getByTestId('flame-tooltip').locator('.flame-tooltip-name')).toHaveText(name);
});
