/**
 * Counts problems between status updates. A hostile or broken publisher can send thousands of bad
 * messages a second; telling the StatusKeeper about each would re-render the console each time.
 * The tally adds them up and hands the sums over at most every `everyMs`.
 */
import type { FrameScheduler } from './FrameBatcher.js';
import type { StatusKeeper } from './StatusKeeper.js';

export class ProblemTally {
  private pending = new Map<string, { message: string; count: number }>();
  private cancel: (() => void) | undefined;

  constructor(
    private readonly keeper: StatusKeeper,
    private readonly scheduler: FrameScheduler,
    private readonly everyMs = 250,
  ) {}

  add(key: string, message: string): void {
    const entry = this.pending.get(key);
    if (entry) {
      entry.count += 1;
      entry.message = message;
    } else {
      this.pending.set(key, { message, count: 1 });
    }
    this.cancel ??= this.scheduler.setTimer(() => this.flush(), this.everyMs);
  }

  flush(): void {
    this.cancel?.();
    this.cancel = undefined;
    const pending = this.pending;
    this.pending = new Map();
    for (const [key, { message, count }] of pending) this.keeper.addProblem(key, message, count);
  }

  clear(): void {
    this.cancel?.();
    this.cancel = undefined;
    this.pending = new Map();
  }
}
