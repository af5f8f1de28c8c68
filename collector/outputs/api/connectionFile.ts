/**
 * Where `osprey serve` keeps the web console's cluster connections: `connections.json` in the
 * config directory (default `$XDG_CONFIG_HOME/osprey`, else `~/.config/osprey`). The directory is
 * made 0700 and the file 0600, written to a temporary file and renamed so a crash mid-write
 * cannot leave half a file. Secrets are plain text here, protected by those modes: a headless
 * server has no keyring to seal them with (the desktop app encrypts them with safeStorage).
 */
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';

import type { StoreFile } from '../../core/connections/ConnectionStore.js';

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
        return await readFile(path, 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw error;
      }
    },
    async write(text) {
      await mkdir(configDir, { recursive: true, mode: 0o700 });
      const temp = `${path}.${process.pid}.tmp`;
      await writeFile(temp, text, { mode: 0o600 });
      // The mode passed to writeFile is filtered by the umask; the file must end up 0600 exactly.
      await chmod(temp, 0o600);
      await rename(temp, path);
    },
  };
}
