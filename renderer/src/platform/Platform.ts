/**
 * The port between the console and whatever hosts it. The desktop shell and a plain browser tab
 * reach the collector differently, and keep cluster connections in different places (the main
 * process, the local server); everything past this interface is the same.
 */
import type {
  ConnectionInput,
  ConnectionSummary,
} from '../../../collector/core/connections/schema.js';

export type { ConnectionInput, ConnectionSummary };

/** Where the collector's stream is and the token it wants. */
export interface CollectorEndpoint {
  /** HTTP base URL of the collector, e.g. `http://127.0.0.1:7420`. */
  url: string;
  token: string;
}

export interface Platform {
  readonly kind: 'desktop' | 'web';
  /** Rejects with a message the user can act on when there is no way to reach a collector. */
  getCollectorEndpoint(): Promise<CollectorEndpoint>;
  /** Saved cluster connections, without secrets (`hasSecret` says whether one is stored). */
  listConnections(): Promise<ConnectionSummary[]>;
  /**
   * Creates (no `id`) or replaces a connection. Rejects with a ConnectionSaveError naming the
   * fields at fault. An update without `secret` keeps the stored one.
   */
  saveConnection(input: ConnectionInput, id?: string): Promise<ConnectionSummary>;
  removeConnection(id: string): Promise<void>;
  /**
   * The secret to connect with (null: none needed). Asked for at connect time only; the caller
   * keeps it in memory for the life of that connection and never stores it.
   */
  getConnectionSecret(id: string): Promise<string | null>;
}

/** A refused save, with the fields the host named (may be empty when it named none). */
export class ConnectionSaveError extends Error {
  constructor(
    message: string,
    readonly errors: ReadonlyArray<{ field: string; message: string }> = [],
  ) {
    super(message);
    this.name = 'ConnectionSaveError';
  }
}
