/**
 * What `osprey profile convert --to speedscope` and the console's writer produce
 * (collector/core/profile/writers/speedscope.ts), opened by speedscope's own app (the `speedscope`
 * npm package's built dist/release, loaded with `#profileURL=` from a local server in Chromium):
 * it imports every file without an error, names it, shows each profile, and its Sandwich table's
 * top function has the total the profile has (the file's own sum of counts for folded input).
 */
import { once } from 'node:events';
import {
  createReadStream,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';

import { expect, test } from '@playwright/test';

import { importFolded } from '../collector/core/profile/importers/folded.js';
import { toSpeedscope } from '../collector/core/profile/writers/speedscope.js';

const REPO = fileURLToPath(new URL('../', import.meta.url));
const SPEEDSCOPE = join(REPO, 'node_modules/speedscope/dist/release');
const FOLDED = join(REPO, 'collector/core/profile/fixtures/folded');

let server: Server;
let origin = '';
const dir = mkdtempSync(join(tmpdir(), 'osprey-speedscope-'));

test.beforeAll(async () => {
  const types: Record<string, string> = {
    '.html': 'text/html',
    '.js': 'text/javascript',
    '.css': 'text/css',
    '.json': 'application/json',
    '.wasm': 'application/wasm',
  };
  server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
    const [root, rest] = path.startsWith('/files/')
      ? [dir, path.slice(7)]
      : [SPEEDSCOPE, path.slice(1)];
    const file = join(root, rest || 'index.html');
    if (!file.startsWith(root) || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  origin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});

test.afterAll(async () => {
  server.close();
  rmSync(dir, { recursive: true, force: true });
});

/**
 * A folded file's own numbers, read here: the total (the sum of the counts after each line's last
 * space) and per frame (a `;`-separated token) its self, the counts of the lines it ends; frames
 * named as speedscope shows them (the name before py-spy's ` (file:line)`).
 */
function foldedNumbers(text: string): { total: number; self: string[] } {
  let total = 0;
  const self = new Map<string, number>();
  for (const line of text.split('\n')) {
    const m = /^(.*) (\d+)\s*$/.exec(line);
    if (!m) continue;
    const count = Number(m[2]);
    total += count;
    const tokens = m[1]!.split(';');
    for (const t of tokens) if (!self.has(t)) self.set(t, 0);
    self.set(tokens.at(-1)!, self.get(tokens.at(-1)!)! + count);
  }
  const name = (t: string) => t.replace(/ \([^()]*\)$/, '');
  return { total, self: [...self].map(([t, v]) => `${name(t)} ${v}`).sort() };
}

for (const name of ['py-spy.txt', 'py-spy-threads.txt', 'recursion.txt']) {
  test(`speedscope's own app opens Osprey's speedscope file of ${name}: every frame's self and the total are the file's`, async ({
    page,
  }) => {
    const text = readFileSync(join(FOLDED, name), 'utf8');
    const set = importFolded({ name, bytes: new TextEncoder().encode(text) });
    const out = `${name}.speedscope.json`;
    writeFileSync(join(dir, out), toSpeedscope(set));
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('dialog', (d) => {
      errors.push(d.message());
      void d.dismiss();
    });
    await page.goto(
      `${origin}/index.html#profileURL=${encodeURIComponent(`${origin}/files/${out}`)}`,
    );
    await expect(page).toHaveTitle(`${name} - speedscope`);
    // Sandwich: a row per frame with its total and self, "5 (50%)": value and share of the profile.
    await page.getByText('Sandwich').click();
    const rows = page.locator('table tr:has(td)');
    const want = foldedNumbers(text);
    await expect(rows).toHaveCount(want.self.length);
    const cells = await rows.evaluateAll((trs) =>
      trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')),
    );
    const value = (cell: string) => Number(/^([\d.,]+)/.exec(cell)![1]!.replace(/,/g, ''));
    const got = cells.map(([, self, fn]) => `${fn} ${value(self!)}`).sort();
    expect(got).toEqual(want.self);
    expect(cells.reduce((s, [, self]) => s + value(self!), 0)).toBe(want.total);
    expect(errors).toEqual([]);
  });
}
