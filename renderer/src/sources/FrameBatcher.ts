/**
 * Collects items as they arrive and hands them over at most once per animation frame, so a burst of
 * messages (the 120 s backlog on connect, or 4,096 devices at 2 Hz) costs one store update and one
 * render instead of hundreds. Browsers stop animation frames in hidden tabs; a timer flushes then,
 * so the queue cannot grow while nobody looks.
 */
export interface FrameScheduler {
  /** Calls `callback` before the next paint; returns a cancel function. */
  requestFrame(callback: () => void): () => void;
  /** Calls `callback` after `ms`; returns a cancel function. */
  setTimer(callback: () => void, ms: number): () => void;
}

export const browserScheduler: FrameScheduler = {
  requestFrame(callback) {
    const id = requestAnimationFrame(() => callback());
    return () => cancelAnimationFrame(id);
  },
  setTimer(callback, ms) {
    const id = setTimeout(callback, ms);
    return () => clearTimeout(id);
  },
};

/** How long a hidden tab may hold messages before they are flushed without a frame. */
const HIDDEN_FLUSH_MS = 1000;

export class FrameBatcher<T> {
  private pending: T[] = [];
  private cancels: Array<() => void> = [];

  constructor(
    private readonly scheduler: FrameScheduler,
    private readonly deliver: (items: T[]) => void,
  ) {}

  push(item: T): void {
    this.pending.push(item);
    if (this.cancels.length > 0) return;
    this.cancels = [
      this.scheduler.requestFrame(() => this.flush()),
      this.scheduler.setTimer(() => this.flush(), HIDDEN_FLUSH_MS),
    ];
  }

  /** Hands over everything pending now. */
  flush(): void {
    for (const cancel of this.cancels) cancel();
    this.cancels = [];
    if (this.pending.length === 0) return;
    const items = this.pending;
    this.pending = [];
    this.deliver(items);
  }

  /** Drops everything pending and any scheduled flush. */
  clear(): void {
    for (const cancel of this.cancels) cancel();
    this.cancels = [];
    this.pending = [];
  }
}
