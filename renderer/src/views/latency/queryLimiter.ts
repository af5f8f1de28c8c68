/**
 * At most `max` of the view's queries in flight, the most wanted first. Chromium keeps 6
 * connections per host over HTTP/1.1; 22 range queries sent at once queue there in an order
 * nobody chose, the selectors' metadata calls wait behind them (the Instance list took 47 s at 643
 * instances), and Prometheus spreads its cores over all of them so no panel finishes early. Here
 * the queue is ours: the visible panels' queries leave first, a few at a time, and two of the
 * browser's connections stay free for discovery and the selectors.
 *
 * Priority is read when a slot frees (a function), so a panel scrolled into view moves up while
 * it waits. A task whose signal aborts (its range was left) leaves the queue without running.
 */

export interface LimitedTask<T> {
  run: () => Promise<T>;
  /** Lower runs first; ties run in arrival order. */
  priority: () => number;
  signal?: AbortSignal;
}

interface Waiting {
  priority: () => number;
  seq: number;
  start: () => void;
  signal?: AbortSignal;
}

export class QueryLimiter {
  private active = 0;
  private seq = 0;
  private readonly queue: Waiting[] = [];

  constructor(readonly max: number) {
    if (!(max >= 1)) throw new RangeError(`max must be at least 1, got ${max}`);
  }

  /** Queries running now. */
  get inFlight(): number {
    return this.active;
  }

  /** Queries waiting for a slot. */
  get waiting(): number {
    return this.queue.length;
  }

  schedule<T>(task: LimitedTask<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const { signal } = task;
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const entry: Waiting = {
        priority: task.priority,
        seq: this.seq++,
        ...(signal ? { signal } : {}),
        start: () => {
          signal?.removeEventListener('abort', onAbort);
          this.active++;
          let p: Promise<T>;
          try {
            p = task.run();
          } catch (error) {
            p = Promise.reject(error as Error);
          }
          p.then(resolve, reject).finally(() => {
            this.active--;
            this.pump();
          });
        },
      };
      const onAbort = () => {
        const i = this.queue.indexOf(entry);
        if (i >= 0) this.queue.splice(i, 1);
        reject(signal!.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.queue.push(entry);
      this.pump();
    });
  }

  private pump(): void {
    while (this.active < this.max && this.queue.length > 0) {
      let best = 0;
      let bestP = this.queue[0]!.priority();
      for (let i = 1; i < this.queue.length; i++) {
        const p = this.queue[i]!.priority();
        if (p < bestP || (p === bestP && this.queue[i]!.seq < this.queue[best]!.seq)) {
          best = i;
          bestP = p;
        }
      }
      const [next] = this.queue.splice(best, 1);
      next!.start();
    }
  }
}

/** Range queries in flight per connection: 4 keep 2 of the browser's 6 for everything else. */
export const MAX_IN_FLIGHT = 4;

const limiters = new Map<string, QueryLimiter>();

/** One limiter per connection, shared by every mount of the view. */
export function limiterFor(connectionId: string): QueryLimiter {
  let l = limiters.get(connectionId);
  if (!l) {
    l = new QueryLimiter(MAX_IN_FLIGHT);
    limiters.set(connectionId, l);
  }
  return l;
}
