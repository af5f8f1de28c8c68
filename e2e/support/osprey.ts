/**
 * Starts the real `osprey serve` for one spec file and stops it after: a random token, an
 * OS-chosen port (or a given one, to come back on the same address), and the console URL parsed
 * from the line it prints for people.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

import { test } from '@playwright/test';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const OSPREY = fileURLToPath(new URL('../../collector/bin/osprey.js', import.meta.url));
export const SCREENSHOTS = fileURLToPath(
  new URL('../../test-results/e2e/screenshots/', import.meta.url),
);

export interface ServedConsole {
  /** The printed console URL, token included. */
  url: string;
  origin: string;
  port: number;
  token: string;
  output: string[];
  configDir: string;
  stop(): Promise<void>;
}

export interface ServeOptions {
  replay?: string[];
  port?: number;
  token?: string;
  /** Where saved cluster connections live; default: a fresh temp dir, never the user's own. */
  configDir?: string;
  /** More `osprey serve` flags. */
  args?: string[];
}

export async function serveConsole(
  opts: ServeOptions = {},
  timeoutMs = 30_000,
): Promise<ServedConsole> {
  const token = opts.token ?? randomBytes(16).toString('hex');
  const args = [
    OSPREY,
    'serve',
    '--port',
    String(opts.port ?? 0),
    '--token',
    token,
    '--interval',
    '500',
  ];
  for (const r of opts.replay ?? []) args.push('--replay', r);
  const ownConfigDir = opts.configDir === undefined;
  const configDir = opts.configDir ?? mkdtempSync(join(tmpdir(), 'osprey-e2e-config-'));
  args.push('--config-dir', configDir, ...(opts.args ?? []));
  const child = spawn(process.execPath, args, { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  child.stderr!.setEncoding('utf8').on('data', (d: string) => output.push(d));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(`osprey serve printed no console URL in ${timeoutMs} ms:\n${output.join('')}`),
      );
    }, timeoutMs);
    createInterface({ input: child.stdout! }).on('line', (line) => {
      output.push(`${line}\n`);
      const match = /^Osprey console: (\S+)$/.exec(line);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`osprey serve exited with ${code}:\n${output.join('')}`));
    });
  });
  const parsed = new URL(url);
  return {
    url,
    origin: parsed.origin,
    port: Number(parsed.port),
    token: new URLSearchParams(parsed.hash.slice(1)).get('token') ?? '',
    output,
    configDir,
    stop: async () => {
      await stopChild(child);
      if (ownConfigDir) rmSync(configDir, { recursive: true, force: true });
    },
  };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await once(child, 'exit');
  clearTimeout(timer);
}

/** Registers a server for the current spec file; call the returned getter inside tests. */
export function useServedConsole(opts: ServeOptions = {}): () => ServedConsole {
  let served: ServedConsole | undefined;
  test.beforeAll(async () => {
    served = await serveConsole(opts);
  });
  test.afterAll(async () => {
    await served?.stop();
  });
  return () => {
    if (!served) throw new Error('osprey serve did not start (see beforeAll)');
    return served;
  };
}
