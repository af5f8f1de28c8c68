/**
 * The player over a real snapshot (SnapshotWriter → bytes → SnapshotReader), not only the fake:
 * the recorded-source contract as the MCAP reader implements it.
 */
import { describe, expect, it } from 'vitest';
import { bytesReadable } from '../../../collector/core/snapshot/RandomAccessReadable.js';
import { SnapshotReader } from '../../../collector/core/snapshot/SnapshotReader.js';
import { SnapshotWriter } from '../../../collector/core/snapshot/SnapshotWriter.js';
import { ManualScheduler } from '../testing/ManualScheduler.js';
import { EventMarkCollector } from './eventMarks.js';
import { Player } from './Player.js';
import type { PlayerBatch } from './playerTypes.js';
import { flush } from './testing/harness.js';
import { bruteBackfill, dueAfterSeek, keysOf, makeRecording } from './testing/recording.js';

const START = Date.UTC(2026, 11, 2, 14, 0, 0);
const recording = makeRecording({
  nodes: 6,
  start: START,
  durationMs: 120_000,
  intervalMs: 1000,
  eventsEveryMs: 4000,
});
const END = recording[recording.length - 1]!.receiveTime;

async function snapshotBytes(): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  const writer = await SnapshotWriter.open({
    sink: { write: (b) => (parts.push(b.slice()), Promise.resolve()) },
    metadata: {
      version: 'test',
      recordedBy: 'Player.snapshot.test',
      createdAt: 'now',
      redacted: false,
      cluster: 'gpu-a',
    },
    // Small chunks and frequent keyframes, so seeks cross chunk and keyframe boundaries.
    chunkMs: 5000,
    keyframeEveryChunks: 2,
  });
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

async function openPlayer() {
  const sched = new ManualScheduler();
  const reader = new SnapshotReader(bytesReadable(await snapshotBytes()));
  const player = new Player(reader, {
    scheduler: { now: () => sched.now, setTimer: (c, ms) => sched.setTimer(c, ms) },
  });
  const batches: PlayerBatch[] = [];
  player.subscribe((b) => batches.push(b));
  await player.initialize();
  await flush();
  const run = async (ms: number) => {
    for (let done = 0; done < ms; done += 50) {
      sched.advance(50);
      await flush();
    }
  };
  return { player, batches, run };
}

describe('Player over a snapshot file', () => {
  it('plays the whole file at 16× delivering every message once, in order, then ends', async () => {
    const { player, batches, run } = await openPlayer();
    expect(player.status.range).toEqual({ start: START, end: END });
    expect(player.status.info?.metadata.cluster).toBe('gpu-a');
    player.setSpeed(16);
    player.play();
    await run(10_000);
    expect(player.status.state).toBe('ended');
    const played = batches.slice(1).flatMap((b) => b.messages);
    expect(played).toEqual(dueAfterSeek(recording, START, END));
    expect(player.status.marks).toHaveLength(
      recording.filter((r) => r.message.type === 'events').length,
    );
  });

  it('marks the events read from the file by topic as a pass over every message marks them', async () => {
    const { player } = await openPlayer();
    await flush();
    expect(player.status.marksComplete).toBe(true);
    const everything = new EventMarkCollector();
    for (const r of recording) everything.add(r);
    expect(everything.marks.length).toBeGreaterThan(20);
    expect(player.status.marks).toEqual(everything.marks);
    expect(player.status.problems).toEqual([]);
  });

  it('seeks deliver the backfill the brute force expects, then play on from the seek', async () => {
    const { player, batches, run } = await openPlayer();
    for (const t of [START + 3000, START + 47_011, START + 61_500, START + 99_999, END - 500]) {
      const before = batches.length;
      await player.seek(t);
      expect(batches[before]?.seek).toBe(true);
      expect(keysOf(batches[before]!.messages)).toEqual(keysOf(bruteBackfill(recording, t)));
      player.play();
      await run(2000);
      player.pause();
      const upTo = player.status.currentTime;
      expect(batches.slice(before + 1).flatMap((b) => b.messages)).toEqual(
        dueAfterSeek(recording, t, upTo),
      );
    }
  });
});
