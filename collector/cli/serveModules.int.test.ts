/**
 * What `osprey serve` loads: TypeBox's schemas and Value (~20 MiB of RSS, BENCHMARKS.md "the local
 * connection") are loaded only when there is a saved connection to check. A module hook in the
 * real CLI process logs every module it resolves.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

import { describe, expect, it } from 'vitest';

import { startServe } from '../testing/serveProcess.js';

function moduleLog(): { env: NodeJS.ProcessEnv; loaded: () => string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'osprey-modules-'));
  const log = join(dir, 'resolved.txt');
  const hooks = join(dir, 'hooks.mjs');
  writeFileSync(
    hooks,
    `import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  appendFileSync(${JSON.stringify(log)}, r.url + '\\n');
  return r;
}
`,
  );
  const register = join(dir, 'register.mjs');
  writeFileSync(
    register,
    `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`,
  );
  writeFileSync(log, '');
  return {
    env: { ...process.env, NODE_OPTIONS: `--import=${pathToFileURL(register).href}` },
    loaded: () => readFileSync(log, 'utf8').split('\n').filter(Boolean),
  };
}

async function typeboxAfterStart(configDir: string): Promise<string[]> {
  const { env, loaded } = moduleLog();
  const served = await startServe(['--config-dir', configDir], 20_000, { env });
  try {
    // The console's first call: the saved connections.
    const res = await fetch(`${served.url}/api/connections`, {
      headers: { authorization: `Bearer ${served.token}` },
    });
    expect(res.status).toBe(200);
    return loaded().filter((url) => url.includes('/node_modules/typebox/'));
  } finally {
    await served.stop();
  }
}

describe('osprey serve modules', () => {
  it('with no saved connection, serving the console and its API loads no TypeBox', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'osprey-empty-'));
    expect(await typeboxAfterStart(dir)).toEqual([]);
  });

  it('with a saved connection, TypeBox loads to check it (the hook sees it)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'osprey-saved-'));
    writeFileSync(
      join(dir, 'connections.json'),
      JSON.stringify({
        version: 1,
        connections: [
          { id: 'c1', name: 'prod', kind: 'nats', natsUrl: 'ws://127.0.0.1:1', auth: 'none' },
        ],
      }),
      { mode: 0o600 },
    );
    expect((await typeboxAfterStart(dir)).length).toBeGreaterThan(0);
  });
});
