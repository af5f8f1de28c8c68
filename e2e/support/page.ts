/** Page helpers shared by the specs: screenshots where the lead and CI can look at them. */
import { join } from 'node:path';

import type { Page } from '@playwright/test';

import { SCREENSHOTS } from './osprey.js';

/** A full-page capture of the current state, saved as test-results/e2e/screenshots/<name>.png. */
export async function snapshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** Parses "632 W", "24.3 %", "59 °C" into its number. */
export function numberOf(text: string | null): number {
  return Number.parseFloat((text ?? '').replace(/[^\d.-]+/g, ' ').trim());
}
