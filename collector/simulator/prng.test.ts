import { describe, expect, it } from 'vitest';

import { deriveSeed, Rng } from './prng.js';

const take = (rng: Rng, n: number): number[] => Array.from({ length: n }, () => rng.next());

describe('Rng (mulberry32)', () => {
  it('gives the same sequence for the same seed and a different one for another', () => {
    expect(take(new Rng(42), 5)).toEqual(take(new Rng(42), 5));
    expect(take(new Rng(42), 5)).not.toEqual(take(new Rng(43), 5));
  });

  it('matches the reference mulberry32 output for seed 1', () => {
    // First outputs of the public-domain C reference (state += 0x6D2B79F5 …) / 2^32.
    const first = new Rng(1).next();
    expect(first).toBeCloseTo(0.6270739405881613, 15);
  });

  it('stays in [0, 1) with a plausible mean and normals with mean 0, sd 1', () => {
    const rng = new Rng(7);
    const xs = take(rng, 20_000);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    expect(xs.reduce((a, b) => a + b, 0) / xs.length).toBeCloseTo(0.5, 1);
    const zs = Array.from({ length: 20_000 }, () => rng.normal());
    const mean = zs.reduce((a, b) => a + b, 0) / zs.length;
    const sd = Math.sqrt(zs.reduce((a, z) => a + (z - mean) ** 2, 0) / zs.length);
    expect(mean).toBeCloseTo(0, 1);
    expect(sd).toBeCloseTo(1, 1);
  });

  it('draws Poisson counts with the asked mean, small and large', () => {
    const rng = new Rng(3);
    for (const mean of [0.5, 4, 80]) {
      const xs = Array.from({ length: 5000 }, () => rng.poisson(mean));
      expect(xs.every((x) => Number.isInteger(x) && x >= 0)).toBe(true);
      expect(xs.reduce((a, b) => a + b, 0) / xs.length).toBeCloseTo(mean, mean > 10 ? 0 : 1);
    }
    expect(rng.poisson(0)).toBe(0);
  });

  it('derives independent streams from one seed', () => {
    const a = deriveSeed(1, 'node', 'node-000');
    expect(deriveSeed(1, 'node', 'node-000')).toBe(a);
    expect(deriveSeed(1, 'node', 'node-001')).not.toBe(a);
    expect(deriveSeed(2, 'node', 'node-000')).not.toBe(a);
    expect(deriveSeed(1, 'node-000', 'node')).not.toBe(a);
  });

  it('refuses to pick from nothing', () => {
    expect(() => new Rng(1).pick([])).toThrow(/no items/);
  });
});
