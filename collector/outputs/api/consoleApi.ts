/** The /api handler `osprey serve` mounts beside the web console. */
import { randomUUID } from 'node:crypto';

import { ConnectionStore } from '../../core/connections/ConnectionStore.js';
import { connectionFile, defaultConfigDir } from './connectionFile.js';
import { createConnectionsApi, type ApiHandler } from './connectionsApi.js';

export function createConsoleApi(configDir: string | undefined, token: string): ApiHandler {
  const store = new ConnectionStore(connectionFile(configDir ?? defaultConfigDir()), randomUUID);
  return createConnectionsApi(store, token);
}
