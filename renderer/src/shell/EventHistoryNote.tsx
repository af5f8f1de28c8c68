/** Where the events from before this connection came from (eventHistoryText.ts), in the header. */
import type { EventHistoryState } from '../sources/Source.js';
import { eventHistoryText } from './eventHistoryText.js';

export function EventHistoryNote({ history, now }: { history: EventHistoryState; now: number }) {
  const { text, title, unavailable } = eventHistoryText(history, now);
  return (
    <span
      className="host-facts"
      data-testid="event-history"
      data-state={history.state}
      title={title}
      style={unavailable ? { fontStyle: 'italic' } : undefined}
    >
      {text}
    </span>
  );
}
