/**
 * The page of an opened recording: the same views as a live source, from the registry, on a store
 * the player drives, with the player bar at the bottom. Never presented as live: the header says
 * "Recording of <cluster>, <time range>" and the time it shows is the recording's.
 */
import { useContext, useEffect, useState } from 'react';

import { useLiveStore } from '../hooks/useLiveStore.js';
import { useStoreClock } from '../hooks/useStoreClock.js';
import { PlayerBar } from '../player/PlayerBar.js';
import { clockLabel } from '../player/preparePlayerBar.js';
import { usePlayerStatus } from '../player/usePlayer.js';
import type { ProfileLibrary } from '../profiles/ProfileLibrary.js';
import { ProfilesContext } from '../profiles/profilesContext.js';
import { ProblemsButton } from '../shell/ProblemsButton.js';
import type { SourceCapabilities } from '../sources/SourceFactory.js';
import { ViewTabs } from '../shell/views/ViewTabs.js';
import { prepareRecordingPage } from './prepareRecordingPage.js';
import { recordingProblems } from './recordingProblems.js';
import { addRecordedProfiles } from './recordProfiles.js';
import type { RecordedHistory, Recording } from './snapshotSource.js';
import './recording.css';

/** Recordings whose profiles went into the list already (an effect may run twice). */
const profilesAdded = new WeakSet<Recording>();

export function RecordingMain({
  recording,
  capabilities,
  profiles: profilesProp,
}: {
  recording: Recording;
  capabilities: SourceCapabilities;
  /**
   * The console's profile list (default: the console's, from ProfilesContext): the profiles the
   * file keeps are added to it, once.
   */
  profiles?: ProfileLibrary | undefined;
}) {
  const context = useContext(ProfilesContext);
  const profiles = profilesProp ?? context?.library;
  const status = usePlayerStatus(recording.player);
  const live = useLiveStore(recording.store);
  // The store's clock is the player's: recording time, never the wall clock.
  const now = useStoreClock(recording.store);
  const [history, setHistory] = useState<RecordedHistory>({ problems: [] });
  useEffect(() => {
    let current = true;
    void recording.history.then((h) => {
      if (current) setHistory(h);
    });
    return () => {
      current = false;
    };
  }, [recording]);
  useEffect(() => {
    if (!profiles || profilesAdded.has(recording)) return;
    profilesAdded.add(recording);
    void recording.profiles.then((r) => addRecordedProfiles(profiles, r, recording.name));
  }, [recording, profiles]);
  // Latency is offered when the file holds Prometheus answers (what was asked while recording).
  const page = prepareRecordingPage(
    status,
    history.prometheus ? { ...capabilities, history: true } : capabilities,
  );
  const problems = recordingProblems(
    [
      ...status.problems,
      ...history.problems.map((message, i) => ({ key: `prometheus-${i}`, message, count: 1 })),
    ],
    now,
  );
  return (
    <main className="main recording-main" data-testid="recording-page">
      <header className="topbar">
        <span className="presence presence-recording" data-testid="presence">
          <span className="dot" aria-hidden />
          Recording
        </span>
        <h1 className="node-name" data-testid="recording-title" title={recording.name}>
          {page.title}
        </h1>
        <div className="spacer" />
        {page.phase === 'open' ? (
          <span className="data-age" data-testid="recording-time" title="Recording time">
            {clockLabel(now)}
          </span>
        ) : null}
        <ProblemsButton problems={[...problems, ...recording.store.problems()]} now={now} />
      </header>
      {page.truncation ? (
        <div
          className="banner banner-warning recording-banner"
          role="status"
          data-testid="recording-truncated"
        >
          {page.truncation}
        </div>
      ) : null}
      <div className="content">
        {page.phase === 'failed' ? (
          <div className="fatal" role="alert">
            <div className="fatal-title">Cannot open {recording.name}</div>
            <div className="fatal-message">{page.error ?? 'unknown error'}</div>
          </div>
        ) : page.phase === 'opening' ? (
          <p className="recording-opening">Opening {recording.name}…</p>
        ) : (
          // Ages and fades in the views are measured on the recording's clock, so "live" is honest
          // about the moment shown.
          <ViewTabs
            live={live}
            presence="live"
            recorded
            views={page.views}
            prometheus={history.prometheus}
          />
        )}
      </div>
      {page.showPlayer ? (
        <div className="recording-player">
          <PlayerBar player={recording.player} />
        </div>
      ) : null}
    </main>
  );
}
