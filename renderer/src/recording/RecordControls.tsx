/**
 * The header's recording controls on a live cluster page: Record … Stop (everything the source
 * sends from now on, or the nodes matching a name part or glob), and "save the last 1 / 5 / 10
 * minutes" from the connection's flight recorder. While recording, the header shows REC with the
 * elapsed time, the size and the messages taken; a recording goes on while another page is shown
 * (recordingsInProgress.ts). Files go to the platform's saveFile.
 */
import { useContext, useState, useSyncExternalStore } from 'react';

import { useDismissible } from '../hooks/useDismissible.js';
import { formatBytes, formatNumber } from '../lib/format.js';
import type { ProfileLibrary } from '../profiles/ProfileLibrary.js';
import { ProfilesContext } from '../profiles/profilesContext.js';
import type { PrometheusSource } from '../sources/prometheus/PrometheusSource.js';
import type { Source } from '../sources/Source.js';
import type { FlightRecorder } from './FlightRecorder.js';
import { recordNodeFilter } from './recordNodeFilter.js';
import { recordingOf, setRecording, subscribeRecordings } from './recordingsInProgress.js';
import { recordedOrigin, recordLibraryProfiles } from './recordProfiles.js';
import { RecordingSession } from './RecordingSession.js';
import {
  snapshotFileName,
  snapshotOfLast,
  type RecordingOrigin,
  type SaveFile,
  type SnapshotOptions,
} from './recordSnapshot.js';
import './record.css';

export interface RecordControlsProps {
  source: Source | undefined;
  recorder: FlightRecorder | undefined;
  origin: RecordingOrigin;
  /** Platform.saveFile; without it nothing can be saved and the controls are disabled. */
  save: SaveFile | undefined;
  /** The connection: one recording at a time per connection. */
  connectionId: string;
  /** The connection's Prometheus: its latest answers go into the file (the Latency view offline). */
  prometheus?: PrometheusSource | undefined;
  /** The page's clock (ms), ticking once a second: the elapsed time shown while recording. */
  now: number;
  /**
   * The console's profile list (default: the console's, from ProfilesContext): profiles added to
   * it while recording go into the file.
   */
  profiles?: ProfileLibrary | undefined;
}

const LAST_MINUTES = [1, 5, 10] as const;

/** Wall time on purpose: when a file was made and what "the last N minutes" means. */
const wallClock = (): number => Date.now();

