/**
 * The header's line about event history (SourceStatus.eventHistory): where the events before
 * this connection came from, or why there are none. Pure: state and clock in, words out.
 */
import { EVENTS_STREAM } from '../../../collector/core/protocol/eventStream.js';
import type { EventHistoryState } from '../sources/Source.js';

export interface EventHistoryText {
  text: string;
  /** The tooltip: counts and where from. */
  title: string;
  unavailable: boolean;
}

const pad2 = (n: number): string => String(n).padStart(2, '0');

/** "14:02", "yesterday 14:02", or "2026-12-01 14:02" (local time) as seen at `now`. */
export function sinceText(since: number, now: number): string {
  const d = new Date(since);
  const clock = `${pad2(d.getHours())}:${pad2(d.getMinutes())}`;
  const day = (t: number): string => new Date(t).toDateString();
  if (day(since) === day(now)) return clock;
  const yesterday = new Date(now);
  yesterday.setDate(yesterday.getDate() - 1);
  if (day(since) === yesterday.toDateString()) return `yesterday ${clock}`;
  return `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())} ${clock}`;
}

const plural = (n: number, one: string): string =>
  `${n.toLocaleString('en')} ${one}${n === 1 ? '' : 's'}`;

export function eventHistoryText(h: EventHistoryState, now: number): EventHistoryText {
  switch (h.state) {
    case 'loading':
      return {
        text: `reading events since ${sinceText(h.since, now)} from JetStream…`,
        title: `Reading the events stored in the JetStream stream ${EVENTS_STREAM}.`,
        unavailable: false,
      };
    case 'loaded': {
      const bounded =
        h.total > h.count
          ? ` The window held ${plural(h.total, 'message')}; the newest were read.`
          : '';
      return {
        text: `events since ${sinceText(h.since, now)} from JetStream`,
        title: `${plural(h.count, 'events message')} read from the JetStream stream ${EVENTS_STREAM} on connect, besides those received live.${bounded}`,
        unavailable: false,
      };
    }
    case 'unavailable':
      return {
        text: `history of events unavailable: ${h.reason}`,
        title:
          'Only events published while this console is connected are shown: events from before ' +
          'it connected are kept only when the NATS server runs with JetStream (nats-server -js).',
        unavailable: true,
      };
  }
}
