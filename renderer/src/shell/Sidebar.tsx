/** The connection list. One entry today, "This machine"; fleets will join it. */
import type { PresenceState } from '../sources/Source.js';
import { PRESENCE_LABEL } from './presence.js';

export interface SidebarConnection {
  id: string;
  name: string;
  detail?: string;
  state: PresenceState;
}

export function Sidebar({
  connections,
  activeId,
}: {
  connections: SidebarConnection[];
  activeId: string;
}) {
  return (
    <nav className="sidebar" aria-label="Connections">
      <div className="brand">
        <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden>
          <path d="M2 9 L12 14 L22 6 L15 16 L12 20 L9 16 Z" fill="currentColor" />
        </svg>
        <span>Osprey</span>
      </div>
      <div className="sidebar-section">Connections</div>
      <ul className="connection-list">
        {connections.map((c) => (
          <li key={c.id}>
            <div
              className={c.id === activeId ? 'connection active' : 'connection'}
              aria-current={c.id === activeId ? 'page' : undefined}
            >
              <span
                className={`dot presence-${c.state}`}
                title={PRESENCE_LABEL[c.state]}
                aria-label={PRESENCE_LABEL[c.state]}
              />
              <span className="connection-text">
                <span className="connection-name">{c.name}</span>
                {c.detail ? <span className="connection-detail">{c.detail}</span> : null}
              </span>
            </div>
          </li>
        ))}
      </ul>
    </nav>
  );
}
