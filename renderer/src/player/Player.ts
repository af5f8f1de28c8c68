/**
 * The one generic player: play, pause, seek, speed, loop and step over ANY recorded source (an
 * MCAP snapshot, the test fake…), as Lichtblick's IterablePlayer does over its iterable sources.
 * It owns the clock of a recording: `currentTime` advances by wall time × speed while playing, and
 * every message whose receipt time is at or before it is delivered, in order, in batches shaped as
 * the live sources' (SourceBatch, `receivedAt` = the recording time reached).
 *
 * Reading is bounded and ahead of the clock: at most `maxBuffered` messages (5,000 by default,
 * ~20 MB of 8-GPU metrics) and no further than `readAheadMs` of wall time of playback (2 s: 32 s
 * of recording at 16×), refilled in the background. When the reader cannot keep up, the clock
 * waits for it rather than skip messages, and `status.behindBy` says by how much.
 *
 * A seek cancels the iteration in flight (a generation number: anything an older read returns is
 * dropped), delivers the source's backfill as one batch flagged `seek` so the consumer can reset
 * and show a complete picture at once, then reads on from the seek time. Inventory and metrics at
 * exactly the seek time are in the backfill and not delivered twice; events at that time are.
 *
 * Step is a fixed 1 s of recording time (`stepMs`), not "the next message": in a fleet of 512
 * nodes at 1 Hz the next message is ~2 ms away, so stepping by message would not visibly move.
 * Forward plays the second on (its events are delivered); back seeks (a backfill).
 */
import {
  topicOf,
  type RecordedMessage,
  type RecordedSource,
  type RecordingInfo,
  type TimeRange,
} from '../../../collector/core/recorded/RecordedSource.js';
import type { WireMessage } from '../../../collector/core/protocol/spec.js';
import { EventMarkCollector, MAX_EVENT_MARKS, type EventMark } from './eventMarks.js';
import { PlaybackClock, type PlayerScheduler } from './PlaybackClock.js';
import { ReadAhead, release } from './ReadAhead.js';
import type {
  PlayerBatch,
  PlayerBatchListener,
  PlayerProblem,
  PlayerState,
  PlayerStatus,
} from './playerTypes.js';
import { checkSpeed } from './speeds.js';

export interface PlayerOptions {
  scheduler: PlayerScheduler;
  /** Wall ms between playback ticks (one batch each): 50 ms = 20 store updates a second. */
  tickMs?: number;
  /** Wall ms of playback to read ahead of the clock (× speed in recording time). */
  readAheadMs?: number;
  /** At most this many messages read and not yet delivered. */
  maxBuffered?: number;
  /** Recording ms one step moves. */
  stepMs?: number;
  /** At most this many event marks kept for the scrub bar. */
  maxMarks?: number;
  speed?: number;
  loop?: boolean;
  /**
   * Recording ms of inventories and metrics a seek delivers before its time (0: none), so charts
   * show the minute before the moment rather than one point. Shortened so that at the recording's
   * mean rate it holds at most `maxPrerollMessages`.
   */
  prerollMs?: number;
  /**
   * Default 5,000: ~100 ms of decoding at ~20 µs a metrics message (SnapshotReader.ts), ~10 s of
   * a 512-node fleet at 1 Hz.
   */
  maxPrerollMessages?: number;
}

/** `osprey.v1.events`: the topic of EventsMessage, as recordings list topics. */
const EVENTS_TOPIC = topicOf('events');
/** What a seek's pre-roll reads: the state messages, never events (their rule is playback's). */
const STATE_TOPICS = [topicOf('inventory'), topicOf('metrics')];

const errorText = (e: unknown): string => (e instanceof Error ? e.message : String(e));
const iso = (t: number): string =>
  Number.isFinite(t) ? new Date(t).toISOString() : `time ${String(t)}`;

export class Player {
  private readonly scheduler: PlayerScheduler;
  private readonly tickMs: number;
  private readonly prerollMs: number;
  private readonly maxPrerollMessages: number;
  private readonly maxBuffered: number;
  private readonly stepMs: number;
  private readonly clock: PlaybackClock;
  private readonly marks: EventMarkCollector;

  private state: PlayerState = 'initializing';
  private initializeCalled = false;
  private info: RecordingInfo | undefined;
  private range: TimeRange | undefined;
  private currentTime = 0;
  private lastSeekTime = 0;
  private loop: boolean;
  private behindBy = 0;
  private seeking = false;
  private error: string | undefined;
  private readonly problems = new Map<string, PlayerProblem>();
  private marksComplete = false;
  /** The marks as last published: a copy, so a status snapshot never changes under a reader. */
  private marksShown: readonly EventMark[] = [];

