/**
 * Recording time from wall time: `time = anchorTime + (now - anchorWall) × speed` while running.
 * Anchored (not accumulated tick by tick) so a late or skipped timer never makes the clock drift:
 * after 10 min of 16× playback it reads exactly 160 min on, however the ticks fell.
 */
export interface PlayerScheduler {
  /** Monotonic wall time (ms). */
  now(): number;
  /** Calls `callback` after `ms`; returns a cancel function. */
  setTimer(callback: () => void, ms: number): () => void;
}

export const browserPlayerScheduler: PlayerScheduler = {
  now: () => performance.now(),
  setTimer(callback, ms) {
    const id = setTimeout(callback, ms);
    return () => clearTimeout(id);
  },
};

export class PlaybackClock {
  private anchorTime: number;
  private anchorWall = 0;
  private running = false;

  constructor(
    private readonly now: () => number,
    time: number,
    private speedValue = 1,
  ) {
    this.anchorTime = time;
  }

  get speed(): number {
    return this.speedValue;
  }

  get isRunning(): boolean {
    return this.running;
  }

  /** The recording time the wall clock says playback has reached (not clamped to anything). */
  time(): number {
    if (!this.running) return this.anchorTime;
    return this.anchorTime + (this.now() - this.anchorWall) * this.speedValue;
  }

  /** Moves to `time`; keeps running or stopped as it was. */
  set(time: number): void {
    this.anchorTime = time;
    this.anchorWall = this.now();
  }

  start(): void {
    if (this.running) return;
    this.anchorWall = this.now();
    this.running = true;
  }

  /** Stops at `time` (the time shown, which may lag the wall clock when reading fell behind). */
  stop(time = this.time()): void {
    this.running = false;
    this.anchorTime = time;
  }

  /** Changes speed from `time` on (the time shown), so the switch never jumps. */
  setSpeed(speed: number, time = this.time()): void {
    this.set(time);
    this.speedValue = speed;
  }
}
