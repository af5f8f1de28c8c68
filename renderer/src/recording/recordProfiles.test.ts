import { describe, expect, it } from 'vitest';

import type { ProfileSet } from '../../../collector/core/profile/model.js';
import { totalWeight } from '../../../collector/core/profile/model.js';
import { bytesReadable } from '../../../collector/core/snapshot/RandomAccessReadable.js';
import { SnapshotReader } from '../../../collector/core/snapshot/SnapshotReader.js';
import { makeRecording, nodeName } from '../player/testing/recording.js';
import { ProfileLibrary } from '../profiles/ProfileLibrary.js';
import { RecordingSession } from './RecordingSession.js';
import { addRecordedProfiles, recordedOrigin, recordLibraryProfiles } from './recordProfiles.js';
import type { SnapshotOptions } from './recordSnapshot.js';

const START = Date.UTC(2026, 11, 2, 14, 0, 0);
const messages = makeRecording({ nodes: 2, start: START, durationMs: 10_000, intervalMs: 1000 });

/** Two stacks, 3 + 4 samples: total 7. */
function set(name: string): ProfileSet {
  return {
    format: 'folded',
    name,
    profiles: [
      {
        name,
        unit: 'samples',
        measure: 'cpu',
        frames: [
          { name: 'main', file: 'serve.py', line: 12, kind: 'python' },
          { name: 'tokenize', file: 'tok.py', line: 3, kind: 'python' },
          { name: 'schedule', kind: 'python' },
        ],
        stacks: [
          [0, 1],
          [0, 2],
        ],
        sampleStacks: [0, 1],
        weights: [3, 4],
      },
    ],
    meta: { source: 'py-spy' },
    warnings: [],
  };
}

function options(redact: boolean): SnapshotOptions {
  return {
    origin: { version: '9.9.9', connection: 'Prod east', cluster: 'gpu-a' },
    redact,
    now: () => START,
  };
}

async function record(library: ProfileLibrary, redact = false) {
  const session = await RecordingSession.start(options(redact));
  const stop = recordLibraryProfiles(library, (e) => session.addProfile(e.set, recordedOrigin(e)));
  // Messages up to the capture's time arrive first, as they would live.
  const upTo = (t: number) => {
    for (const m of messages.filter((m) => m.receiveTime <= t && m.receiveTime > t - 1000)) {
      session.ingest({ receivedAt: m.receiveTime, messages: [m.message] });
    }
  };
  for (let t = START; t <= START + 5000; t += 1000) upTo(t);
  library.add(
    set('py-spy · pid 4121'),
    { kind: 'capture', node: nodeName(1), pid: 4121, tool: 'py-spy', connection: 'local' },
    START + 5000,
  );
  library.add(set('old recording'), { kind: 'recording', recording: 'a.mcap' }, START + 6000);
  upTo(START + 6000);
  upTo(START + 7000);
  library.add(set('opened.txt'), { kind: 'file' }, START + 7000);
  stop();
  library.add(set('after stop'), { kind: 'file' }, START + 8000);
  return new SnapshotReader(bytesReadable(await session.stop()));
}

describe('profiles while recording', () => {
  it('records the profiles added during the recording (not those read from one), with origin and time', async () => {
    const library = new ProfileLibrary();
    library.add(set('before'), { kind: 'file' }, START);
    const reader = await record(library);
    const { profiles, problems } = await reader.profiles();
    expect(problems).toEqual([]);
    expect(profiles.map((p) => [p.set.name, p.timeMs, totalWeight(p.set.profiles[0]!)])).toEqual([
      ['py-spy · pid 4121', START + 5000, 7],
      ['opened.txt', START + 7000, 7],
    ]);
    expect(profiles[0]!.origin).toEqual({
      kind: 'capture',
      node: nodeName(1),
      pid: 4121,
      tool: 'py-spy',
      connection: 'local',
      timeMs: START + 5000,
    });
  });

  it('replaces the node name of a capture’s origin when the recording is redacted', async () => {
    const reader = await record(new ProfileLibrary(), true);
    const { profiles } = await reader.profiles();
    expect(profiles[0]!.origin.node).not.toBe(nodeName(1));
    expect(profiles[0]!.origin.node).toBeTruthy();
  });

  it('opening the recording adds its profiles to the list as from that recording', async () => {
    const reader = await record(new ProfileLibrary());
    const library = new ProfileLibrary();
    const added = addRecordedProfiles(library, await reader.profiles(), 'gpu-a.mcap');
    expect(library.getState().entries).toEqual(added);
    expect(added.map((e) => [e.set.name, e.origin, e.addedAtMs])).toEqual([
      ['py-spy · pid 4121', { kind: 'recording', recording: 'gpu-a.mcap' }, START + 5000],
      ['opened.txt', { kind: 'recording', recording: 'gpu-a.mcap' }, START + 7000],
    ]);
    expect(added.map((e) => totalWeight(e.set.profiles[0]!))).toEqual([7, 7]);
  });
});
