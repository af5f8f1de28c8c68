/**
 * The console's "now": the time every age, "updated N s ago", stale fade and time axis is read
 * against (issue 11, "A clock that the source drives"). Views never read the wall clock; the
 * source's driver moves this one:
 *
 * - a live source: each batch advances it to its receipt time (LiveStore.ingest), and the shell
 *   ticks it with the platform's time once a second (hooks/useWallClockDriver), so ages keep
 *   counting while nothing arrives;
 * - a recorded source: the player's batches carry recording time (PlayerBatch.receivedAt), and a
 *   seek sets it anywhere in the recording (`seek`), backwards included.
 *
 * 0 until the first time is given: the shell's driver ticks a new clock before its first paint.
 */
export class StoreClock {
  private now = 0;
  private seekAt: number | undefined;
  private seeks = 0;
  private readonly listeners = new Set<() => void>();

  /** The time the console shows (ms since the epoch; recording time for a recording). */
  get currentTime(): number {
    return this.now;
  }

  /** The time of the last seek (ms), undefined while the clock has only run forward. */
  get lastSeekTime(): number | undefined {
    return this.seekAt;
  }

  /** Seeks so far: a change means the clock jumped (views show it at once, not throttled). */
  get seekCount(): number {
    return this.seeks;
  }

  /**
   * The driver's time: the platform's wall clock (live) or the player's (recorded). Follows it
   * even backwards (a wall clock stepped back by NTP): ages are then briefly negative, which is
   * less wrong than freezing the console until the old time comes round again. Not a finite
   * number: ignored.
   */
  tick(now: number): boolean {
    if (!Number.isFinite(now) || now === this.now) return false;
    this.now = now;
    this.notify();
    return true;
  }

  /** A batch received at `time`: moves the clock forward only (batches of a backlog arrive late). */
  advance(time: number): boolean {
    if (!Number.isFinite(time) || time <= this.now) return false;
    this.now = time;
    this.notify();
    return true;
  }

  /** A jump (a recording's seek): the clock is `time`, and the last seek was there. */
  seek(time: number): void {
    if (!Number.isFinite(time)) {
      throw new RangeError(`cannot seek the store clock to ${String(time)}: not a finite time`);
    }
    this.now = time;
    this.seekAt = time;
    this.seeks += 1;
    this.notify();
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  private notify(): void {
    for (const listener of this.listeners) listener();
  }
}
