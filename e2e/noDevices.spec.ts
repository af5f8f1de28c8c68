import { expect, test } from '@playwright/test';

import { useServedConsole } from './support/osprey.js';
import { snapshot } from './support/page.js';

// This machine has neither nvidia-smi nor npu-smi, so the collector finds no accelerator.
const served = useServedConsole();

test('a machine without GPU or NPU says so and shows where the collector looked', async ({
  page,
}) => {
  await page.goto(served().url);
  await expect(page.getByTestId('presence')).toHaveText('Live');
  const empty = page.getByRole('status').filter({ hasText: 'No GPU or NPU found on this machine' });
  await expect(empty).toBeVisible();
  await expect(empty.getByRole('listitem').filter({ hasText: 'nvidia-smi:' })).toContainText(
    'not found',
  );
  await expect(empty.getByRole('listitem').filter({ hasText: 'npu-smi:' })).toContainText(
    'not found',
  );
  await snapshot(page, 'no-devices');
  // The host charts are one click away, in the Host view.
  await empty.getByRole('button', { name: 'Show Host' }).click();
  await expect(page.getByRole('tab', { name: 'Host' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('host-cpu-chart')).toBeVisible();
});
