// Browser tests of the web console against the real `osprey serve` (built first: npm run build).
// Debian's Chromium, not a downloaded browser; the Electron project belongs to e2e/electron/.
import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: '.',
  outputDir: '../test-results/e2e',
  reporter: 'list',
  timeout: 60_000,
  expect: { timeout: 15_000 },
  // Two shared cores: one browser and one collector at a time keeps timings honest.
  workers: 1,
  use: {
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
  },
  projects: [
    {
      name: 'web',
      testIgnore: 'electron/**',
      use: {
        browserName: 'chromium',
        viewport: { width: 1400, height: 900 },
        launchOptions: { executablePath: '/usr/bin/chromium' },
      },
    },
    {
      name: 'electron',
      testMatch: 'electron/**/*.spec.ts',
    },
  ],
});
