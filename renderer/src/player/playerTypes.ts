/**
 * What the player shows the rest of the console: batches shaped as the live sources' (so the store
 * ingests them unchanged) and a status for the UI (state, clock, range, speed, marks, problems).
 */
import type { WireMessage } from '../../../collector/core/protocol/spec.js';
import type { RecordingInfo, TimeRange } from '../../../collector/core/recorded/RecordedSource.js';
import type { SourceBatch } from '../sources/Source.js';
import type { EventMark } from './eventMarks.js';

export type PlayerState = 'initializing' | 'paused' | 'playing' | 'ended' | 'error' | 'closed';

/**
 * A SourceBatch whose `receivedAt` is the recording time the batch brings the console to (the
 * player's `currentTime`), never the wall clock.
 */
export interface PlayerBatch extends SourceBatch {
  messages: readonly WireMessage[];
  /** Each message's own receipt time on the recording's clock, parallel to `messages`. */
  receiveTimes: readonly number[];
  /**
   * True for the backfill a seek delivers: the latest inventory and metrics per node at or before
   * the seek time. The consumer drops what it holds first, then ingests this as the whole picture.
   */
  seek: boolean;
}

export type PlayerBatchListener = (batch: PlayerBatch) => void;

export interface PlayerProblem {
  /** Groups repeats, e.g. `read:error`, or the recording's own keys (`snapshot:truncated`). */
  key: string;
  message: string;
  count: number;
}

export interface PlayerStatus {
  state: PlayerState;
  /** Recording time the console shows (ms). */
  currentTime: number;
  /** Recording time of the last seek (ms); the start after opening. */
  lastSeekTime: number;
  /** Undefined until initialize has answered. */
  range: TimeRange | undefined;
  speed: number;
  loop: boolean;
  /**
   * How far (recording ms) playback should have got by the wall clock but has not, because the
   * reader has not read that far yet: 0 when keeping up. The clock waits for the reader rather
   * than skipping messages, and this says so.
   */
  behindBy: number;
  /** A seek's backfill is being read. */
  seeking: boolean;
  /** Why the state is `error`. */
  error?: string;
  /** The recording's problems (e.g. truncation) and read errors, counted. */
  problems: readonly PlayerProblem[];
  /** What initialize said (metadata for "Recording of <cluster>"), once it has. */
  info: RecordingInfo | undefined;
  /** Events to mark on the scrub bar, in time order. */
  marks: readonly EventMark[];
  /** Events not kept as marks (beyond the bound). */
  marksOmitted: number;
  /** The marks pass has read the whole recording. */
  marksComplete: boolean;
}
