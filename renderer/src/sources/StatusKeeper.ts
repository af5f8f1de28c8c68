/**
 * Holds a source's presence and problems as one immutable snapshot and tells listeners when it
 * changes. Shared by every source so they count and report problems the same way.
 */
import type { EventHistoryState, Presence, PresenceState, SourceStatus } from './Source.js';

/** A source that keeps failing in new ways must not grow its problem list without bound. */
const MAX_PROBLEMS = 50;

export class StatusKeeper {
  private current: SourceStatus;
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly now: () => number,
    initial: PresenceState = 'connecting',
  ) {
    this.current = { presence: { state: initial, since: now() }, problems: [] };
  }

  get status(): SourceStatus {
    return this.current;
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  setPresence(state: PresenceState, message?: string, attemptFailed = false): void {
    const old = this.current.presence;
    if (old.state === state && old.message === message && !!old.attemptFailed === attemptFailed) {
      return;
    }
    const presence: Presence =
      message === undefined ? { state, since: this.now() } : { state, since: this.now(), message };
    if (attemptFailed) presence.attemptFailed = true;
    // A reconnect that keeps failing updates its message but is still the same outage.
    if (old.state === state) presence.since = old.since;
    this.update({ ...this.current, presence });
  }

  setEventHistory(eventHistory: EventHistoryState): void {
    this.update({ ...this.current, eventHistory });
  }

  /** Counts one more occurrence of the problem `key`; `message` replaces the previous one. */
  addProblem(key: string, message: string, count = 1): void {
    const at = this.now();
    const problems = [...this.current.problems];
    const i = problems.findIndex((p) => p.key === key);
    if (i >= 0) {
      const old = problems[i]!;
      problems[i] = { key, message, count: old.count + count, lastAt: at };
    } else {
      if (problems.length >= MAX_PROBLEMS) problems.shift();
      problems.push({ key, message, count, lastAt: at });
    }
    this.update({ ...this.current, problems });
  }

  private update(next: SourceStatus): void {
    this.current = next;
    for (const listener of this.listeners) listener();
  }
}
