import { describe, expect, it } from 'vitest';
import { StackTable } from './StackTable.js';

describe('StackTable', () => {
  it('interns identical stacks once and sums their weights and counts', () => {
    const t = new StackTable();
    const a = t.intern([0, 1, 2]);
    expect(t.intern([0, 1, 2])).toBe(a);
    expect(t.intern([0, 1])).not.toBe(a);
    t.addSample(a, 3, 1);
    t.addSample(a, 4, 1);
    const p = t.toProfile('p', 'samples', 'cpu', []);
    expect(p.stacks).toEqual([
      [0, 1, 2],
      [0, 1],
    ]);
    // The stack without samples is not a sample.
    expect(p.sampleStacks).toEqual([0]);
    expect(p.weights).toEqual([7]);
    expect(p.counts).toEqual([2]);
  });

  it('keeps stacks apart when their hashes collide', () => {
    const t = new StackTable();
    const a = t.internPath([1, 2], 2, 42);
    const b = t.internPath([2, 1], 2, 42);
    const c = t.internPath([1, 2, 3], 3, 42);
    expect(new Set([a, b, c]).size).toBe(3);
    expect(t.internPath([2, 1], 2, 42)).toBe(b);
  });

  it('grows past its first table without losing stacks', () => {
    const t = new StackTable();
    const ids = Array.from({ length: 10_000 }, (_, i) => t.intern([i % 7, i]));
    expect(Array.from({ length: 10_000 }, (_, i) => t.intern([i % 7, i]))).toEqual(ids);
    expect(t.size).toBe(10_000);
  });

  it('leaves counts out when every sample stands for one', () => {
    const t = new StackTable();
    t.addSample(t.intern([0]), 5, 1);
    expect(t.toProfile('p', 'nanoseconds', 'wall', []).counts).toBeUndefined();
  });
});
