/**
 * What a recording offers a player: the iterable-source shape of Lichtblick's players
 * (https://github.com/lichtblick-suite/lichtblick, IterablePlayer / IIterableSource). A source only
 * initializes and iterates; ONE generic player does play, pause, seek, speed and loop on top of any
 * of them (an MCAP snapshot, a test fake, later other recorded formats).
 *
 * Times are milliseconds on the recording's clock: the receipt time the recorder stamped (what the
 * operators' console saw), not the senders' own `ts`, which stays inside each message.
 */
import type {
  InventoryMessage,
  MessageType,
  MetricsMessage,
  WireMessage,
} from '../protocol/spec.js';

/** A wire type's topic (and schema) name in a recording: `osprey.v1.<type>`. */
export function topicOf(type: MessageType): string {
  return `osprey.v1.${type}`;
}

export interface TimeRange {
  /** First message's receipt time (ms since the epoch). */
  start: number;
  /** Last message's receipt time (ms since the epoch). */
  end: number;
}

/** One kind of message in the recording: a wire message type, with how many there are. */
export interface RecordedTopic {
  /** The wire type's schema name, e.g. `osprey.v1.metrics`. */
  name: string;
  messageCount: number;
}

/** Something wrong with the file that does not stop it from being read (e.g. truncation). */
export interface RecordingProblem {
  /** Groups repeats, e.g. `snapshot:truncated`. */
  key: string;
  /** Human-readable: "the file ends mid-chunk: 2 of 61 chunks (3.1 MB) lost; the last 48 s are missing". */
  message: string;
}

export interface RecordingInfo {
  range: TimeRange;
  topics: readonly RecordedTopic[];
  problems: readonly RecordingProblem[];
  /** What the recorder wrote about itself (never secrets): version, connection name, cluster… */
  metadata: Readonly<Record<string, string>>;
  /** Whether the file had its summary (a clean end); false for a recording killed mid-write. */
  complete: boolean;
}

/** One message as it was received. */
export interface RecordedMessage {
  /** Receipt time on the recording's clock (ms). */
  receiveTime: number;
  message: WireMessage;
}

export interface MessageIteratorArgs {
  /** Inclusive (ms). */
  start: number;
  /** Inclusive (ms); the range end when omitted. */
  end?: number;
  /**
   * Only messages of these topics (RecordedTopic.name, e.g. `osprey.v1.events`); every topic when
   * omitted. A name the recording does not hold matches nothing, so `[]` yields nothing. As
   * Lichtblick's MessageIteratorArgs.topics: a pass that needs one kind (the scrub bar's event
   * marks) asks for that kind, and a source skips the rest as cheaply as its format allows.
   */
  topics?: readonly string[];
}

/**
 * The state a seek needs to show a complete picture at once: per node, its latest inventory and
 * its latest metrics message at or before the time, with their receipt times.
 */
export interface Backfill {
  time: number;
  messages: readonly RecordedMessage[];
}

export interface RecordedSource {
  initialize(): Promise<RecordingInfo>;
  /**
   * Messages (of `topics` only, when given) in receipt-time order (ties in file order), from
   * `start` to `end` or the recording's end.
   */
  messageIterator(args: MessageIteratorArgs): AsyncIterable<RecordedMessage>;
  /** Latest inventory and metrics per node at or before `time` (events are not backfilled). */
  getBackfill(time: number): Promise<Backfill>;
  /** Releases the file. */
  close(): Promise<void>;
}

export type BackfillMessage = InventoryMessage | MetricsMessage;
