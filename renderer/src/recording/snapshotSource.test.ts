/**
 * A snapshot opened as the console opens a file (the factory over a RandomAccessReadable, the real
 * SnapshotWriter's bytes): the store the player drives fills, the page model says what it is, and
 * a file that is not a snapshot or is cut short says so.
 */
import { describe, expect, it } from 'vitest';

import { bytesReadable } from '../../../collector/core/snapshot/RandomAccessReadable.js';
import { SnapshotWriter } from '../../../collector/core/snapshot/SnapshotWriter.js';
import { flush } from '../player/testing/harness.js';
import { makeRecording } from '../player/testing/recording.js';
import { capabilities } from '../sources/SourceFactory.js';
import { ManualScheduler } from '../testing/ManualScheduler.js';
import { prepareRecordingPage } from './prepareRecordingPage.js';
import { snapshotSourceFactory, type Recording } from './snapshotSource.js';

const START = Date.UTC(2026, 11, 2, 14, 0, 0);

async function snapshotBytes(): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  const writer = await SnapshotWriter.open({
    sink: { write: (b) => (parts.push(b.slice()), Promise.resolve()) },
    metadata: {
      version: 'test',
      recordedBy: 'snapshotSource.test',
      createdAt: 'now',
      redacted: false,
      cluster: 'gpu-a',
    },
    chunkMs: 5000,
  });
  const recording = makeRecording({ nodes: 3, start: START, durationMs: 20_000, intervalMs: 1000 });
  for (const r of recording) await writer.add(r.receiveTime, r.message);
  await writer.close();
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function open(bytes: Uint8Array, name: string) {
  const sched = new ManualScheduler();
  const factory = snapshotSourceFactory({
    now: () => sched.now,
    setTimer: (c, ms) => sched.setTimer(c, ms),
  });
  return { factory, recording: factory.create({ name, ...bytesReadable(bytes) }) };
}

async function opened(recording: Recording): Promise<void> {
  for (let i = 0; i < 50 && recording.player.status.state === 'initializing'; i++) await flush();
  await flush();
}

const UTC = { timeZone: 'UTC' };

describe('snapshotSourceFactory', () => {
  it('opens a snapshot into a store the player drives, at the recording start time', async () => {
    const { factory, recording } = open(await snapshotBytes(), 'incident.mcap');
    await opened(recording);
    expect(recording.player.status.state).toBe('paused');
    expect(recording.store.nodes()).toHaveLength(3);
    expect(recording.store.clock.currentTime).toBe(START);
    const page = prepareRecordingPage(recording.player.status, factory.capabilities, UTC);
    expect(page).toMatchObject({
      phase: 'open',
      views: ['fleet', 'health', 'engines', 'host', 'profiles'],
      showPlayer: true,
      truncation: undefined,
    });
    expect(page.title).toBe('Recording of gpu-a, 2 Dec 14:00:00 – 14:00:20');
    recording.close();
    expect(recording.player.status.state).toBe('closed');
  });

  it('says in the page model why a file that is not a snapshot cannot be opened', async () => {
    const bytes = new TextEncoder().encode('<html>not a recording</html>'.repeat(20));
    const { factory, recording } = open(bytes, 'notes.mcap');
    await opened(recording);
    const page = prepareRecordingPage(recording.player.status, factory.capabilities);
    expect(page.phase).toBe('failed');
    expect(page.showPlayer).toBe(false);
    expect(page.error).toMatch(/^cannot open the recording: .+/);
  });

  it('opens a copy cut mid-chunk and names what was lost', async () => {
    const bytes = await snapshotBytes();
    const { factory, recording } = open(
      bytes.subarray(0, Math.floor(bytes.length * 0.6)),
      'cut.mcap',
    );
    await opened(recording);
    const page = prepareRecordingPage(recording.player.status, factory.capabilities);
    expect(page.phase).toBe('open');
    expect(page.truncation).toMatch(/.+/);
  });
});

describe('prepareRecordingPage', () => {
  it('shows Latency only with history and the player bar only with seek', async () => {
    const { recording } = open(await snapshotBytes(), 'a.mcap');
    await opened(recording);
    expect(prepareRecordingPage(recording.player.status, capabilities('history'))).toMatchObject({
      views: ['fleet', 'health', 'engines', 'host', 'latency', 'profiles'],
      showPlayer: false,
    });
    recording.close();
  });
});
