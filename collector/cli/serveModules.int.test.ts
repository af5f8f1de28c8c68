/**
 * What `osprey serve` loads: TypeBox's schemas and Value (~20 MiB of RSS, BENCHMARKS.md "the local
 * connection") only to name the fields of a saved connection that fails its schema; saved
 * connections that pass are checked by the compiled check (`typebox/guard`, ~3 MiB). A module hook
 * in the real CLI process logs every module it resolves.
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
    // The compiled checks' runtime (typebox/guard) is expected; the rest of TypeBox is not.
    return loaded().filter(
      (url) => url.includes('/node_modules/typebox/') && !url.includes('/typebox/build/guard/'),
    );
  } finally {
    await served.stop();
  }
}

describe('osprey serve modules', () => {
  it('with no saved connection, serving the console and its API loads no TypeBox beyond typebox/guard', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'osprey-empty-'));
    expect(await typeboxAfterStart(dir)).toEqual([]);
  });

  const saved = (entry: Record<string, unknown>): string => {
    const dir = mkdtempSync(join(tmpdir(), 'osprey-saved-'));
    writeFileSync(
      join(dir, 'connections.json'),
      JSON.stringify({
        version: 1,
        connections: [
          {
            id: 'c1',
            name: 'prod',
            kind: 'nats',
            natsUrl: 'ws://127.0.0.1:1',
            auth: 'none',
            ...entry,
          },
        ],
      }),
      { mode: 0o600 },
    );
    return dir;
  };

  it('with a saved connection that passes, its compiled check loads no more of TypeBox', async () => {
    expect(await typeboxAfterStart(saved({}))).toEqual([]);
  });

  it('with a saved connection that fails its schema, TypeBox loads to name the field (the hook sees it)', async () => {
    expect((await typeboxAfterStart(saved({ colour: 'red' }))).length).toBeGreaterThan(0);
  });
});
