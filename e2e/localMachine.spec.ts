/**
 * This machine, a replayed H100 (nvidia-smi's own output captured on one), through the same views
 * a cluster uses: the fleet heatmap and its device value table, the tile's tooltip, Colour by, and
 * the Host view. Values on screen are checked against the capture's own numbers.
 */
import { expect, test, type Page } from '@playwright/test';

import { fileURLToPath } from 'node:url';

import { H100_CAPTURE, numberIn, readCapture } from './support/nvidiaCapture.js';
import { useServedConsole } from './support/osprey.js';
import { numberOf, snapshot } from './support/page.js';

const capture = readCapture(H100_CAPTURE);
const served = useServedConsole({ replay: [`nvidia-smi=${fileURLToPath(H100_CAPTURE)}`] });

/** Hovers the middle of device `col`'s tile on the only node; returns the tile's box. */
async function hoverTile(page: Page, col: number) {
  const heatmap = page.getByTestId('fleet-heatmap');
  await expect(heatmap).toHaveAttribute('data-nodes', '1');
  const box = (await heatmap.boundingBox())!;
  const left = Number(await heatmap.getAttribute('data-cells-left'));
  const cell = Number(await heatmap.getAttribute('data-cell'));
  const pitch = Number(await heatmap.getAttribute('data-pitch'));
  const tile = { x: box.x + left + col * pitch, y: box.y, width: cell, height: cell };
  await page.mouse.move(tile.x + cell / 2, tile.y + cell / 2);
  return tile;
}

test.describe('This machine: a replayed H100 through the fleet views', () => {
  test('the device value table shows every GPU of the capture with its values and units', async ({
    page,
  }) => {
    await page.goto(served().url);
    await expect(page.getByTestId('presence')).toHaveText('Live');
    const views = page.getByRole('tablist', { name: 'Views' });
    await expect(views.getByRole('tab')).toHaveText([
      'Fleet',
      'Health',
      'Engines',
      'Host',
      'Profiles',
    ]);
    await expect(page.getByTestId('fleet-count')).toHaveText(
      `${capture.length} ${capture.length === 1 ? 'device' : 'devices'} on 1 node`,
    );
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
    await snapshot(page, 'local-h100-fleet');
  });

  test('hovering a GPU’s tile tells its name, value and age beside the tile, not over it', async ({
    page,
  }) => {
    await page.goto(served().url);
    const gpu = capture[0]!;
    const tile = await hoverTile(page, 0);
    const tooltip = page.getByRole('tooltip');
    await expect(tooltip).toContainText(gpu.get('name')!);
    await expect(tooltip).toContainText(gpu.get('uuid')!);
    await expect(tooltip).toContainText(`Utilization: ${numberIn(gpu.get('utilization.gpu'))} %`);
    await expect(tooltip).toContainText(/updated (just now|\d+ s ago)/);
    const tip = (await tooltip.boundingBox())!;
    const overlaps =
      tip.x < tile.x + tile.width &&
      tile.x < tip.x + tip.width &&
      tip.y < tile.y + tile.height &&
      tile.y < tip.y + tip.height;
    expect(overlaps, `tooltip ${JSON.stringify(tip)} over tile ${JSON.stringify(tile)}`).toBe(
      false,
    );
    await snapshot(page, 'local-h100-tooltip');
  });

  test('Colour by Temperature shows the GPU’s temperature in the tooltip and °C on the scale', async ({
    page,
  }) => {
    await page.goto(served().url);
    await page.getByLabel('Colour by').selectOption('device.temperature');
    const gpu = capture[0]!;
    await hoverTile(page, 0);
    await expect(page.getByRole('tooltip')).toContainText(
      `Temperature: ${numberIn(gpu.get('temperature.gpu'))} °C`,
    );
    await expect(page.getByLabel(/^Colour scale from -?\d+ °C to \d+ °C$/)).toBeVisible();
    await snapshot(page, 'local-h100-temperature');
  });

  test('the Host view adds points as time passes, and a reload returns to it', async ({ page }) => {
    await page.goto(served().url);
    await page.getByRole('tab', { name: 'Host' }).click();
    const cpu = page.getByTestId('host-cpu-chart');
    await expect(cpu).toBeVisible();
    const before = Number(await cpu.getAttribute('data-points'));
    // Several new points (0.5 s apart), so the capture below shows a line rather than a dot.
    await expect
      .poll(async () => Number(await cpu.getAttribute('data-points')))
      .toBeGreaterThanOrEqual(before + 6);
    await expect(page.getByTestId('host-cpu-summary')).toHaveText(/^\d+(\.\d+)? %$/);
    await expect(page.getByTestId('host-memory-summary')).toHaveText(/ % · .+ of .+B$/);
    await expect(page.getByTestId('host-disk-summary')).toHaveText(
      /^read (\d+(\.\d+)? [kMG]?B\/s|no data) {2}write (\d+(\.\d+)? [kMG]?B\/s|no data)$/,
    );
    await expect(page.getByTestId('data-age')).toHaveText(/^updated (just now|\d+ s ago)$/);
    await snapshot(page, 'local-host');

    expect(page.url()).toContain('view=host');
    await page.reload();
    await expect(page.getByRole('tab', { name: 'Host' })).toHaveAttribute('aria-selected', 'true');
    await expect(page.getByTestId('host-cpu-chart')).toBeVisible();
  });
});