export function RecordControls(props: RecordControlsProps) {
  const { source, recorder, origin, save, connectionId, prometheus, now } = props;
  const context = useContext(ProfilesContext);
  const profiles = props.profiles ?? context?.library;
  const answers = () => prometheus?.answers?.answers() ?? [];
  const { open, setOpen, root } = useDismissible();
  const [nodesText, setNodesText] = useState('');
  const [redact, setRedact] = useState(false);
  const active = useSyncExternalStore(subscribeRecordings, () => recordingOf(connectionId));
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<{ error: boolean; text: string }>();

  const options = (): SnapshotOptions => ({
    origin,
    redact,
    nodes: recordNodeFilter(nodesText),
    now: wallClock,
  });

  const run = async (work: () => Promise<string>) => {
    setBusy(true);
    setNotice(undefined);
    try {
      setNotice({ error: false, text: await work() });
    } catch (error) {
      setNotice({ error: true, text: `Not saved: ${(error as Error).message ?? String(error)}` });
    } finally {
      setBusy(false);
    }
  };

  const saveBytes = async (bytes: Uint8Array, what: string): Promise<string> => {
    const name = snapshotFileName(origin.cluster ?? origin.connection, wallClock());
    const done = await save!(name, bytes);
    return done ? `Saved ${name} (${formatBytes(bytes.length)}, ${what})` : 'Save cancelled';
  };

  const start = () =>
    run(async () => {
      const session = await RecordingSession.start(options());
      const unsubscribeSource = source!.subscribe(session.ingest);
      const unsubscribeProfiles = profiles
        ? recordLibraryProfiles(profiles, (e) => session.addProfile(e.set, recordedOrigin(e)))
        : () => undefined;
      const unsubscribe = () => {
        unsubscribeSource();
        unsubscribeProfiles();
      };
      setRecording(connectionId, { session, unsubscribe });
      setOpen(false);
      return nodesText.trim() ? `Recording nodes matching “${nodesText.trim()}”` : 'Recording';
    });

  const stop = () =>
    run(async () => {
      const current = active!;
      current.unsubscribe();
      setRecording(connectionId, undefined);
      const bytes = await current.session.stop(answers());
      const messages = current.session.progress.messages;
      return saveBytes(bytes, `${formatNumber(messages)} messages`);
    });

  const saveLast = (minutes: number) =>
    run(async () => {
      const saved = await snapshotOfLast(recorder!, minutes, options(), answers());
      if (saved.messages === 0) {
        throw new Error(`nothing was received in the last ${minutes} min`);
      }
      setOpen(false);
      return saveBytes(saved.bytes, `${formatNumber(saved.messages)} messages`);
    });

  if (active) {
    const p = active.session.progress;
    return (
      <div className="record">
        <span
          className={`record-indicator${p.stoppedReason ? ' record-full' : ''}`}
          data-testid="record-indicator"
          title={p.stoppedReason ?? 'Recording everything this connection receives'}
        >
          <span className="record-dot" aria-hidden />
          REC {formatElapsed(now - p.startedAt)} · {formatBytes(p.bytes)} ·{' '}
          {formatNumber(p.messages)} msgs
          {p.stoppedReason ? ` · ${p.stoppedReason}` : ''}
        </span>
        <button type="button" className="record-button" disabled={busy} onClick={stop}>
          <span className="record-stop" aria-hidden /> Stop
        </button>
      </div>
    );
  }

  const held = recorder && recorder.length > 0 && recorder.oldestAt !== undefined;
  return (
    <div className="record" ref={root}>
      {notice ? (
        <span
          className={`record-notice${notice.error ? ' record-error' : ''}`}
          role={notice.error ? 'alert' : 'status'}
          title={notice.text}
        >
          {notice.text}
        </span>
      ) : null}
      <button
        type="button"
        className="record-button"
        aria-expanded={open}
        aria-haspopup="dialog"
        disabled={busy || save === undefined}
        title={save === undefined ? 'This console cannot save files' : undefined}
        onClick={() => setOpen(!open)}
      >
        <span className="record-dot" aria-hidden /> Record
      </button>
      {open ? (
        <div className="record-popover" role="dialog" aria-label="Record">
          <div className="popover-title">Record this connection</div>
          <div className="record-body">
            <label className="record-field">
              <span>Nodes</span>
              <input
                type="text"
                value={nodesText}
                placeholder="all nodes · a name part · a glob (gpu-a-*)"
                onChange={(e) => setNodesText(e.target.value)}
              />
            </label>
            <label className="record-check">
              <input
                type="checkbox"
                checked={redact}
                onChange={(e) => setRedact(e.target.checked)}
              />
              Redact node names, hostnames and IP addresses
            </label>
            <button
              type="button"
              className="button primary"
              disabled={busy || source === undefined}
              onClick={start}
            >
              Start recording
            </button>
            <div className="record-last">
              <span>Save what already arrived, the last</span>
              <div className="segmented">
                {LAST_MINUTES.map((m) => (
                  <button
                    key={m}
                    type="button"
                    disabled={busy || !held}
                    onClick={() => void saveLast(m)}
                  >
                    {m} min
                  </button>
                ))}
              </div>
            </div>
            <div className="record-hint">
              {held ? heldText(recorder, now) : 'Nothing received yet'}
            </div>
          </div>
        </div>
      ) : null}
    </div>
  );
}

/** 0:07, 12:41, 1:02:03. */
export function formatElapsed(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const hh = Math.floor(s / 3600);
  const mm = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return hh > 0 ? `${hh}:${String(mm).padStart(2, '0')}:${ss}` : `${mm}:${ss}`;
}

function heldText(recorder: FlightRecorder, now: number): string {
  const dropped = recorder.dropped.byBytes;
  return [
    `Holding the last ${formatElapsed(now - (recorder.oldestAt ?? now))}`,
    formatBytes(recorder.bytes),
    ...(dropped > 0 ? [`${formatNumber(dropped)} older messages dropped for room`] : []),
  ].join(' · ');
}
