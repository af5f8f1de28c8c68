/**
 * The NATS client as NatsSource sees it: the few methods it calls (so tests can drive a fake) and
 * the connection options every console connection uses.
 */
import type { Authenticator, Status, WsConnectionOptions } from '@nats-io/nats-core';

/** The part of a NATS message this source reads. */
export interface NatsMsgLike {
  subject: string;
  data: Uint8Array;
}

/** The part of NatsConnection this source uses, so tests can drive a fake. */
export interface NatsClientLike {
  subscribe(
    subject: string,
    opts: { callback: (err: Error | null, msg: NatsMsgLike) => void },
  ): unknown;
  /** Request/reply (profile capture); absent on test fakes that do not need it. */
  request?(subject: string, data: Uint8Array, opts: { timeout: number }): Promise<NatsMsgLike>;
  status(): AsyncIterable<Status>;
  closed(): Promise<void | Error>;
  close(): Promise<void>;
}

export type NatsConnector = (opts: WsConnectionOptions) => Promise<NatsClientLike>;

/** Fetches a connection's secret at connect time (Platform.getConnectionSecret). */
export type SecretProvider = () => Promise<string | null>;

/**
 * Once connected, the client itself retries for ever; a dead link is noticed after two unanswered
 * pings 10 s apart instead of the default 2 min.
 */
export function natsOptions(url: string, authenticator?: Authenticator): WsConnectionOptions {
  return {
    servers: [url],
    name: 'osprey-console',
    ...(authenticator ? { authenticator } : {}),
    maxReconnectAttempts: -1,
    reconnectTimeWait: 2000,
    reconnectJitter: 1000,
    pingInterval: 10_000,
    maxPingOut: 2,
    timeout: 10_000,
    // Servers advertise their cluster peers' client URLs, which a browser usually cannot reach;
    // stay on the URL the user gave.
    ignoreClusterUpdates: true,
  };
}
