/**
 * The Profiles view: the console's profile list on the left ("Open profile…", captures running
 * and done), and on the right the chosen profile set's flame graph or the differential view of
 * two profiles. The list is the console's (one ProfileLibrary, App.tsx), so what is open stays
 * open across pages. A file that fails to open says why (file and line) above what is shown,
 * which stays.
 */
import { useState, useSyncExternalStore } from 'react';

import { displayName } from '../../lib/displayName.js';
import type { ProfilesPort } from '../../profiles/profilesContext.js';
import { useStoreClock, type ClockHolder } from '../../hooks/useStoreClock.js';
import { DiffView } from './DiffView.js';
import { openErrorText, readProfileFile } from './openProfile.js';
import { ProfileList } from './ProfileList.js';
import { ProfileSetView } from './ProfileSetView.js';
import './profiles.css';

export interface ProfilesViewProps {
  readonly port: ProfilesPort | undefined;
  /** The page's store (or its clock): ages, progress and the time a profile is added. */
  readonly clock: ClockHolder;
}

/** Extensions offered in the desktop's Open dialog ("All files" is always there too). */
const EXTENSIONS = ['txt', 'folded', 'collapsed', 'json', 'pb', 'gz', 'pprof', 'prof', 'austin'];

export function ProfilesView({ port, clock }: ProfilesViewProps) {
  if (!port) {
    return <div className="placeholder">Profiles are not available on this page.</div>;
  }
  return <Profiles port={port} clock={clock} />;
}

function Profiles({ port, clock }: { port: ProfilesPort; clock: ClockHolder }) {
  const { library } = port;
  const state = useSyncExternalStore(library.subscribe, library.getState);
  const now = useStoreClock(clock);
  const [chosen, setChosen] = useState<string | undefined>(undefined);
  const [mode, setMode] = useState<'flame' | 'diff'>('flame');
  const [error, setError] = useState<string | undefined>(undefined);
  const [opening, setOpening] = useState<string | undefined>(undefined);

  // The chosen entry while it is listed, else the newest.
  const entry = state.entries.find((e) => e.id === chosen) ?? state.entries.at(-1);

  const open = async () => {
    setError(undefined);
    let name = 'file';
    try {
      const file = await port.openFile({ title: 'Open profile', extensions: EXTENSIONS });
      if (!file) return;
      name = file.name;
      setOpening(file.name);
      const set = await readProfileFile(file);
      const clockNow = 'clock' in clock ? clock.clock.currentTime : clock.currentTime;
      const added = library.add(set, { kind: 'file' }, clockNow);
      setChosen(added.id);
      setMode('flame');
    } catch (e) {
      setError(openErrorText(name, e));
    } finally {
      setOpening(undefined);
    }
  };

  return (
    <div className="profiles-view" data-testid="profiles-view">
      <aside className="panel profiles-side">
        <div className="panel-header">
          <h2>Profiles</h2>
          <span className="spacer" />
          <button
            type="button"
            className="button primary"
            onClick={() => void open()}
            disabled={opening !== undefined}
          >
            Open profile…
          </button>
        </div>
        {opening !== undefined ? (
          <div className="profiles-opening" role="status">
            Reading {opening}…
          </div>
        ) : null}
        <ProfileList
          entries={state.entries}
          pending={state.pending}
          selected={mode === 'flame' ? entry?.id : undefined}
          now={now}
          onSelect={(id) => {
            setChosen(id);
            setMode('flame');
          }}
          onRemove={(id) => library.remove(id)}
        />
      </aside>
      <section className="profiles-main">
        <div className="profiles-mode">
          <div className="segmented" role="group" aria-label="Profiles mode">
            <button
              type="button"
              className={mode === 'flame' ? 'active' : undefined}
              aria-pressed={mode === 'flame'}
              onClick={() => setMode('flame')}
            >
              Flame graph
            </button>
            <button
              type="button"
              className={mode === 'diff' ? 'active' : undefined}
              aria-pressed={mode === 'diff'}
              onClick={() => setMode('diff')}
            >
              Diff
            </button>
          </div>
        </div>
        {error !== undefined ? (
          <div className="profiles-error" role="alert" data-testid="profile-error">
            <span>Could not open {error}</span>
            <button type="button" className="mini-button" onClick={() => setError(undefined)}>
              Dismiss
            </button>
          </div>
        ) : null}
        {mode === 'diff' ? (
          <DiffView entries={state.entries} />
        ) : entry && entry.set.profiles.length === 0 ? (
          <div className="panel empty-state" role="status">
            <div className="empty-title">{displayName(entry.set.name)} holds no profile</div>
            <p className="empty-detail">
              The file was read, but it has no samples to draw
              {entry.set.warnings.length > 0 ? `: ${displayName(entry.set.warnings[0]!)}` : '.'}
            </p>
          </div>
        ) : entry ? (
          <ProfileSetView key={entry.id} set={entry.set} saveFile={port.saveFile} />
        ) : (
          <div className="panel empty-state" role="status">
            <div className="empty-title">No profile open</div>
            <p className="empty-detail">
              Open a profile file: folded stacks (Brendan Gregg&apos;s, py-spy&apos;s raw output),
              perf script text, speedscope JSON, pprof, Pyroscope JSON, austin or a Chrome trace
              (PyTorch profiler). The format is read from the file&apos;s content.
            </p>
            <button type="button" className="button primary" onClick={() => void open()}>
              Open profile…
            </button>
          </div>
        )}
      </section>
    </div>
  );
}
