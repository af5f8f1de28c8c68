import { expect, test } from '@playwright/test';

import { fileURLToPath } from 'node:url';

import { H100_CAPTURE, numberIn, readCapture } from './support/nvidiaCapture.js';
import { useServedConsole } from './support/osprey.js';
import { numberOf, snapshot } from './support/page.js';

const capture = readCapture(H100_CAPTURE);
const served = useServedConsole({ replay: [`nvidia-smi=${fileURLToPath(H100_CAPTURE)}`] });

test.describe('overview of a replayed H100', () => {
  test('shows every GPU of the capture with its values and units', async ({ page }) => {
    await page.goto(served().url);
    await expect(page.getByTestId('presence')).toHaveText('Live');
    const table = page.getByRole('table', { name: 'Devices' });
    for (const gpu of capture) {
      const row = table.getByRole('row').filter({ hasText: gpu.get('name')! });
      await expect(row.getByRole('rowheader')).toHaveText(`GPU ${gpu.get('index')}`);
      await expect(row).toContainText(gpu.get('uuid')!);

      const util = row.locator('[data-metric="device.utilization"] .value');
      await expect(util).toHaveText(/ %$/);
      expect(numberOf(await util.textContent())).toBe(numberIn(gpu.get('utilization.gpu')));

      const temp = row.locator('[data-metric="device.temperature"] .value');
      await expect(temp).toHaveText(/ °C$/);
      expect(numberOf(await temp.textContent())).toBe(numberIn(gpu.get('temperature.gpu')));

      // Three significant digits on screen: 631.95 W reads "632 W".
      const power = row.locator('[data-metric="device.power"] .value');
      await expect(power).toHaveText(/ W$/);
      expect(numberOf(await power.textContent())).toBeCloseTo(numberIn(gpu.get('power.draw')), 0);

      const used = numberIn(gpu.get('memory.used'));
      const total = numberIn(gpu.get('memory.total'));
      const memory = row.locator('[data-metric="device.memory.usage"]');
      await expect(memory.locator('.value')).toHaveText(/ %$/);
      expect(numberOf(await memory.locator('.value').textContent())).toBeCloseTo(
        (100 * used) / total,
        1,
      );
      await expect(memory).toContainText(
        `${(used / 1024).toFixed(1)} GiB of ${(total / 1024).toFixed(1)} GiB`,
      );
    }

    const heatmap = page.getByTestId('device-heatmap');
    const first = capture[0]!;
    await expect(heatmap).toHaveAttribute(
      'aria-label',
      new RegExp(
        `GPU ${first.get('index')} ${first.get('name')}: ${numberIn(first.get('utilization.gpu'))} %`,
      ),
    );
    await snapshot(page, 'overview-h100');
  });

  test('tells a GPU’s name, value and age on hover', async ({ page }) => {
    await page.goto(served().url);
    const heatmap = page.getByTestId('device-heatmap');
    await expect(heatmap).toBeVisible();
    const box = (await heatmap.boundingBox())!;
    const tooltip = heatmap.locator('.osprey-tooltip');
    const name = capture[0]!.get('name')!;
    // The cell's place depends on the window's width; sweep its middle row until a tooltip shows.
    for (let x = box.x + 10; x < box.x + box.width; x += 20) {
      await page.mouse.move(x, box.y + box.height / 2);
      if ((await tooltip.textContent())?.includes(name)) break;
    }
    const gpu = capture[0]!;
    await expect(tooltip).toContainText(gpu.get('name')!);
    await expect(tooltip).toContainText(gpu.get('uuid')!);
    await expect(tooltip).toContainText(`Utilization: ${numberIn(gpu.get('utilization.gpu'))} %`);
    await expect(tooltip).toContainText(/updated (just now|\d+ s ago)/);
    await snapshot(page, 'overview-h100-tooltip');
  });

  test('recolours the heatmap by the chosen metric', async ({ page }) => {
    await page.goto(served().url);
    await page.getByRole('radio', { name: 'Temperature' }).click();
    await expect(page.getByRole('radio', { name: 'Temperature' })).toHaveAttribute(
      'aria-checked',
      'true',
    );
    const gpu = capture[0]!;
    await expect(page.getByTestId('device-heatmap')).toHaveAttribute(
      'aria-label',
      new RegExp(
        `by temperature: GPU 0 ${gpu.get('name')}: ${numberIn(gpu.get('temperature.gpu'))} °C`,
      ),
    );
    await expect(page.getByLabel(/Colour scale from 20 °C to 100 °C/)).toBeVisible();
    await snapshot(page, 'overview-h100-temperature');
  });

  test('adds new points to the host charts as time passes', async ({ page }) => {
    await page.goto(served().url);
    const cpu = page.getByTestId('host-cpu-chart');
    await expect(cpu).toBeVisible();
    const before = Number(await cpu.getAttribute('data-points'));
    // Several new points (0.5 s apart), so the capture below shows a line rather than a dot.
    await expect
      .poll(async () => Number(await cpu.getAttribute('data-points')))
      .toBeGreaterThanOrEqual(before + 6);
    await expect(page.getByTestId('host-cpu-summary')).toHaveText(/^\d+(\.\d+)? %$/);
    await expect(page.getByTestId('host-memory-summary')).toHaveText(/ % · .+ of .+B$/);
    await expect(page.getByTestId('data-age')).toHaveText(/^updated (just now|\d+ s ago)$/);
    await snapshot(page, 'overview-host-charts');
  });
});
