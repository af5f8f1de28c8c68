/**
 * Where a host keeps its cluster connections: `connections.json` in a directory of its own (the
 * web console's `--config-dir`, default `$XDG_CONFIG_HOME/osprey` else `~/.config/osprey`; the
 * desktop's Electron userData). The directory is made 0700 and the file 0600, written to a new
 * randomly named temporary file and renamed so a crash mid-write cannot leave half a file and a
 * planted symlink cannot redirect the write (core/connections/writePrivateFile.ts).
 */
import { randomBytes } from 'node:crypto';
import * as nodeFs from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';

import type { StoreFile } from '../core/connections/ConnectionStore.js';
import { writePrivateFile, type PrivateFileFs } from '../core/connections/writePrivateFile.js';

export const CONNECTIONS_FILE = 'connections.json';

/** The part of node:fs/promises the file uses (writes go through writePrivateFile). */
export interface FsLike extends PrivateFileFs {
  readFile(path: string, encoding: 'utf8'): Promise<string>;
  mkdir(path: string, options: { recursive: true; mode: number }): Promise<unknown>;
}

export function defaultConfigDir(env: NodeJS.ProcessEnv = process.env): string {
  const xdg = env.XDG_CONFIG_HOME;
  return join(xdg && xdg.startsWith('/') ? xdg : join(homedir(), '.config'), 'osprey');
}

export function connectionFile(dir: string, fs: FsLike = nodeFs): StoreFile {
  const path = join(dir, CONNECTIONS_FILE);
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
      await fs.mkdir(dir, { recursive: true, mode: 0o700 });
      await writePrivateFile(path, text, fs, randomName);
    },
  };
}

/** 128 random bits: the temporary file's name cannot be guessed and planted in advance. */
export function randomName(): string {
  return randomBytes(16).toString('hex');
}
