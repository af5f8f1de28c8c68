/**
 * "Profile 10 s" from the device drawer, end to end: `osprey serve` with an nvidia-smi whose
 * per-process memory names a Python process this spec started (spinning in one function), the
 * drawer's button, the pending capture in the Profiles list, then the profile py-spy took, read by
 * the console's importer. Needs py-spy (pip install py-spy); says so when it is missing.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { expect, test } from '@playwright/test';

import { H100_CAPTURE, readCapture } from './support/nvidiaCapture.js';
import { serveConsole, type ServedConsole } from './support/osprey.js';
import { snapshot } from './support/page.js';

const FAKE_SMI = fileURLToPath(new URL('./support/fakeComputeApp/', import.meta.url));
const FUNCTION = 'osprey_e2e_spin';
const NODE = 'e2e-profile-box';
const PY_SPY = spawnSync('py-spy', ['--version'], { stdio: 'ignore' }).status === 0;

let spinner: ChildProcess | undefined;
let served: ServedConsole | undefined;

test.beforeAll(async () => {
  if (!PY_SPY) return;
  const dir = mkdtempSync(join(tmpdir(), 'osprey-e2e-spin-'));
  const script = join(dir, 'spin.py');
  writeFileSync(
    script,
    `def ${FUNCTION}():\n    n = 0\n    while True:\n        n += 1\n${FUNCTION}()\n`,
  );
  spinner = spawn('python3', [script], { stdio: 'ignore' });
  const gpu = readCapture(H100_CAPTURE)[0]!.get('uuid')!;
  // The served collector inherits this environment: the fake nvidia-smi first on PATH.
  process.env.PATH = `${FAKE_SMI}:${process.env.PATH}`;
  process.env.OSPREY_E2E_APP_PID = String(spinner.pid);
  process.env.OSPREY_E2E_APP_GPU = gpu;
  served = await serveConsole({ args: ['--node', NODE] });
});

test.afterAll(async () => {
  await served?.stop();
  spinner?.kill('SIGKILL');
});

test(
  PY_SPY
    ? 'Profile 10 s in the drawer: pending with progress, then the profile names the function'
    : 'Profile 10 s in the drawer — COULD NOT RUN: py-spy is not installed here',
  async ({ page }) => {
    test.skip(!PY_SPY, 'py-spy is not installed here (pip install py-spy)');
    test.setTimeout(90_000);
    const pid = spinner!.pid!;
    await page.goto(served!.url);
    await expect(page.getByTestId('presence')).toHaveText('Live');
    const heatmap = page.getByTestId('fleet-heatmap');
    await expect(heatmap).toHaveAttribute('data-nodes', '1');
    const box = (await heatmap.boundingBox())!;
    const left = Number(await heatmap.getAttribute('data-cells-left'));
    const cell = Number(await heatmap.getAttribute('data-cell'));
    await page.mouse.click(box.x + left + cell / 2, box.y + cell / 2);
    const drawer = page.getByTestId('device-drawer');
    await expect(drawer).toHaveAttribute('data-node', NODE);
    // Per-process memory arrives with the compute-apps poll (every few seconds).
    const button = drawer.getByRole('button', { name: `Profile 10 s: pid ${pid} on ${NODE}` });
    await expect(button).toBeVisible({ timeout: 30_000 });
    await snapshot(page, 'profile-capture-drawer');
    await button.click();
    await expect(drawer.getByRole('status')).toHaveText(`profiling pid ${pid}… (in Profiles)`);

    await page.getByRole('tab', { name: 'Profiles' }).click();
    const list = page.getByRole('list', { name: 'Profiles' });
    await expect(
      list.getByRole('progressbar', { name: `Capturing pid ${pid} · ${NODE}` }),
    ).toBeVisible();
    await snapshot(page, 'profile-capture-running');
    const entry = list.getByRole('button', { name: new RegExp(`^py-spy · pid ${pid} · ${NODE}`) });
    await expect(entry).toBeVisible({ timeout: 40_000 });
    await entry.click();
    // 10 s at 100 Hz: py-spy's total is at most 1,000 samples; on this shared machine a late tick
    // can drop some (lower bound half).
    const totalText = (await page.getByTestId('profile-total').textContent()) ?? '';
    const total = Number(/\d+/.exec(totalText.replace(/[,\u202f\u00a0 ]/g, ''))?.[0]);
    expect(total).toBeGreaterThanOrEqual(500);
    expect(total).toBeLessThanOrEqual(1010);
    await expect(
      page.locator('.fn-label').getByText(FUNCTION, { exact: true }).first(),
    ).toBeVisible();
    await snapshot(page, 'profile-capture-done');
  },
);
