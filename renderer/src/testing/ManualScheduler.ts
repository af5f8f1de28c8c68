/** A FrameScheduler a test drives: frames run on runFrames(), timers on advance(ms). */
import type { FrameScheduler } from '../sources/FrameBatcher.js';

interface Timer {
  due: number;
  callback: () => void;
}

export class ManualScheduler implements FrameScheduler {
  now = 0;
  private frames = new Set<() => void>();
  private timers = new Set<Timer>();

  requestFrame(callback: () => void): () => void {
    this.frames.add(callback);
    return () => this.frames.delete(callback);
  }

  setTimer(callback: () => void, ms: number): () => void {
    const timer = { due: this.now + ms, callback };
    this.timers.add(timer);
    return () => this.timers.delete(timer);
  }

  /** Runs every frame callback requested so far. */
  runFrames(): void {
    const frames = [...this.frames];
    this.frames.clear();
    for (const f of frames) f();
  }

  /** Moves the clock on, running timers as they fall due. */
  advance(ms: number): void {
    const end = this.now + ms;
    for (;;) {
      const next = [...this.timers].sort((a, b) => a.due - b.due)[0];
      if (!next || next.due > end) break;
      this.timers.delete(next);
      this.now = next.due;
      next.callback();
    }
    this.now = end;
  }

  get pendingTimers(): number {
    return this.timers.size;
  }
}
