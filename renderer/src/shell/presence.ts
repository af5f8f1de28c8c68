import type { PresenceState } from '../sources/Source.js';

/** How each connection state reads on screen. */
export const PRESENCE_LABEL: Record<PresenceState, string> = {
  connecting: 'Connecting',
  live: 'Live',
  reconnecting: 'Reconnecting',
  error: 'Error',
  closed: 'Closed',
};
