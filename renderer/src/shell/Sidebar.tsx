/**
 * The connection list: "This machine" (the embedded or local collector) first, then the saved
 * cluster connections, each with its live presence dot. Selecting one shows it; the pencil opens
 * its dialog; "Add" opens an empty one.
 */
import { useSourceStatus } from '../hooks/useSourceStatus.js';
import { displayName } from '../lib/displayName.js';
import type { PresenceState, Source } from '../sources/Source.js';
import { PRESENCE_LABEL } from './presence.js';

/**
 * An entry's dot: a live source's presence, "history" for Prometheus-only ones, "recording" for
 * an opened file.
 */
type EntryState = PresenceState | 'history' | 'recording';
const ENTRY_LABEL: Record<EntryState, string> = {
  ...PRESENCE_LABEL,
  history: 'History only (Prometheus)',
  recording: 'Recording (a file, not live)',
};

export interface SidebarConnection {
  id: string;
  name: string;
  detail?: string;
  state: EntryState;
}

export interface SidebarCluster {
  id: string;
  name: string;
  detail?: string;
  /** Absent: no live source (a Prometheus-only connection); the dot shows "History only". */
  source?: Source;
}

export interface SidebarProps {
  connections: SidebarConnection[];
  activeId: string;
  clusters?: readonly SidebarCluster[];
  /** Why the saved cluster connections could not be listed. */
  clustersError?: string;
  onSelect?: (id: string) => void;
  onAdd?: () => void;
  onEdit?: (id: string) => void;
  /** Opened recordings (files), each with its own page. */
  recordings?: readonly SidebarConnection[];
  /** "Open recording…": absent where the console opens no files. */
  onOpenRecording?: () => void;
  /** Why the last file could not be opened. */
  recordingsError?: string | undefined;
}

export function Sidebar({
  connections,
  activeId,
  clusters = [],
  clustersError,
  onSelect,
  onAdd,
  onEdit,
  recordings = [],
  onOpenRecording,
  recordingsError,
}: SidebarProps) {
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
            <Entry {...c} active={c.id === activeId} onSelect={onSelect} />
          </li>
        ))}
      </ul>
      <div className="sidebar-section sidebar-section-row">
        <span>Clusters</span>
        {onAdd ? (
          <button
            type="button"
            className="icon-button"
            aria-label="Add a cluster connection"
            title="Add a cluster connection"
            onClick={onAdd}
          >
            +
          </button>
        ) : null}
      </div>
      {clustersError ? (
        // Not an alert: when the list fails, the page's own alert already says why (no token).
        <p className="sidebar-note sidebar-error">{clustersError}</p>
      ) : clusters.length === 0 && onAdd ? (
        <p className="sidebar-note">
          No cluster connections yet.{' '}
          <button type="button" className="link-button" onClick={onAdd}>
            Add one
          </button>
        </p>
      ) : null}
      <ul className="connection-list" aria-label="Cluster connections">
        {clusters.map((c) => (
          <li key={c.id}>
            <ClusterEntry
              cluster={c}
              active={c.id === activeId}
              onSelect={onSelect}
              onEdit={onEdit}
            />
          </li>
        ))}
      </ul>
      {onOpenRecording || recordings.length > 0 ? (
        <>
          <div className="sidebar-section">Recordings</div>
          <ul className="connection-list" aria-label="Recordings">
            {recordings.map((r) => (
              <li key={r.id}>
                <Entry {...r} active={r.id === activeId} onSelect={onSelect} />
              </li>
            ))}
          </ul>
          {recordingsError ? (
            <p className="sidebar-note sidebar-error" role="alert">
              {recordingsError}
            </p>
          ) : null}
          {onOpenRecording ? (
            <p className="sidebar-note">
              <button type="button" className="link-button" onClick={onOpenRecording}>
                Open recording…
              </button>
            </p>
          ) : null}
        </>
      ) : null}
    </nav>
  );
}

function ClusterEntry({
  cluster,
  active,
  onSelect,
  onEdit,
}: {
  cluster: SidebarCluster;
  active: boolean;
  onSelect: ((id: string) => void) | undefined;
  onEdit: ((id: string) => void) | undefined;
}) {
  const state = usePresenceState(cluster.source);
  return (
    <div className="connection-row">
      <Entry
        id={cluster.id}
        name={cluster.name}
        {...(cluster.detail === undefined ? {} : { detail: cluster.detail })}
        state={state}
        active={active}
        onSelect={onSelect}
      />
      {onEdit ? (
        <button
          type="button"
          className="icon-button connection-edit"
          aria-label={`Edit ${displayName(cluster.name)}`}
          title={`Edit ${displayName(cluster.name)}`}
          onClick={() => onEdit(cluster.id)}
        >
          <svg viewBox="0 0 16 16" width="13" height="13" aria-hidden>
            <path
              d="M11.5 2.5l2 2L6 12H4v-2z"
              fill="none"
              stroke="currentColor"
              strokeWidth="1.4"
            />
          </svg>
        </button>
      ) : null}
    </div>
  );
}

/** The source's presence, or "history" without a live source. */
function usePresenceState(source: Source | undefined): EntryState {
  const { presence } = useSourceStatus(source);
  return source === undefined ? 'history' : presence.state;
}

function Entry({
  id,
  name,
  detail,
  state,
  active,
  onSelect,
}: SidebarConnection & { active: boolean; onSelect: ((id: string) => void) | undefined }) {
  const body = (
    <>
      <span
        className={`dot presence-${state}`}
        title={ENTRY_LABEL[state]}
        aria-label={ENTRY_LABEL[state]}
      />
      <span className="connection-text">
        <span className="connection-name">{displayName(name)}</span>
        {detail ? (
          // The line is cut to the sidebar's width; the tooltip holds all of it.
          <span className="connection-detail" title={displayName(detail)}>
            {displayName(detail)}
          </span>
        ) : null}
      </span>
    </>
  );
  const className = active ? 'connection active' : 'connection';
  return onSelect ? (
    <button
      type="button"
      className={className}
      aria-current={active ? 'page' : undefined}
      data-presence={state}
      onClick={() => onSelect(id)}
    >
      {body}
    </button>
  ) : (
    <div className={className} aria-current={active ? 'page' : undefined} data-presence={state}>
      {body}
    </div>
  );
}
