/**
 * Profiles and recordings: while a recording runs, every profile added to the console's list
 * (a capture, a file opened) goes into it on the `osprey.profile` channel; opening a recording
 * adds the profiles it keeps to the list, marked as from that recording.
 */
import type { RecordedProfiles } from '../../../collector/core/snapshot/readProfiles.js';
import type { RecordedProfileOrigin } from '../../../collector/core/snapshot/profileChannel.js';
import type { ProfileEntry, ProfileLibrary } from '../profiles/ProfileLibrary.js';

/** What a recording needs of the list's entry: where it came from, in the file's terms. */
export function recordedOrigin(entry: ProfileEntry): RecordedProfileOrigin {
  const o = entry.origin;
  if (o.kind === 'capture') {
    return {
      kind: 'capture',
      node: o.node,
      pid: o.pid,
      tool: o.tool,
      connection: o.connection,
      timeMs: entry.addedAtMs,
    };
  }
  if (o.kind === 'merged') {
    // A recording keeps it as a capture of its nodes (the file format has no merged kind).
    const node = o.nodes.join(', ');
    return {
      kind: 'capture',
      node,
      tool: o.tool,
      connection: o.connection,
      timeMs: entry.addedAtMs,
    };
  }
  return { kind: o.kind, timeMs: entry.addedAtMs };
}

/**
 * Sends the entries added to `library` from now on to `addProfile` (a RecordingSession's); those
 * already there and those read from a recording are not. Returns the unsubscribe.
 */
export function recordLibraryProfiles(
  library: ProfileLibrary,
  addProfile: (entry: ProfileEntry) => void,
): () => void {
  const seen = new Set(library.getState().entries.map((e) => e.id));
  return library.subscribe(() => {
    for (const entry of library.getState().entries) {
      if (seen.has(entry.id)) continue;
      seen.add(entry.id);
      if (entry.origin.kind !== 'recording') addProfile(entry);
    }
  });
}

/**
 * Adds a recording's profiles to the list at the times they were added to the recorded console's
 * list (the origin's; the message's log time is never earlier than the messages before it).
 */
export function addRecordedProfiles(
  library: ProfileLibrary,
  recorded: RecordedProfiles,
  recording: string,
): ProfileEntry[] {
  return recorded.profiles.map((p) =>
    library.add(p.set, { kind: 'recording', recording }, p.origin.timeMs),
  );
}
