// The real `osprey serve` under createCollectorProcess, as the desktop app runs it (with Node
// standing in for Electron-as-Node). Requires `npm run build` (npm test builds first).
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

import { afterEach, describe, expect, it } from 'vitest';

import { createCollectorProcess, type CollectorProcess } from './collectorProcess.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const OSPREY_BIN = fileURLToPath(new URL('../../collector/bin/osprey.js', import.meta.url));

let collector: CollectorProcess | undefined;
afterEach(async () => {
  await collector?.stop();
  collector = undefined;
});

describe('embedded collector', () => {
  it('starts on a free loopback port, serves the console and stops on request', async () => {
    const logs: string[] = [];
    collector = createCollectorProcess({
      spawn,
      execPath: process.execPath,
      script: OSPREY_BIN,
      cwd: ROOT,
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
      log: (line) => logs.push(line),
    });
    const endpoint = await collector.start();
    expect(endpoint.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(endpoint.token).toMatch(/^[0-9a-f]{64}$/);

    const page = await fetch(`${endpoint.url}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="root">');
    expect(logs.join('\n')).not.toContain(endpoint.token);

    await collector.stop();
    await expect(fetch(`${endpoint.url}/healthz`)).rejects.toThrow();
  });
});
