/**
 * What a NATS client status event means for the console: a presence change, a problem to count,
 * or nothing. Pure. A "disconnect" turns the presence to reconnecting at once (the client's own
 * retries follow), and only "reconnect" makes it live again, so nothing is shown as live while
 * the link is down.
 */
import type { Status } from '@nats-io/nats-core';

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
