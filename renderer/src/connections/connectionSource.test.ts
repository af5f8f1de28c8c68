import { wsconnect } from '@nats-io/nats-core';
import { describe, expect, it } from 'vitest';

import type { ConnectionConfig } from '../../../collector/core/connections/schema.js';
import { failingSocket } from '../testing/failingSocket.js';
import { createConnectionSource } from './connectionSource.js';
import { testConnection } from './testConnection.js';

const config = (natsUrl: string): ConnectionConfig => ({
  id: 'c1',
  name: 'lab',
  kind: 'nats',
  natsUrl,
  auth: 'none',
});

/** The console's source for a connection, over a WebSocket that fails as a browser's does. */
const failingSource = (connection: ConnectionConfig) =>
  createConnectionSource(connection, null, (opts) =>
    wsconnect({ ...opts, wsFactory: failingSocket('error') }),
  );

describe('a connection whose first WebSocket fails without a reason', () => {
  it('tells the Test button why, without empty parentheses', async () => {
    for (const [url, reason] of [
      ['ws://127.0.0.1:4222', "4222 is NATS's TCP client port"],
      ['ws://127.0.0.1:8081', 'nothing listens there (connection refused)'],
    ] as const) {
      const result = await testConnection(config(url), null, {
        createSource: failingSource,
        connectMs: 4000,
        listenMs: 0,
      });
      expect(result.ok).toBe(false);
      expect(result.message).toContain(`cannot reach ${url} (no WebSocket answer: ${reason}`);
      expect(result.message).not.toContain('()');
    }
  });
});
