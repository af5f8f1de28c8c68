import { expect, test } from '@playwright/test';

import { useServedConsole } from './support/osprey.js';
import { snapshot } from './support/page.js';

const served = useServedConsole();

test('a wrong token is refused and says so, without retrying', async ({ page }) => {
  let sockets = 0;
  page.on('websocket', () => (sockets += 1));
  await page.goto(`${served().origin}/#token=not-the-token`);
  await expect(page.getByRole('alert')).toContainText('unauthorized: token rejected');
  await expect(page.getByTestId('presence')).toHaveText('Error');
  await snapshot(page, 'unauthorized');
  // A retry would open another socket within the first backoff step (≤ 0.5 s); none may come.
  await page.waitForTimeout(1500);
  expect(sockets).toBe(1);
});

test('an address without a token says where to get one', async ({ page }) => {
  await page.goto(`${served().origin}/`);
  await expect(page.getByRole('alert')).toContainText('no access token');
  await snapshot(page, 'no-token');
});
