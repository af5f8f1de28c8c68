/** What happened since this console connected: probe state changes, GPU faults, throttling. */
import type { EventRow } from './prepareEvents.js';

export function EventList({ rows, showNode }: { rows: EventRow[]; showNode: boolean }) {
  return (
    <section className="panel" aria-labelledby="events-title">
      <header className="panel-header">
        <h2 id="events-title">Events</h2>
        <span className="panel-meta">newest first</span>
      </header>
      <ul className="event-list">
        {rows.map((e) => (
          <li key={e.key} className={`event severity-${e.severity}`}>
            <time dateTime={new Date(e.at).toISOString()}>
              {new Date(e.at).toLocaleTimeString()}
            </time>
            <span className="event-severity">{e.severityText}</span>
            <span className="event-kind">{e.kind}</span>
            {showNode ? <span className="event-node">{e.nodeName}</span> : null}
            {e.device ? <span className="event-device">{e.device}</span> : null}
            <span className="event-message">{e.message}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
