import { describe, expect, it } from 'vitest';

import { QueryLimiter } from './queryLimiter.js';

function deferred() {
  let resolve!: (v: string) => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<string>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const flush = () => new Promise((r) => setTimeout(r, 0));

describe('QueryLimiter', () => {
  it('keeps at most max in flight and starts the lowest priority first as slots free', async () => {
    const limiter = new QueryLimiter(2);
    const started: string[] = [];
    const gates = new Map<string, ReturnType<typeof deferred>>();
    const task = (id: string, priority: number) => {
      const d = deferred();
      gates.set(id, d);
      return limiter.schedule({
        run: () => {
          started.push(id);
          return d.promise;
        },
        priority: () => priority,
      });
    };
    const all = [task('a', 5), task('b', 5), task('c', 9), task('d', 1), task('e', 1)];
    const settled = Promise.allSettled(all);
    expect(started).toEqual(['a', 'b']);
    expect(limiter.inFlight).toBe(2);
    expect(limiter.waiting).toBe(3);
    gates.get('a')!.resolve('a');
    await flush();
    expect(started).toEqual(['a', 'b', 'd']);
    gates.get('b')!.reject(new Error('b failed'));
    await flush();
    expect(started).toEqual(['a', 'b', 'd', 'e']);
    for (const id of ['d', 'e']) gates.get(id)!.resolve(id);
    await flush();
    gates.get('c')!.resolve('c');
    const results = await settled;
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : r.reason.message))).toEqual([
      'a',
      'b failed',
      'c',
      'd',
      'e',
    ]);
    expect(limiter.inFlight).toBe(0);
  });

  it('reads priority when a slot frees, so a panel scrolled into view moves up', async () => {
    const limiter = new QueryLimiter(1);
    const started: string[] = [];
    let visible = false;
    const first = deferred();
    void limiter.schedule({ run: () => first.promise, priority: () => 0 });
    const run = (id: string) => () => {
      started.push(id);
      return Promise.resolve(id);
    };
    const a = limiter.schedule({ run: run('a'), priority: () => 5 });
    const b = limiter.schedule({ run: run('b'), priority: () => (visible ? 1 : 10) });
    visible = true;
    first.resolve('x');
    await Promise.all([a, b]);
    expect(started).toEqual(['b', 'a']);
  });

  it('drops a waiting task whose signal aborts, without running it', async () => {
    const limiter = new QueryLimiter(1);
    const gate = deferred();
    void limiter.schedule({ run: () => gate.promise, priority: () => 0 });
    const ac = new AbortController();
    let ran = false;
    const waiting = limiter.schedule({
      run: () => {
        ran = true;
        return Promise.resolve('no');
      },
      priority: () => 0,
      signal: ac.signal,
    });
    ac.abort(new DOMException('left the range', 'AbortError'));
    await expect(waiting).rejects.toThrow('left the range');
    expect(limiter.waiting).toBe(0);
    gate.resolve('done');
    await flush();
    expect(ran).toBe(false);
  });
});
