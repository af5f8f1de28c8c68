/**
 * The console's profile list: files opened and captures taken, in the order they came, plus the
 * captures still running (with their progress and a cancel). One per console, shared by every
 * page: a profile opened while looking at one cluster stays in the list on another. The flame
 * view reads it; the capture buttons (device drawer, engine rows) and the recording reader add to it.
 */
import type { ProfileSet } from '../../../collector/core/profile/model.js';

export type ProfileOrigin =
  | { readonly kind: 'file' }
  | { readonly kind: 'recording'; readonly recording: string }
  | {
      readonly kind: 'capture';
      /** Node the process ran on ("This machine" locally). */
      readonly node: string;
      readonly pid: number;
      readonly tool: 'py-spy' | 'perf';
      /** The connection it was asked through ('local' for this machine). */
      readonly connection: string;
    }
  | {
      /** One engine captured on several nodes, merged (profiles/engineProfiles.ts). */
      readonly kind: 'merged';
      /** The nodes whose captures it sums. */
      readonly nodes: readonly string[];
      readonly tool: 'py-spy' | 'perf';
      readonly connection: string;
    };

export interface ProfileEntry {
  readonly id: string;
  readonly set: ProfileSet;
  readonly origin: ProfileOrigin;
  /** Store-clock time it was added, ms since the epoch. */
  readonly addedAtMs: number;
}

/** A capture still running: what the list shows with a progress bar and a Cancel button. */
export interface PendingCapture {
  readonly id: string;
  /** "py-spy · pid 4121 · node-017" */
  readonly label: string;
  readonly startedAtMs: number;
  readonly durationMs: number;
  readonly cancel: () => void;
  /** Set when it failed: the message says what to do (missing tool, permission, exited). */
  readonly error?: string | undefined;
}

export interface LibraryState {
  readonly entries: readonly ProfileEntry[];
  readonly pending: readonly PendingCapture[];
}

export class ProfileLibrary {
  private state: LibraryState = { entries: [], pending: [] };
  private readonly listeners = new Set<() => void>();
  private nextId = 1;

  /** The current list; a new object after every change (for useSyncExternalStore). */
  readonly getState = (): LibraryState => this.state;

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  add(set: ProfileSet, origin: ProfileOrigin, addedAtMs: number): ProfileEntry {
    const entry: ProfileEntry = { id: `p${this.nextId++}`, set, origin, addedAtMs };
    this.update({ ...this.state, entries: [...this.state.entries, entry] });
    return entry;
  }

  remove(id: string): void {
    this.update({
      entries: this.state.entries.filter((e) => e.id !== id),
      pending: this.state.pending.filter((p) => p.id !== id),
    });
  }

  /** Shows a running capture; returns its id for `settle`. */
  begin(pending: Omit<PendingCapture, 'id' | 'error'>): string {
    const id = `c${this.nextId++}`;
    this.update({ ...this.state, pending: [...this.state.pending, { ...pending, id }] });
    return id;
  }

  /**
   * Ends a running capture: with a profile it joins the list (and the pending row goes); with an
   * error the row stays, showing the message until removed.
   */
  settle(
    id: string,
    result: { set: ProfileSet; origin: ProfileOrigin; atMs: number } | { error: string },
  ): ProfileEntry | undefined {
    if ('error' in result) {
      this.update({
        ...this.state,
        pending: this.state.pending.map((p) => (p.id === id ? { ...p, error: result.error } : p)),
      });
      return undefined;
    }
    const entry: ProfileEntry = {
      id: `p${this.nextId++}`,
      set: result.set,
      origin: result.origin,
      addedAtMs: result.atMs,
    };
    this.update({
      entries: [...this.state.entries, entry],
      pending: this.state.pending.filter((p) => p.id !== id),
    });
    return entry;
  }

  private update(next: LibraryState): void {
    this.state = next;
    for (const listener of this.listeners) listener();
  }
}
