/**
 * A source a test drives by hand: it emits the batches and sets the status it is told to, and
 * records whether it was started or stopped.
 */
import type { WireMessage } from '../../../collector/core/protocol/spec.js';
import type { BatchListener, PresenceState, Source, SourceStatus } from './Source.js';
import { StatusKeeper } from './StatusKeeper.js';

export class FakeSource implements Source {
  readonly kind = 'connection' as const;
  started = false;
  stopped = false;
  private readonly keeper: StatusKeeper;
  private readonly listeners = new Set<BatchListener>();

  constructor(
    readonly id = 'fake',
    readonly displayName = 'Fake source',
    private readonly now: () => number = Date.now,
  ) {
    this.keeper = new StatusKeeper(now);
  }

  get status(): SourceStatus {
    return this.keeper.status;
  }

  subscribe(listener: BatchListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  subscribeStatus(listener: () => void): () => void {
    return this.keeper.subscribe(listener);
  }

  start(): void {
    this.started = true;
  }

  stop(): void {
    this.stopped = true;
    this.keeper.setPresence('closed');
  }

  /** Delivers one batch to every subscriber. */
  emit(messages: readonly WireMessage[], receivedAt = this.now()): void {
    for (const listener of this.listeners) listener({ messages, receivedAt });
  }

  setPresence(state: PresenceState, message?: string): void {
    this.keeper.setPresence(state, message);
  }

  addProblem(key: string, message: string, count = 1): void {
    this.keeper.addProblem(key, message, count);
  }
}
