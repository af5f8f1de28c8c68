/** The /api handler `osprey serve` mounts beside the web console. */
import { randomUUID } from 'node:crypto';

import { ConnectionStore, PLAIN_TEXT } from '../../core/connections/ConnectionStore.js';
import { connectionFile, defaultConfigDir } from './connectionFile.js';
import { createConnectionsApi, type ApiHandler } from './connectionsApi.js';

export function createConsoleApi(configDir: string | undefined, token: string): ApiHandler {
  const file = connectionFile(configDir ?? defaultConfigDir());
  // Entries of a hand-edited file that fail the save checks: one stderr line each, once.
  const store = new ConnectionStore(file, randomUUID, PLAIN_TEXT, (problem) =>
    console.error(`connections: ${problem}`),
  );
  // Read once at start, so a bad hand edit is on stderr before anyone opens the console; a file
  // that cannot be read at all is named here too (and again by every API call until fixed).
  void store
    .problems()
    .catch((error: unknown) => console.error(`connections: ${(error as Error).message}`));
  return createConnectionsApi(store, token);
}
