/**
 * The source the console opens for a saved (or tested) connection: NATS over the browser's
 * WebSocket, with first-connection failures that say why instead of "cannot reach … ()", and the
 * recent events read back from JetStream on connect.
 */
import { wsconnect } from '@nats-io/nats-core';

import type { ConnectionConfig } from '../../../collector/core/connections/schema.js';
import { jetStreamHistory } from '../../../collector/core/protocol/eventHistoryReader.js';
import type { NatsConnector } from '../sources/natsClient.js';
import { NatsSource, type SecretProvider } from '../sources/NatsSource.js';
import { explainConnectErrors } from '../sources/natsStatus.js';

/** `connect` is the browser's nats-core client; tests give it a WebSocket that fails. */
export function createConnectionSource(
  connection: ConnectionConfig,
  secret: SecretProvider | string | null,
  connect: NatsConnector = wsconnect,
): NatsSource {
  return new NatsSource({
    connection,
    secret,
    connect: explainConnectErrors(connect),
    eventHistory: jetStreamHistory,
  });
}
