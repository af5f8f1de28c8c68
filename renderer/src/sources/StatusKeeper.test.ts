import { describe, expect, it } from 'vitest';

import { StatusKeeper } from './StatusKeeper.js';

describe('StatusKeeper', () => {
  it('counts repeats of a problem under one key and keeps the newest message', () => {
    let t = 0;
    const keeper = new StatusKeeper(() => t);
    keeper.addProblem('decode:schema', 'first');
    t = 5;
    keeper.addProblem('decode:schema', 'second');
    expect(keeper.status.problems).toEqual([
      { key: 'decode:schema', message: 'second', count: 2, lastAt: 5 },
    ]);
  });

  it('replaces its snapshot on change and notifies, but not for a repeat of the same presence', () => {
    const keeper = new StatusKeeper(() => 0);
    let calls = 0;
    keeper.subscribe(() => (calls += 1));
    const before = keeper.status;
    keeper.setPresence('connecting');
    expect(calls).toBe(0);
    keeper.setPresence('live');
    expect(calls).toBe(1);
    expect(keeper.status).not.toBe(before);
  });

  it('keeps the start of an outage while its message changes', () => {
    let t = 10;
    const keeper = new StatusKeeper(() => t);
    keeper.setPresence('reconnecting', 'retrying in 1 s');
    t = 20;
    keeper.setPresence('reconnecting', 'retrying in 2 s');
    expect(keeper.status.presence).toEqual({
      state: 'reconnecting',
      since: 10,
      message: 'retrying in 2 s',
    });
  });

  it('holds at most 50 distinct problems, dropping the oldest', () => {
    const keeper = new StatusKeeper(() => 0);
    for (let i = 0; i < 60; i++) keeper.addProblem(`k${i}`, 'x');
    expect(keeper.status.problems).toHaveLength(50);
    expect(keeper.status.problems[0]!.key).toBe('k10');
  });
});
