/**
 * Where `osprey serve` keeps the web console's cluster connections: `connections.json` in the
 * config directory (default `$XDG_CONFIG_HOME/osprey`, else `~/.config/osprey`). The directory is
 * made 0700 and the file 0600, written to a new randomly named temporary file and renamed so a
 * crash mid-write cannot leave half a file and a planted symlink cannot redirect the write
 * (writePrivateFile.ts). Secrets are plain text here, protected by those modes: a headless
 * server has no keyring to seal them with (the desktop app encrypts them with safeStorage).
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';

import type { StoreFile } from '../../core/connections/ConnectionStore.js';
import { writePrivateFile } from '../../core/connections/writePrivateFile.js';

export const CONNECTIONS_FILE = 'connections.json';

export function defaultConfigDir(env: NodeJS.ProcessEnv = process.env): string {
  const xdg = env.XDG_CONFIG_HOME;
  return join(xdg && xdg.startsWith('/') ? xdg : join(homedir(), '.config'), 'osprey');
}

export function connectionFile(configDir: string): StoreFile {
  const path = join(configDir, CONNECTIONS_FILE);
  return {
    path,
    async read() {
      try {
        return await fs.readFile(path, 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw error;
      }
    },
    async write(text) {
      await fs.mkdir(configDir, { recursive: true, mode: 0o700 });
      await writePrivateFile(path, text, fs, randomName);
    },
  };
}

/** 128 random bits: the temporary file's name cannot be guessed and planted in advance. */
export function randomName(): string {
  return randomBytes(16).toString('hex');
}
