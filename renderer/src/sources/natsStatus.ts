/**
 * What a NATS client status event means for the console: a presence change, a problem to count,
 * or nothing. Pure. A "disconnect" turns the presence to reconnecting at once (the client's own
 * retries follow), and only "reconnect" makes it live again, so nothing is shown as live while
 * the link is down.
 */
import type { Status } from '@nats-io/nats-core';

import type { NatsConnector } from './natsClient.js';
import type { PresenceState } from './Source.js';

export type StatusEffect =
  | { presence: PresenceState; message?: string; flush?: boolean }
  | { problem: string; message: string }
  | undefined;

export function statusEffect(s: Status, url: string, subject: string): StatusEffect {
  switch (s.type) {
    case 'disconnect':
      // Whatever arrived before the drop is still good data: hand it over now.
      return {
        presence: 'reconnecting',
        message: `connection to ${url} lost; reconnecting`,
        flush: true,
      };
    case 'staleConnection':
      return { presence: 'reconnecting', message: `${url} stopped answering pings; reconnecting` };
    case 'reconnect':
      return { presence: 'live' };
    case 'slowConsumer':
      return {
        problem: 'slow-consumer',
        message: `the console falls behind: ${s.pending} messages waiting on ${subject}`,
      };
    case 'ldm':
      return {
        problem: 'ldm',
        message: `${url} is shutting down (lame duck mode); expect a reconnect`,
      };
    case 'error':
      return {
        problem: `server-error:${s.error.name}`,
        message: `server error: ${s.error.message}`,
      };
    default:
      return undefined;
  }
}

/** NATS's default TCP client port: a browser cannot speak that protocol, only WebSocket. */
const NATS_TCP_PORT = '4222';
const DEFAULT_PORT: Record<string, string> = { 'ws:': '80', 'wss:': '443' };

/**
 * Why a first connection to `url` failed, in words, or undefined when the client's own message
 * already says it. A browser's WebSocket error event carries no reason at all (WHATWG HTML,
 * "fire an event named error": a plain Event), so nats-core rejects with an empty
 * ConnectionError for a refused port and for a port that is not a WebSocket endpoint alike (e.g.
 * the TCP port 4222, whose `INFO` line is not an HTTP answer), which read "cannot reach … ()".
 */
export function connectFailureReason(url: string, error: unknown): string | undefined {
  const message = error instanceof Error ? error.message.trim() : String(error ?? '').trim();
  if (message === 'unexpected response from server') {
    return 'the server there answered but is not a NATS WebSocket port (its first message was not NATS INFO)';
  }
  if (message !== '') return undefined;
  let port = '';
  try {
    const u = new URL(url);
    port = u.port || (DEFAULT_PORT[u.protocol] ?? '');
  } catch {
    // An unparsable URL is refused by the connection's validation before it gets here.
  }
  if (port === NATS_TCP_PORT) {
    return "no WebSocket answer: 4222 is NATS's TCP client port; the console needs the server's WebSocket port (the websocket { port } block of its configuration, often 8080 or 443)";
  }
  return 'no WebSocket answer: nothing listens there (connection refused), or the server there is not a NATS WebSocket port (is this the TCP port 4222?); the browser does not say which';
}

/** `connect` whose reasonless rejections say why (connectFailureReason); others pass unchanged. */
export function explainConnectErrors(connect: NatsConnector): NatsConnector {
  return async (opts) => {
    try {
      return await connect(opts);
    } catch (error) {
      const servers = opts.servers ?? [];
      const url = (Array.isArray(servers) ? servers[0] : servers) ?? '';
      const reason = connectFailureReason(url, error);
      if (reason === undefined) throw error;
      throw Object.assign(new Error(reason, { cause: error }), {
        name: error instanceof Error ? error.name : 'Error',
      });
    }
  };
}
