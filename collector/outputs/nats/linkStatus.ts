/**
 * How the agent's NATS link reads in the inventory (a ProbeStatus named 'nats'), in the log and
 * in the event sent on reconnect. Pure: state in, text out. No secrets reach these strings: the
 * servers are described without user-info and errors are nats.js/Node messages.
 */
import type { ProbeStatus } from '../../core/protocol/spec.js';
import type { DropCounts } from './PublishBuffer.js';

export type LinkPhase = 'connecting' | 'connected' | 'unreachable' | 'disconnected' | 'refused';

export interface LinkState {
  phase: LinkPhase;
  /** when this phase began (ms) */
  since: number;
  servers: string;
  /** the last error, for unreachable/refused/disconnected */
  reason?: string;
  /** dropped in the current outage (or, when connected, the last one) */
  drops: DropCounts;
  bufferLimitBytes: number;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${Math.round(n / 1024)} KB`;
  return `${(n / (1024 * 1024)).toFixed(1)} MB`;
}

export function formatDrops(d: DropCounts): string {
  const kinds = [
    d.metrics > 0 ? `${d.metrics} metrics` : '',
    d.events > 0 ? `${d.events} events` : '',
  ].filter(Boolean);
  const what = kinds.length > 0 ? `: ${kinds.join(', ')}` : '';
  return `${d.messages} message${d.messages === 1 ? '' : 's'} (${formatBytes(d.bytes)}${what})`;
}

/** Errors that a retry will not fix without someone changing credentials or certificates. */
export function isRefusal(error: unknown): boolean {
  const e = error as { name?: string; message?: string; code?: string } | undefined;
  if (e?.name === 'AuthorizationError' || e?.name === 'UserAuthenticationExpiredError') return true;
  if (e?.name === 'NatsConfigError') return true;
  return /authori[sz]ation|certificate|self[- ]signed|tls|ssl/i.test(
    `${e?.message ?? ''} ${e?.code ?? ''}`,
  );
}

export function errorText(error: unknown): string {
  const e = error as { message?: string; cause?: { message?: string } } | undefined;
  const cause = e?.cause?.message;
  const text = e?.message ?? String(error);
  return (cause && !text.includes(cause) ? `${text}: ${cause}` : text).slice(0, 300);
}

function clock(ms: number): string {
  return new Date(ms).toISOString().slice(11, 19) + 'Z';
}

export function linkMessage(s: LinkState): string {
  const why = s.reason ? ` (${s.reason})` : '';
  const dropped = s.drops.messages > 0;
  const offline = dropped
    ? `; ${formatDrops(s.drops)} dropped while offline`
    : `; buffering up to ${formatBytes(s.bufferLimitBytes)}`;
  switch (s.phase) {
    case 'connecting':
      return `connecting to ${s.servers}`;
    case 'connected':
      return (
        `publishing to ${s.servers}` +
        (dropped ? `; the last outage dropped ${formatDrops(s.drops)}` : '')
      );
    case 'unreachable':
      return `cannot reach ${s.servers}${why}, retrying${offline}`;
    case 'disconnected':
      return `disconnected from ${s.servers} since ${clock(s.since)}${why}, reconnecting${offline}`;
    case 'refused':
      return `${s.servers} refused the connection${why}, retrying${offline}`;
  }
}

export function linkStatus(s: LinkState): ProbeStatus {
  const state =
    s.phase === 'connected'
      ? 'ok'
      : s.phase === 'connecting'
        ? 'starting'
        : s.phase === 'refused'
          ? 'error'
          : 'degraded';
  return { probe: 'nats', state, message: linkMessage(s).slice(0, 1000), since: s.since };
}
