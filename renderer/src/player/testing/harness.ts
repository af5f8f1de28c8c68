/**
 * A player over the fake recording, driven by a manual clock: `run(ms)` moves wall time on in small
 * steps and lets the reads the timers released finish between them, as a browser's event loop does.
 */
import {
  FakeRecordedSource,
  type FakeRecordedSourceOptions,
} from '../../../../collector/core/recorded/FakeRecordedSource.js';
import type { RecordedMessage } from '../../../../collector/core/recorded/RecordedSource.js';
import type { WireMessage } from '../../../../collector/core/protocol/spec.js';
import { ManualScheduler } from '../../testing/ManualScheduler.js';
import type { PlayerScheduler } from '../PlaybackClock.js';
import { Player, type PlayerOptions } from '../Player.js';
import type { PlayerBatch } from '../playerTypes.js';

/** Lets every pending promise chain run (a macrotask comes after all microtasks). */
export const flush = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

export interface Harness {
  sched: ManualScheduler;
  source: FakeRecordedSource;
  player: Player;
  batches: PlayerBatch[];
  /** Moves wall time on by `ms` in `step` ms steps, flushing reads after each. */
  run(ms: number, step?: number): Promise<void>;
  /** Messages of the non-seek batches from batch index `from` on. */
  playedSince(from: number): WireMessage[];
}

export function makeHarness(
  recording: readonly RecordedMessage[],
  options: {
    player?: Partial<PlayerOptions>;
    source?: (sched: ManualScheduler) => FakeRecordedSourceOptions;
  } = {},
): Harness {
  const sched = new ManualScheduler();
  const scheduler: PlayerScheduler = {
    now: () => sched.now,
    setTimer: (callback, ms) => sched.setTimer(callback, ms),
  };
  const source = new FakeRecordedSource(recording, options.source?.(sched));
  const player = new Player(source, { scheduler, ...options.player });
  const batches: PlayerBatch[] = [];
  player.subscribe((b) => batches.push(b));
  return {
    sched,
    source,
    player,
    batches,
    async run(ms, step = 10) {
      for (let done = 0; done < ms; done += step) {
        sched.advance(Math.min(step, ms - done));
        await flush();
      }
    },
    playedSince(from) {
      return batches
        .slice(from)
        .filter((b) => !b.seek)
        .flatMap((b) => b.messages);
    },
  };
}

/** A read delay of `ms` on the harness's own clock. */
export const delayOf =
  (ms: number) =>
  (sched: ManualScheduler): FakeRecordedSourceOptions => ({
    readDelay: () => new Promise<void>((resolve) => sched.setTimer(resolve, ms)),
  });
