import { describe, expect, it } from 'vitest';
import { FakeRecordedSource } from '../../../collector/core/recorded/FakeRecordedSource.js';
import { ManualScheduler } from '../testing/ManualScheduler.js';
import { EventMarkCollector } from './eventMarks.js';
import { Player } from './Player.js';
import { delayOf, flush, makeHarness } from './testing/harness.js';
import {
  bruteBackfill,
  dueAfterSeek,
  dueBetween,
  keysOf,
  makeRecording,
} from './testing/recording.js';

const START = 1_700_000_000_000;
const SPEC = { nodes: 4, start: START, durationMs: 60_000, intervalMs: 1000, eventsEveryMs: 2500 };
const recording = makeRecording(SPEC);
const END = recording[recording.length - 1]!.receiveTime;

// Without events the marks pass is skipped, so the only reads are playback's.
const quiet = makeRecording({ ...SPEC, eventsEveryMs: undefined });

async function opened(options: Parameters<typeof makeHarness>[1] = {}, messages = recording) {
  const h = makeHarness(messages, options);
  await h.player.initialize();
  await flush();
  return h;
}

describe('Player: opening', () => {
  it('opens paused at the start with the start backfill delivered as one seek batch', async () => {
    const h = await opened();
    const s = h.player.status;
    expect(s.state).toBe('paused');
    expect(s.range).toEqual({ start: START, end: END });
    expect(s.currentTime).toBe(START);
    expect(s.lastSeekTime).toBe(START);
    expect(h.batches).toHaveLength(1);
    const first = h.batches[0]!;
    expect(first.seek).toBe(true);
    expect(first.receivedAt).toBe(START);
    expect(keysOf(first.messages)).toEqual(keysOf(bruteBackfill(recording, START)));
  });

  it('an unopenable recording leaves the player in error, and play says why', async () => {
    const h = makeHarness([]);
    await h.player.initialize();
    expect(h.player.status.state).toBe('error');
    expect(h.player.status.error).toContain(
      'cannot open the recording: the recording holds no messages',
    );
    expect(() => h.player.play()).toThrow(/cannot play: cannot open the recording/);
  });

  it('play before the recording has opened is refused with a clear error', () => {
    const h = makeHarness(recording);
    expect(() => h.player.play()).toThrow('cannot play yet: the recording is still opening');
  });

  it("shows the recording's own problems", async () => {
    const h = makeHarness(recording, {
      source: () => ({
        problems: [{ key: 'snapshot:truncated', message: 'the last 48 s are missing' }],
      }),
    });
    await h.player.initialize();
    expect(h.player.status.problems).toEqual([
      { key: 'snapshot:truncated', message: 'the last 48 s are missing', count: 1 },
    ]);
  });
});

