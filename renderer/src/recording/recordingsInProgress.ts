/**
 * Recordings running now, by connection id. Kept outside the cluster page so that switching to
 * another connection (which unmounts the page) does not end one: it keeps taking the source's
 * messages until its page's Stop. Fit for useSyncExternalStore.
 */
import type { RecordingSession } from './RecordingSession.js';

export interface ActiveRecording {
  session: RecordingSession;
  unsubscribe: () => void;
}

const active = new Map<string, ActiveRecording>();
const listeners = new Set<() => void>();

export function recordingOf(connectionId: string): ActiveRecording | undefined {
  return active.get(connectionId);
}

export function setRecording(connectionId: string, recording: ActiveRecording | undefined): void {
  if (recording) active.set(connectionId, recording);
  else active.delete(connectionId);
  for (const l of listeners) l();
}

export function subscribeRecordings(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