  /** Bumped by every seek and stop: a backfill asked for under an older number is dropped. */
  private generation = 0;
  private readonly reader: ReadAhead;
  private marksIterator: AsyncIterator<RecordedMessage> | undefined;
  private cancelTick: (() => void) | undefined;

  private statusValue: PlayerStatus;
  private readonly batchListeners = new Set<PlayerBatchListener>();
  private readonly statusListeners = new Set<() => void>();

  constructor(
    private readonly source: RecordedSource,
    options: PlayerOptions,
  ) {
    this.scheduler = options.scheduler;
    this.tickMs = options.tickMs ?? 50;
    this.maxBuffered = options.maxBuffered ?? 5000;
    this.stepMs = options.stepMs ?? 1000;
    this.marks = new EventMarkCollector(options.maxMarks ?? MAX_EVENT_MARKS);
    this.loop = options.loop ?? false;
    this.prerollMs = options.prerollMs ?? 0;
    this.maxPrerollMessages = options.maxPrerollMessages ?? 5000;
    this.clock = new PlaybackClock(() => this.scheduler.now(), 0, checkSpeed(options.speed ?? 1));
    const readAheadMs = options.readAheadMs ?? 2000;
    this.reader = new ReadAhead({
      maxBuffered: options.maxBuffered ?? 5000,
      readUntil: () => this.currentTime + readAheadMs * Math.max(1, this.clock.speed),
      onRead: (r) => {
        // Paused (after a seek or a step): show what is due as soon as all of it has been read.
        if (this.state === 'playing') return;
        if (r.receiveTime > this.currentTime || this.reader.buffered >= this.maxBuffered) {
          this.deliverDue();
        }
      },
      onIdle: () => {
        if (this.state === 'playing') return;
        this.deliverDue();
        this.emitStatus();
      },
      onOutOfOrder: (r, after) =>
        this.addProblem(
          'read:order',
          `a ${r.message.type} message at ${iso(r.receiveTime)} came after one at ${iso(after)}; it was left out`,
        ),
      onError: (e, after) =>
        this.fail(
          'read:error',
          `reading the recording after ${iso(after)} failed: ${errorText(e)}`,
        ),
    });
    this.statusValue = this.buildStatus();
  }

  /** Immutable snapshot, replaced on every change (fit for useSyncExternalStore). */
  get status(): PlayerStatus {
    return this.statusValue;
  }

  subscribe(listener: PlayerBatchListener): () => void {
    this.batchListeners.add(listener);
    return () => this.batchListeners.delete(listener);
  }

