// The desktop app itself: Electron starts the embedded collector and opens the sandboxed window on
// the console it serves. Needs `npm run build`, an Electron binary and a display; where either is
// missing the test is skipped with the reason (never run against a stand-in).
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

import { _electron as electron, expect, test } from '@playwright/test';

import { IPC_CHANNELS, type CollectorEndpoint } from '../../electron/common/api.js';
import { snapshot } from '../support/page.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const PACKAGE_VERSION = (
  JSON.parse(readFileSync(`${REPO}package.json`, 'utf8')) as { version: string }
).version;

/**
 * The Electron binary, or why there is none. package.json's allowScripts keeps the electron
 * package's install script (the binary's download) from running, so `require('electron')` throws
 * "Electron failed to install correctly" until `node node_modules/electron/install.js` ran; and on
 * Linux the binary cannot open a window without an X11 or Wayland display (run under xvfb-run).
 */
function electronRuntime(): { path: string } | { missing: string } {
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY)
    return {
      missing: 'no display (DISPLAY and WAYLAND_DISPLAY unset): Electron cannot open a window',
    };
  let path: unknown;
  try {
    path = createRequire(import.meta.url)('electron');
  } catch (error) {
    return { missing: `no Electron runtime here: ${(error as Error).message}` };
  }
  if (typeof path !== 'string' || !existsSync(path))
    return { missing: `no Electron runtime here: ${String(path)} does not exist` };
  return { path };
}

const runtime = electronRuntime();
test.skip('missing' in runtime, 'missing' in runtime ? runtime.missing : '');

/** Each operation of window.osprey, from the channel table api.ts checks against the type. */
// The invoke operations, and the one listener (the app menu's commands).
const OPERATIONS = [...Object.keys(IPC_CHANNELS), 'onMenuCommand'].sort();

test('the window shows the console on This machine, with window.osprey exactly and without Node', async () => {
  const executablePath = 'path' in runtime ? runtime.path : undefined;
  // The repository root: package.json's main is dist/electron/main/index.js.
  const app = await electron.launch({ executablePath, args: [REPO], cwd: REPO });
  let collectorUrl = '';
  try {
    const page = await app.firstWindow();
    await expect(page).toHaveTitle('Osprey');
    await expect(page.getByTestId('presence')).toHaveText('Live');
    // The first page is the embedded collector's connection, selected in the sidebar.
    const sidebar = page.getByRole('navigation', { name: 'Connections' });
    await expect(sidebar.locator('[aria-current="page"]')).toContainText('This machine');
    // This machine through the same views as a cluster, from the shell's registry.
    const views = page.getByRole('tablist', { name: 'Views' });
    await expect(views.getByRole('tab', { name: 'Fleet' })).toHaveAttribute(
      'aria-selected',
      'true',
    );
    await expect(views.getByRole('tab', { name: 'Engines' })).toBeVisible();
    await snapshot(page, 'electron-this-machine');

    // The object the preload exposed, as the page sees it after contextBridge copied it.
    const globals = await page.evaluate(() => ({
      osprey: typeof window.osprey,
      operations: Object.entries(window.osprey ?? {})
        .map(([name, value]) => `${name}: ${typeof value}`)
        .sort(),
      require: typeof (globalThis as { require?: unknown }).require,
      process: typeof (globalThis as { process?: unknown }).process,
      module: typeof (globalThis as { module?: unknown }).module,
      Buffer: typeof (globalThis as { Buffer?: unknown }).Buffer,
    }));
    expect(globals).toEqual({
      osprey: 'object',
      operations: OPERATIONS.map((name) => `${name}: function`),
      require: 'undefined',
      process: 'undefined',
      module: 'undefined',
      Buffer: 'undefined',
    });

    // Callbacks run in the page, so each names window.osprey itself.
    const endpoint: CollectorEndpoint = await page.evaluate(() =>
      window.osprey!.getCollectorEndpoint(),
    );
    collectorUrl = endpoint.url;
    // The page is the collector's console, and the token never sits in its address.
    expect(new URL(page.url()).origin).toBe(endpoint.url);
    expect(page.url()).not.toContain(endpoint.token);
    // app.getVersion() is package.json's version when Electron runs the repository.
    await expect(page.evaluate(() => window.osprey!.getAppInfo())).resolves.toEqual({
      version: PACKAGE_VERSION,
      platform: process.platform,
    });
    await expect(
      page.evaluate(() => window.osprey!.openExternal('file:///etc/passwd')),
    ).rejects.toThrow(/only http and https/);
  } finally {
    await app.close();
  }
  // Quitting the app stops its collector.
  await expect(fetch(`${collectorUrl}/healthz`)).rejects.toThrow();
});