describe('Player: play and pause', () => {
  it('play advances the clock by elapsed wall time × speed and delivers exactly the due messages in order', async () => {
    const h = await opened({ player: { speed: 2 } });
    h.player.play();
    await h.run(1000);
    expect(h.player.status.currentTime).toBe(START + 2000);
    expect(h.player.status.behindBy).toBe(0);
    expect(h.playedSince(1)).toEqual(dueAfterSeek(recording, START, START + 2000));
    for (const b of h.batches.slice(1)) {
      expect(b.seek).toBe(false);
      expect(b.receiveTimes).toHaveLength(b.messages.length);
      // Every message is due at the batch's time, and times never go back.
      for (const t of b.receiveTimes) expect(t).toBeLessThanOrEqual(b.receivedAt);
    }
    const times = h.batches.slice(1).flatMap((b) => b.receiveTimes);
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  it('pause stops both the clock and the messages', async () => {
    const h = await opened();
    h.player.play();
    await h.run(3000);
    h.player.pause();
    const at = h.player.status.currentTime;
    const count = h.batches.length;
    await h.run(5000);
    expect(h.player.status.state).toBe('paused');
    expect(h.player.status.currentTime).toBe(at);
    expect(h.batches).toHaveLength(count);
    h.player.play();
    await h.run(1000);
    expect(h.player.status.currentTime).toBe(at + 1000);
    expect(h.playedSince(1)).toEqual(dueAfterSeek(recording, START, at + 1000));
  });

  it('a speed change mid-play applies from the time shown, without a jump', async () => {
    const h = await opened();
    h.player.play();
    await h.run(1000);
    h.player.setSpeed(4);
    await h.run(500);
    expect(h.player.status.currentTime).toBe(START + 1000 + 2000);
    h.player.setSpeed(0.25);
    await h.run(2000);
    expect(h.player.status.currentTime).toBe(START + 3000 + 500);
    expect(h.player.status.speed).toBe(0.25);
    expect(h.playedSince(1)).toEqual(dueAfterSeek(recording, START, START + 3500));
  });

  it('refuses speeds outside 0.25×–16× with the speed named, and keeps the old one', async () => {
    const h = await opened();
    expect(() => h.player.setSpeed(32)).toThrow(
      'playback speed 32 is not allowed: it must be within 0.25× and 16×',
    );
    expect(() => h.player.setSpeed(0.1)).toThrow(RangeError);
    expect(() => h.player.setSpeed(Number.NaN)).toThrow(/playback speed NaN/);
    expect(
      () =>
        new Player(h.source, {
          scheduler: { now: () => 0, setTimer: () => () => undefined },
          speed: 0,
        }),
    ).toThrow(RangeError);
    expect(h.player.status.speed).toBe(1);
  });
});

describe('Player: seek', () => {
  // Times on a message (a metrics time with an event tie), between messages, and the two ends.
  const targets = [START + 3000, START + 17_777, START + 30_011, START + 45_000, START, END];

  for (const t of targets) {
    it(`seek to start+${t - START} delivers the backfill there (checked by brute force), then plays on from it`, async () => {
      const h = await opened();
      h.player.play();
      await h.run(700);
      const before = h.batches.length;
      await h.player.seek(t);
      const seekBatch = h.batches[before]!;
      expect(seekBatch.seek).toBe(true);
      expect(seekBatch.receivedAt).toBe(t);
      expect(keysOf(seekBatch.messages)).toEqual(keysOf(bruteBackfill(recording, t)));
      expect(seekBatch.receiveTimes.every((x) => x <= t)).toBe(true);
      expect(h.player.status.lastSeekTime).toBe(t);
      await h.run(1500);
      const upTo = Math.min(END, t + 1500);
      expect(h.player.status.currentTime).toBe(upTo);
      const played = h.batches.slice(before + 1).flatMap((b) => b.receiveTimes);
      expect(played.every((x) => x >= t)).toBe(true);
      expect(h.playedSince(before + 1)).toEqual(dueAfterSeek(recording, t, upTo));
    });
  }

  it('with a pre-roll, a seek delivers the state before it and every inventory and metrics message since, no event', async () => {
    const h = await opened({ player: { prerollMs: 10_000 } });
    const before = h.batches.length;
    const t = START + 30_011;
    await h.player.seek(t);
    const seekBatch = h.batches[before]!;
    const since = recording.filter(
      (r) => r.receiveTime > t - 10_000 && r.receiveTime <= t && r.message.type !== 'events',
    );
    expect(keysOf(seekBatch.messages)).toEqual(
      keysOf([...bruteBackfill(recording, t - 10_000), ...since]),
    );
    // In time order, so the newest of each node is what it ends at: the backfill at t.
    expect([...seekBatch.receiveTimes].sort((a, b) => a - b)).toEqual(seekBatch.receiveTimes);
    const last = new Map(seekBatch.messages.map((m) => [`${m.node}/${m.type}`, m.seq]));
    expect(
      new Map(
        bruteBackfill(recording, t).map((r) => [
          `${r.message.node}/${r.message.type}`,
          r.message.seq,
        ]),
      ),
    ).toEqual(last);
  });

  it('a pre-roll is shortened to hold at most maxPrerollMessages at the recording’s rate', async () => {
    // 4 nodes at 1 Hz (+ inventories): 40 messages is ~10 s, not the 30 s asked.
    const h = await opened({ player: { prerollMs: 30_000, maxPrerollMessages: 40 } }, quiet);
    const before = h.batches.length;
    const t = START + 40_000;
    await h.player.seek(t);
    const times = h.batches[before]!.receiveTimes;
    const oldestTail = times.find((x) => x > t - 30_000)!;
    expect(oldestTail).toBeGreaterThan(t - 11_000);
    expect(h.batches[before]!.messages.length).toBeLessThanOrEqual(40 + 2 * SPEC.nodes);
  });

  it('clamps a seek outside the recording to its ends, and rejects one that is not a time', async () => {
    const h = await opened();
    await h.player.seek(START - 10_000);
    expect(h.player.status.currentTime).toBe(START);
    await h.player.seek(END + 10_000);
    expect(h.player.status.currentTime).toBe(END);
    await expect(h.player.seek(Number.NaN)).rejects.toThrow('cannot seek to NaN: not a time');
  });

  it('a seek during a slow read in flight cancels it: nothing stale is delivered after the seek', async () => {
    // At 16× the reader (one message per 40 ms) is always busy: a read is always in flight.
    const h = await opened({ source: delayOf(40), player: { speed: 16 } }, quiet);
    h.player.play();
    await h.run(3000, 40);
    expect(h.player.status.currentTime).toBeGreaterThan(START + 5000);
    expect(h.source.readsInFlight).toBe(1);
    const before = h.batches.length;
    const t = START + 2_222;
    const seeking = h.player.seek(t);
    await h.run(100);
    await seeking;
    await h.run(3000, 40);
    const upTo = h.player.status.currentTime;
    expect(upTo).toBeGreaterThan(t);
    expect(h.playedSince(before + 1)).toEqual(dueAfterSeek(quiet, t, upTo));
    // The cancelled iteration was let go: only the current one is open.
    expect(h.source.openIterators).toBe(1);
  });

  it('a seek while the previous seek is still reading its backfill delivers only the last one', async () => {
    let release: (() => void)[] = [];
    const h = makeHarness(recording, {
      source: () => ({
        backfillDelay: () => new Promise<void>((resolve) => release.push(resolve)),
      }),
    });
    const init = h.player.initialize();
    await flush();
    release.forEach((r) => r());
    release = [];
    await init;
    const before = h.batches.length;
    const first = h.player.seek(START + 10_000);
    const second = h.player.seek(START + 20_000);
    await flush();
    release.forEach((r) => r());
    await Promise.all([first, second]);
    await flush();
    const seeks = h.batches.slice(before).filter((b) => b.seek);
    expect(seeks.map((b) => b.receivedAt)).toEqual([START + 20_000]);
    expect(keysOf(seeks[0]!.messages)).toEqual(keysOf(bruteBackfill(recording, START + 20_000)));
    const played = h.batches.slice(before).filter((b) => !b.seek);
    expect(played.flatMap((b) => b.receiveTimes).every((x) => x >= START + 20_000)).toBe(true);
    expect(h.playedSince(before)).toEqual(
      dueAfterSeek(recording, START + 20_000, h.player.status.currentTime),
    );
  });
});

describe('Player: end, loop and step', () => {
  it('stops at the end in `ended` having delivered every message exactly once', async () => {
    const h = await opened({ player: { speed: 16 } });
    h.player.play();
    await h.run(5000, 50);
    expect(h.player.status.state).toBe('ended');
    expect(h.player.status.currentTime).toBe(END);
    expect(h.playedSince(1)).toEqual(dueAfterSeek(recording, START, END));
    expect(h.sched.pendingTimers).toBe(0);
  });

  it('play after the end starts over from the start', async () => {
    const h = await opened({ player: { speed: 16 } });
    h.player.play();
    await h.run(5000, 50);
    const before = h.batches.length;
    h.player.play();
    await flush();
    expect(h.batches[before]?.seek).toBe(true);
    expect(h.batches[before]?.receivedAt).toBe(START);
    expect(h.player.status.state).toBe('playing');
  });

  it('loop wraps to the start at the end and plays on', async () => {
    const h = await opened({ player: { speed: 16, loop: true } });
    expect(h.player.status.loop).toBe(true);
    h.player.play();
    await h.run(4000, 50);
    expect(h.player.status.state).toBe('playing');
    const wrap = h.batches.findIndex((b, i) => i > 0 && b.seek);
    expect(wrap).toBeGreaterThan(0);
    expect(h.batches[wrap]!.receivedAt).toBe(START);
    expect(h.playedSince(1).slice(0, dueAfterSeek(recording, START, END).length)).toEqual(
      dueAfterSeek(recording, START, END),
    );
    const upTo = h.player.status.currentTime;
    expect(upTo).toBeLessThan(END);
    expect(h.playedSince(wrap + 1)).toEqual(dueAfterSeek(recording, START, upTo));
  });

  it('step forward pauses and moves 1 s on, delivering that second; step back seeks 1 s back', async () => {
    const h = await opened();
    await h.player.seek(START + 10_000);
    h.player.play();
    await h.run(200);
    const at = h.player.status.currentTime;
    const before = h.batches.length;
    h.player.stepForward();
    await flush();
    expect(h.player.status.state).toBe('paused');
    expect(h.player.status.currentTime).toBe(at + 1000);
    expect(h.playedSince(before)).toEqual(dueBetween(recording, at, at + 1000));
    const beforeBack = h.batches.length;
    await h.player.stepBack();
    expect(h.player.status.currentTime).toBe(at);
    expect(h.batches[beforeBack]?.seek).toBe(true);
    expect(keysOf(h.batches[beforeBack]!.messages)).toEqual(keysOf(bruteBackfill(recording, at)));
  });

  it('step back at the start stays at the start; step forward at the end stays at the end', async () => {
    const h = await opened();
    await h.player.stepBack();
    expect(h.player.status.currentTime).toBe(START);
    await h.player.seek(END);
    h.player.stepForward();
    expect(h.player.status.currentTime).toBe(END);
  });
});

describe('Player: reading', () => {
  it('a reader that cannot keep up at 16× makes the player say it is behind, and skips nothing', async () => {
    // 4 nodes at 1 Hz + events ≈ 4.4 messages per recorded second: 70 a second at 16×; the reader
    // manages one per 50 ms, 20 a second.
    const h = await opened({ source: delayOf(50), player: { speed: 16 } });
    h.player.play();
    await h.run(3000);
    const s = h.player.status;
    expect(s.state).toBe('playing');
    expect(s.behindBy).toBeGreaterThan(0);
    expect(s.currentTime).toBeLessThan(START + 3000 * 16);
    expect(s.currentTime + s.behindBy).toBe(START + 3000 * 16);
    expect(h.playedSince(1)).toEqual(dueAfterSeek(recording, START, s.currentTime));
  });

  it('a reader that keeps up is never behind at 16×', async () => {
    const h = await opened({ player: { speed: 16 } });
    h.player.play();
    let worst = 0;
    for (let i = 0; i < 60; i++) {
      await h.run(50);
      worst = Math.max(worst, h.player.status.behindBy);
    }
    expect(worst).toBe(0);
  });

  it('reads ahead a bounded amount, not the whole recording', async () => {
    const long = makeRecording({ nodes: 8, start: START, durationMs: 600_000, intervalMs: 1000 });
    const h = makeHarness(long, { player: { maxBuffered: 200 } });
    await h.player.initialize();
    await flush();
    // Paused at the start: 2 s of read-ahead (16 messages), far below the 4,808 in the file.
    expect(h.source.messagesRead).toBeLessThan(40);
    h.player.setSpeed(16);
    h.player.play();
    await h.run(200, 50);
    // 200 ms at 16× = 3.2 s played; read-ahead 2 s × 16 = 32 s of 8 nodes: ≤ 200 buffered.
    expect(h.source.messagesRead).toBeLessThanOrEqual(40 + 200);
  });

  it('a step over more messages than the buffer holds delivers all of them, in chunks, in order', async () => {
    const h = await opened({ player: { maxBuffered: 10, stepMs: 30_000 } });
    h.player.stepForward();
    await flush();
    expect(h.player.status.currentTime).toBe(START + 30_000);
    expect(h.playedSince(1)).toEqual(dueAfterSeek(recording, START, START + 30_000));
    expect(h.batches.length).toBeGreaterThan(10);
    expect(h.batches.every((b) => b.messages.length <= 10)).toBe(true);
  });

  it('a read error stops playback in `error` naming where; a seek recovers', async () => {
    const failAt = recording.findIndex((r) => r.receiveTime > START + 5000);
    const h = await opened({
      source: () => ({ failAtIndex: failAt, readError: new Error('chunk 3: bad CRC') }),
    });
    h.player.play();
    await h.run(8000);
    const s = h.player.status;
    expect(s.state).toBe('error');
    expect(s.error).toMatch(/^reading the recording after .* failed: chunk 3: bad CRC$/);
    expect(s.problems.find((p) => p.key === 'read:error')?.count).toBe(1);
    // What was read before the error was delivered; nothing after.
    expect(h.playedSince(1)).toEqual(dueAfterSeek(recording, START, s.currentTime));
    await h.player.seek(START + 30_000);
    expect(h.player.status.state).toBe('paused');
    expect(h.player.status.error).toBeUndefined();
  });

  it('a consumer that throws is counted as a problem and does not stop playback', async () => {
    const h = await opened();
    h.player.subscribe(() => {
      throw new Error('store full');
    });
    h.player.play();
    await h.run(2000);
    expect(h.player.status.currentTime).toBe(START + 2000);
    expect(h.player.status.problems.find((p) => p.key === 'consumer')?.message).toBe(
      'a consumer of the recording failed: store full',
    );
  });

  it('close stops playback, lets the iterations go and closes the source', async () => {
    const h = await opened();
    h.player.play();
    await h.run(500);
    await h.player.close();
    await flush();
    expect(h.player.status.state).toBe('closed');
    expect(h.source.openIterators).toBe(0);
    expect(h.sched.pendingTimers).toBe(0);
    expect(() => h.player.play()).toThrow('cannot play: the player is closed');
  });
});

describe('Player: event marks', () => {
  it('marks every event of the recording at its receipt time, in order', async () => {
    const h = await opened();
    await flush();
    const s = h.player.status;
    expect(s.marksComplete).toBe(true);
    const expected = recording.filter((r) => r.message.type === 'events');
    expect(s.marks.map((m) => m.time)).toEqual(expected.map((r) => r.receiveTime));
    expect(s.marks[0]).toMatchObject({
      node: 'node-000',
      kind: 'xid',
      severity: 'error',
      message: 'xid 0',
    });
    expect(s.marksOmitted).toBe(0);
  });

  it('asks the source for the events topic only, and marks what a pass over everything marks', async () => {
    const h = await opened();
    await flush();
    const marksPass = h.source.iteratorArgs.filter((a) => a.topics !== undefined);
    expect(marksPass).toEqual([{ start: START, end: END, topics: ['osprey.v1.events'] }]);
    // Playback's own reads ask for every topic.
    expect(h.source.iteratorArgs.some((a) => a.topics === undefined)).toBe(true);
    const everything = new EventMarkCollector();
    for (const r of recording) everything.add(r);
    expect(h.player.status.marks).toEqual(everything.marks);
  });

  it('keeps at most maxMarks and counts the rest', async () => {
    const h = await opened({ player: { maxMarks: 5 } });
    await flush();
    const total = recording.filter((r) => r.message.type === 'events').length;
    expect(h.player.status.marks).toHaveLength(5);
    expect(h.player.status.marksOmitted).toBe(total - 5);
  });

  it('skips the pass when the recording lists no events', async () => {
    const sched = new ManualScheduler();
    const source = new FakeRecordedSource(quiet);
    const player = new Player(source, {
      scheduler: { now: () => sched.now, setTimer: (c, ms) => sched.setTimer(c, ms) },
    });
    await player.initialize();
    await flush();
    expect(player.status.marksComplete).toBe(true);
    expect(player.status.marks).toEqual([]);
    // Only the playback iteration was read: the first 2 s, not all 60.
    expect(source.messagesRead).toBeLessThan(20);
  });
});
