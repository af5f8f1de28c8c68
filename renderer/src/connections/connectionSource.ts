/**
 * The source the console opens for a saved (or tested) connection: NATS over the browser's
 * WebSocket, with first-connection failures that say why instead of "cannot reach … ()", and the
 * recent events read back from JetStream on connect.
 */
import { wsconnect } from '@nats-io/nats-core';

import type { ConnectionConfig } from '../../../collector/core/connections/schema.js';
import type { EventHistoryReader } from '../../../collector/core/protocol/eventHistoryReader.js';
import type { NatsConnector } from '../sources/natsClient.js';
import { NatsSource, type SecretProvider } from '../sources/NatsSource.js';
import { explainConnectErrors } from '../sources/natsStatus.js';

/**
 * The JetStream client (73 kB minified, its own chunk) is loaded when a connection first reads history,
 * not with the page: the local console never needs it.
 */
const jetStreamHistory: EventHistoryReader = async (client, req) =>
  (await import('../../../collector/core/protocol/eventHistoryReader.js')).jetStreamHistory(
    client,
    req,
  );

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