  subscribeStatus(listener: () => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  /**
   * Opens the recording, then shows its first moment (a seek to the start: its backfill) paused.
   * Resolves once that first batch is delivered; a recording that cannot be opened leaves the
   * player in `error` with the reason (it does not reject).
   */
  async initialize(): Promise<void> {
    if (this.initializeCalled) throw new Error('Player.initialize() was already called');
    this.initializeCalled = true;
    let info: RecordingInfo;
    try {
      info = await this.source.initialize();
    } catch (e) {
      if (this.state !== 'closed') this.fail('open', `cannot open the recording: ${errorText(e)}`);
      return;
    }
    if (this.state === 'closed') return;
    const { start, end } = info.range;
    if (!Number.isFinite(start) || !Number.isFinite(end) || start > end) {
      this.fail('open', `the recording's time range is invalid: ${start} to ${end}`);
      return;
    }
    this.info = info;
    this.range = { start, end };
    for (const p of info.problems) this.addProblem(p.key, p.message);
    this.state = 'paused';
    await this.seek(start);
    // After the first frame, not before: the pass reads the whole recording.
    if (!this.isClosed()) void this.collectMarks(info);
  }

  play(): void {
    const range = this.requireRange('play');
    if (this.state === 'playing') return;
    // Play at the end (or after one) starts over, as a video player does.
    if (this.state === 'ended' || this.currentTime >= range.end) void this.seek(range.start);
    else if (this.state === 'error') void this.seek(this.currentTime);
    this.state = 'playing';
    this.clock.set(this.currentTime);
    this.clock.start();
    this.scheduleTick();
    this.emitStatus();
  }

  pause(): void {
    if (this.state !== 'playing') return;
    this.state = 'paused';
    this.stopClock();
    this.emitStatus();
  }

  togglePlay(): void {
    if (this.state === 'playing') this.pause();
    else this.play();
  }

  /**
   * Moves to `time` (clamped into the recording's range): the backfill there is delivered as one
   * batch with `seek: true`, then playback (if playing) goes on from there. Rejects a time that
   * is not a number.
   */
  async seek(time: number): Promise<void> {
    const range = this.requireRange('seek');
    if (!Number.isFinite(time)) throw new RangeError(`cannot seek to ${String(time)}: not a time`);
    const t = Math.min(range.end, Math.max(range.start, time));
    const gen = ++this.generation;
    this.reader.reset(t);
    this.currentTime = t;
    this.lastSeekTime = t;
    this.clock.set(t);
    this.behindBy = 0;
    if (this.state === 'ended' || this.state === 'error') this.state = 'paused';
    this.error = undefined;
    this.seeking = true;
    this.emitStatus();

    let messages: RecordedMessage[];
    try {
      // With a pre-roll: the state at `from`, then the inventories and metrics after it up to `t`
      // (events keep their rule: those after the seek are played, none before it replayed).
      const from = Math.max(range.start, t - this.prerollSpan(range));
      const backfill = await this.source.getBackfill(from);
      const tail: RecordedMessage[] = [];
      if (from < t) {
        const states = this.source.messageIterator({ start: from, end: t, topics: STATE_TOPICS });
        for await (const r of states) {
          if (gen !== this.generation) return;
          if (r.receiveTime > from && r.receiveTime <= t) tail.push(r);
        }
      }
      // Defensive: a source's extra message after `t` would show the future before its time.
      messages = [...backfill.messages.filter((r) => r.receiveTime <= from), ...tail].sort(
        (a, b) => a.receiveTime - b.receiveTime,
      );
    } catch (e) {
      if (gen === this.generation) {
        this.seeking = false;
        this.fail('read:backfill', `reading the state at ${iso(t)} failed: ${errorText(e)}`);
      }
      return;
    }
    if (gen !== this.generation) return;
    this.seeking = false;
    // Playback starts from the seek once its picture is shown, not from when it was asked.
    this.clock.set(t);
    this.emitBatch(messages, t, true);
    let iterator: AsyncIterator<RecordedMessage>;
    try {
      iterator = this.source.messageIterator({ start: t, end: range.end })[Symbol.asyncIterator]();
    } catch (e) {
      this.fail('read:error', `reading the recording from ${iso(t)} failed: ${errorText(e)}`);
      return;
    }
    this.emitStatus();
    this.reader.start(iterator, t);
  }

  /** The pre-roll, shortened to hold at most maxPrerollMessages at the recording's mean rate. */
  private prerollSpan(range: TimeRange): number {
    if (this.prerollMs <= 0 || !this.info) return 0;
    const span = range.end - range.start;
    const states = this.info.topics
      .filter((topic) => STATE_TOPICS.includes(topic.name))
      .reduce((n, topic) => n + topic.messageCount, 0);
    if (span <= 0 || states <= 0) return this.prerollMs;
    return Math.min(this.prerollMs, Math.floor((this.maxPrerollMessages * span) / states));
  }

  /** Seeks `ms` from the current time (negative: back). */
  seekBy(ms: number): Promise<void> {
    return this.seek(this.currentTime + ms);
  }

  /** Throws a RangeError for a speed outside 0.25×–16×. */
  setSpeed(speed: number): void {
    checkSpeed(speed);
    // From the time shown: a reader that fell behind is not made up for at the new speed.
    this.clock.setSpeed(speed, this.currentTime);
    this.behindBy = 0;
    this.emitStatus();
  }

  setLoop(loop: boolean): void {
    this.loop = loop;
    this.emitStatus();
  }

  /** Pauses and moves `stepMs` on, delivering the messages of that step. */
  stepForward(): void {
    const range = this.requireRange('step');
    this.pause();
    const t = Math.min(range.end, this.currentTime + this.stepMs);
    if (this.state === 'error' || this.state === 'ended') {
      void this.seek(t);
      return;
    }
    this.currentTime = t;
    this.clock.set(t);
    this.deliverDue();
    this.reader.fill();
    this.emitStatus();
  }

  /** Pauses and seeks `stepMs` back. */
  stepBack(): Promise<void> {
    const range = this.requireRange('step');
    this.pause();
    return this.seek(Math.max(range.start, this.currentTime - this.stepMs));
  }

  /** Stops for good and releases the recording. */
  async close(): Promise<void> {
    if (this.state === 'closed') return;
    this.generation++;
    this.stopClock();
    this.reader.stop();
    release(this.marksIterator);
    this.marksIterator = undefined;
    this.state = 'closed';
    this.emitStatus();
    try {
      await this.source.close();
    } catch (e) {
      this.addProblem('close', `closing the recording failed: ${errorText(e)}`);
      this.emitStatus();
    }
  }

  // Playback

  private readonly tick = (): void => {
    this.cancelTick = undefined;
    if (this.state !== 'playing' || !this.range) return;
    const range = this.range;
    const target = Math.min(this.clock.time(), range.end);
    this.currentTime = Math.max(this.currentTime, Math.min(target, this.reader.frontier));
    this.behindBy = Math.max(0, target - this.currentTime);
    this.deliverDue();
    if (this.reader.exhausted && this.currentTime >= range.end) {
      this.reachEnd(range);
      return;
    }
    this.reader.fill();
    this.scheduleTick();
    this.emitStatus();
  };

  private reachEnd(range: TimeRange): void {
    if (this.loop) {
      this.scheduleTick();
      void this.seek(range.start);
      return;
    }
    this.state = 'ended';
    this.stopClock();
    this.emitStatus();
  }

  private scheduleTick(): void {
    this.cancelTick ??= this.scheduler.setTimer(this.tick, this.tickMs);
  }

  private stopClock(): void {
    this.clock.stop(this.currentTime);
    this.cancelTick?.();
    this.cancelTick = undefined;
    this.behindBy = 0;
  }

  /** Delivers every buffered message at or before the current time, as one batch. */
  private deliverDue(): void {
    const due = this.reader.takeDue(this.currentTime);
    if (due.length > 0) this.emitBatch(due, this.currentTime, false);
  }

  // Marks

  private async collectMarks(info: RecordingInfo): Promise<void> {
    const events = info.topics.find((t) => t.name === EVENTS_TOPIC);
    // A recording that lists its topics and has no events needs no pass.
    if (info.topics.length > 0 && (events?.messageCount ?? 0) === 0) {
      this.marksComplete = true;
      this.emitStatus();
      return;
    }
    try {
      // Events only: the source skips the metrics and inventories (nearly all of a recording)
      // as cheaply as its format allows, instead of the pass reading and parsing all of them.
      const iterable = this.source.messageIterator({
        start: info.range.start,
        end: info.range.end,
        topics: [EVENTS_TOPIC],
      });
      const it = iterable[Symbol.asyncIterator]();
      this.marksIterator = it;
      for (;;) {
        const r = await it.next();
        if (this.state === 'closed') return;
        if (r.done) break;
        this.marks.add(r.value);
      }
      this.marksComplete = true;
    } catch (e) {
      if (this.state === 'closed') return;
      this.addProblem(
        'marks:read',
        `not every event could be read for the scrub bar: ${errorText(e)}`,
      );
    }
    this.marksIterator = undefined;
    this.marksShown = [...this.marks.marks];
    this.emitStatus();
  }

  // Errors and status

  /** A method, not a comparison, so the compiler does not narrow the state across awaits. */
  private isClosed(): boolean {
    return this.state === 'closed';
  }

  private requireRange(action: string): TimeRange {
    if (this.state === 'closed') throw new Error(`cannot ${action}: the player is closed`);
    if (!this.range) {
      throw new Error(
        this.error
          ? `cannot ${action}: ${this.error}`
          : `cannot ${action} yet: the recording is still opening`,
      );
    }
    return this.range;
  }

  private fail(key: string, message: string): void {
    this.generation++;
    this.reader.stop();
    this.seeking = false;
    this.stopClock();
    this.state = 'error';
    this.error = message;
    this.addProblem(key, message);
    this.emitStatus();
  }

  private addProblem(key: string, message: string): void {
    const old = this.problems.get(key);
    this.problems.set(key, { key, message, count: (old?.count ?? 0) + 1 });
  }

  private emitBatch(records: readonly RecordedMessage[], receivedAt: number, seek: boolean): void {
    const messages: WireMessage[] = records.map((r) => r.message);
    const batch: PlayerBatch = {
      messages,
      receiveTimes: records.map((r) => r.receiveTime),
      receivedAt,
      seek,
    };
    for (const listener of this.batchListeners) {
      try {
        listener(batch);
      } catch (e) {
        // One failing consumer must not stop playback for the others.
        this.addProblem('consumer', `a consumer of the recording failed: ${errorText(e)}`);
      }
    }
  }

  private buildStatus(): PlayerStatus {
    const status: PlayerStatus = {
      state: this.state,
      currentTime: this.currentTime,
      lastSeekTime: this.lastSeekTime,
      range: this.range,
      speed: this.clock.speed,
      loop: this.loop,
      behindBy: this.behindBy,
      seeking: this.seeking,
      problems: [...this.problems.values()],
      info: this.info,
      marks: this.marksShown,
      marksOmitted: this.marks.omitted,
      marksComplete: this.marksComplete,
    };
    if (this.error !== undefined) status.error = this.error;
    return status;
  }

  private emitStatus(): void {
    this.statusValue = this.buildStatus();
    for (const listener of this.statusListeners) listener();
  }
}
