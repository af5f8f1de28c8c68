import { expect, test } from '@playwright/test';

import { serveConsole } from './support/osprey.js';
import { snapshot } from './support/page.js';

test('a console whose collector restarts says so, then comes back by itself', async ({ page }) => {
  const first = await serveConsole();
  try {
    await page.goto(first.url);
    await expect(page.getByTestId('presence')).toHaveText('Live');
  } finally {
    await first.stop();
  }
  await expect(page.getByTestId('presence')).toHaveText('Reconnecting');
  await expect(page.getByRole('status').filter({ hasText: 'retrying in' })).toBeVisible();
  await snapshot(page, 'reconnecting');

  const second = await serveConsole({ port: first.port, token: first.token });
  try {
    await expect(page.getByTestId('presence')).toHaveText('Live', { timeout: 30_000 });
  } finally {
    await second.stop();
  }
});
