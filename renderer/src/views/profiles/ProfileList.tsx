/**
 * The console's profiles (ProfileLibrary): files opened, profiles read from recordings, captures
 * taken, and captures still running with their progress, a Cancel and, when one failed, why.
 * Ages and progress read the store's clock.
 */
import type { ProfileSet } from '../../../../collector/core/profile/model.js';
import { totalWeight } from '../../../../collector/core/profile/model.js';
import { displayName } from '../../lib/displayName.js';
import { formatAge } from '../../lib/format.js';
import type { PendingCapture, ProfileEntry, ProfileOrigin } from '../../profiles/ProfileLibrary.js';
import { formatWeight } from './units.js';

export interface ProfileListProps {
  readonly entries: readonly ProfileEntry[];
  readonly pending: readonly PendingCapture[];
  readonly selected: string | undefined;
  /** Store-clock time, for ages and progress. */
  readonly now: number;
  readonly onSelect: (id: string) => void;
  readonly onRemove: (id: string) => void;
}

function originText(origin: ProfileOrigin): string {
  switch (origin.kind) {
    case 'file':
      return 'file';
    case 'recording':
      return `from ${displayName(origin.recording)}`;
    case 'capture':
      return `${origin.tool} · pid ${origin.pid} · ${displayName(origin.node)}`;
    case 'merged':
      return `${origin.tool} · merged from ${origin.nodes.map(displayName).join(', ')}`;
  }
}

function setSummary(set: ProfileSet): string {
  const [first] = set.profiles;
  if (!first) return `${set.format} · empty`;
  const n = set.profiles.length;
  // Several profiles (threads, devices) may not share a unit: their count, not a sum.
  return n === 1
    ? `${set.format} · ${formatWeight(totalWeight(first), first.unit)}`
    : `${set.format} · ${n} profiles`;
}

export function ProfileList(props: ProfileListProps) {
  const { entries, pending, selected, now, onSelect, onRemove } = props;
  if (entries.length === 0 && pending.length === 0) {
    return (
      <p className="profile-list-empty">
        No profiles yet. Open a file (folded, perf script, speedscope, pprof, Pyroscope, austin,
        Chrome trace), or capture one from a process in the device drawer.
      </p>
    );
  }
  return (
    <ul className="profile-list" aria-label="Profiles">
      {pending.map((p) => {
        const progress = Math.min(1, Math.max(0, (now - p.startedAtMs) / p.durationMs));
        return (
          <li
            key={p.id}
            className={p.error ? 'profile-item pending failed' : 'profile-item pending'}
          >
            <div className="profile-item-name">{displayName(p.label)}</div>
            {p.error ? (
              <div className="profile-item-error" role="alert">
                {displayName(p.error)}
              </div>
            ) : (
              <div
                className="capture-progress"
                role="progressbar"
                aria-label={`Capturing ${p.label}`}
                aria-valuemin={0}
                aria-valuemax={100}
                aria-valuenow={Math.round(progress * 100)}
              >
                <span style={{ width: `${progress * 100}%` }} />
              </div>
            )}
            <div className="profile-item-actions">
              <span className="profile-item-detail">
                {p.error
                  ? 'capture failed'
                  : `${Math.round((progress * p.durationMs) / 1000)} of ${Math.round(p.durationMs / 1000)} s`}
              </span>
              {p.error ? (
                <button type="button" className="mini-button" onClick={() => onRemove(p.id)}>
                  Dismiss
                </button>
              ) : (
                <button type="button" className="mini-button" onClick={p.cancel}>
                  Cancel
                </button>
              )}
            </div>
          </li>
        );
      })}
      {entries
        .slice()
        .reverse()
        .map((e) => (
          <li key={e.id} className={e.id === selected ? 'profile-item selected' : 'profile-item'}>
            <button
              type="button"
              className="profile-item-open"
              aria-current={e.id === selected ? 'true' : undefined}
              onClick={() => onSelect(e.id)}
            >
              <span className="profile-item-name" title={displayName(e.set.name)}>
                {displayName(e.set.name)}
              </span>
              <span className="profile-item-detail">{setSummary(e.set)}</span>
              <span className="profile-item-detail">
                {originText(e.origin)} · {formatAge(now - e.addedAtMs)}
              </span>
            </button>
            <button
              type="button"
              className="profile-item-remove"
              aria-label={`Remove ${displayName(e.set.name)}`}
              title="Remove from the list"
              onClick={() => onRemove(e.id)}
            >
              ×
            </button>
          </li>
        ))}
    </ul>
  );
}
