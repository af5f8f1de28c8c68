import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';

import { describe, expect, it } from 'vitest';

import { OSPREY_BIN, REPO_ROOT } from '../testing/serveProcess.js';

describe('osprey serve as a child of the desktop app', () => {
  it('takes its token from OSPREY_TOKEN and exits when its stdin closes', async () => {
    const child = spawn(
      process.execPath,
      [OSPREY_BIN, 'serve', '--port', '0', '--no-ui', '--exit-with-stdin'],
      {
        cwd: REPO_ROOT,
        env: { ...process.env, OSPREY_TOKEN: 'from-the-environment' },
        stdio: ['pipe', 'pipe', 'inherit'],
      },
    );
    const ready = await new Promise<{ url: string; token: string }>((resolve) => {
      createInterface({ input: child.stdout }).on('line', (line) => {
        if (line.startsWith('OSPREY_READY '))
          resolve(JSON.parse(line.slice(13)) as { url: string; token: string });
      });
    });
    expect(ready.token).toBe('from-the-environment');
    expect((await fetch(`${ready.url}/healthz`)).status).toBe(200);
    child.stdin.end();
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(0);
  });
});
