// The desktop app itself: Electron starts the embedded collector and opens the sandboxed window on
// the console it serves. Needs `npm run build` and an Electron binary (skipped where there is none).
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

import { _electron as electron, expect, test } from '@playwright/test';

import { IPC_CHANNELS, type CollectorEndpoint } from '../../electron/common/api.js';
import { snapshot } from '../support/page.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));

/** The npm package names its binary, or throws when the binary was never downloaded. */
function electronBinary(): string | undefined {
  try {
    const path: unknown = createRequire(import.meta.url)('electron');
    return typeof path === 'string' && existsSync(path) ? path : undefined;
  } catch {
    return undefined;
  }
}

const executablePath = electronBinary();
const electronAvailable = executablePath !== undefined;
test.skip(!electronAvailable, 'Electron runtime not installed on this machine');

test('the window shows the Overview, with window.osprey and without Node', async () => {
  // The repository root: package.json's main is dist/electron/main/index.js.
  const app = await electron.launch({ executablePath, args: [REPO], cwd: REPO });
  let collectorUrl = '';
  try {
    const page = await app.firstWindow();
    await expect(page.getByTestId('presence')).toHaveText('Live');
    await expect(page.locator('.overview')).toBeVisible();
    await snapshot(page, 'electron-overview');

    const globals = await page.evaluate(() => ({
      osprey: typeof window.osprey,
      operations: Object.keys(window.osprey ?? {}).sort(),
      require: typeof (globalThis as { require?: unknown }).require,
      process: typeof (globalThis as { process?: unknown }).process,
    }));
    expect(globals).toEqual({
      osprey: 'object',
      operations: Object.keys(IPC_CHANNELS).sort(),
      require: 'undefined',
      process: 'undefined',
    });

    // Callbacks run in the page, so each names window.osprey itself.
    const endpoint: CollectorEndpoint = await page.evaluate(() =>
      window.osprey!.getCollectorEndpoint(),
    );
    collectorUrl = endpoint.url;
    // The page is the collector's console, and the token never sits in its address.
    expect(new URL(page.url()).origin).toBe(endpoint.url);
    expect(page.url()).not.toContain(endpoint.token);
    await expect(
      page.evaluate(() => window.osprey!.openExternal('file:///etc/passwd')),
    ).rejects.toThrow(/only http and https/);
  } finally {
    await app.close();
  }
  // Quitting the app stops its collector.
  await expect(fetch(`${collectorUrl}/healthz`)).rejects.toThrow();
});
