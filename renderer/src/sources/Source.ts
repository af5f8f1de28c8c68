/**
 * The one interface every data source implements: the local collector today, NATS fleets and
 * Prometheus history next. Views never see a source; the shell feeds its batches into a store and
 * shows its status. A source pushes: decoded wire messages in batches, plus a status (presence and
 * problems) that changes far less often.
 */
import type { WireMessage } from '../../../collector/core/protocol/spec.js';

export type PresenceState = 'connecting' | 'live' | 'reconnecting' | 'error' | 'closed';

export interface Presence {
  state: PresenceState;
  /** When the source entered this state (ms, local clock). */
  since: number;
  /** What the user should know about it, e.g. "unauthorized: token rejected". */
  message?: string;
  /**
   * The latest attempt to connect failed and the source retries: with `connecting`, a server never
   * reached (which must not read "Reconnecting"); the Test button answers on it at once.
   */
  attemptFailed?: boolean;
}

/**
 * Something wrong that does not stop the source, counted instead of repeated: 3 × "message
 * rejected, schema mismatch: metrics: /samples/0/v: must be number".
 */
export interface SourceProblem {
  /** Groups repeats of the same problem, e.g. `decode:schema`. */
  key: string;
  /** The latest occurrence, human-readable. */
  message: string;
  count: number;
  /** When it last happened (ms, local clock). */
  lastAt: number;
}

/**
 * Events read back from the server's storage on connect (NATS: the JetStream stream
 * OSPREY_EVENTS), or why there are none: a console that was away still sees what happened.
 */
export type EventHistoryState =
  | { state: 'loading'; since: number }
  | {
      state: 'loaded';
      /** Events from this time (ms, local clock) on were read. */
      since: number;
      /** Events messages read (after removing those already received live). */
      count: number;
      /** Matching messages in the whole window: more than `count` when the read was bounded. */
      total: number;
    }
  | { state: 'unavailable'; reason: string };

export interface SourceStatus {
  presence: Presence;
  problems: readonly SourceProblem[];
  /** Only on sources that can read event history (NatsSource). */
  eventHistory?: EventHistoryState;
}

/** Messages that arrived and wait to be decoded and stored (sources/IngestQueue.ts). */
export interface Backlog {
  messages: number;
  bytes: number;
  /** Local time (ms) the oldest waiting message arrived; undefined when none waits. */
  oldestAt: number | undefined;
}

/** Messages that arrived since the last batch, in arrival order. */
export interface SourceBatch {
  messages: readonly WireMessage[];
  /** When the batch was handed over (ms, local clock); ages are measured against it. */
  receivedAt: number;
  /** What still waits behind this batch, from sources that decode in slices. */
  backlog?: Backlog;
  /**
   * Messages read back from storage (event history): their stamps are when they happened, hours
   * before `receivedAt`, and are not judged against it as a live message's would be.
   */
  stored?: boolean;
}

export type BatchListener = (batch: SourceBatch) => void;

export interface Source {
  readonly id: string;
  readonly displayName: string;
  readonly kind: 'connection' | 'file';
  /** Immutable snapshot, replaced on every change (fit for useSyncExternalStore). */
  readonly status: SourceStatus;
  subscribe(listener: BatchListener): () => void;
  subscribeStatus(listener: () => void): () => void;
  start(): void;
  /** Stops for good: closes the connection, cancels retries, presence becomes `closed`. */
  stop(): void;
}
