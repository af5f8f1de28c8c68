import { describe, expect, it } from 'vitest';

import { inSeriesOrder, seriesStyle, UNLISTED } from './seriesStyle.js';

describe('seriesStyle', () => {
  it('gives each stage one colour of its own, the same on every call', () => {
    const stages = ['queue', 'prefill', 'decode', 'ttft', 'inter_token', 'e2e'];
    const colours = stages.map((s) => seriesStyle(s).color);
    expect(new Set(colours).size).toBe(stages.length);
    expect(seriesStyle('decode')).toEqual(seriesStyle('decode'));
    expect(seriesStyle('Decode').color).toBe(seriesStyle('decode').color);
  });

  it('keeps p50 blue, p90 yellow, p99 red', () => {
    expect(seriesStyle('p50').color).toBe('#5794f2');
    expect(seriesStyle('p90').color).toBe('#fade2a');
    expect(seriesStyle('p99').color).toBe('#f2495c');
  });

  it('colours an unknown kind by its name, stably, and lists it after the table', () => {
    const a = seriesStyle('repetition');
    expect(a).toEqual(seriesStyle('repetition'));
    expect(a.order).toBe(UNLISTED);
    expect(a.color).toMatch(/^#[0-9a-f]{6}$/);
  });
});

describe('inSeriesOrder', () => {
  it('orders by the table whatever order the answers came in', () => {
    const arrived = ['decode', 'queue', 'prefill'];
    expect(inSeriesOrder(arrived, (s) => s)).toEqual(['queue', 'prefill', 'decode']);
    expect(inSeriesOrder(['p99', 'p50', 'p90'], (s) => s)).toEqual(['p50', 'p90', 'p99']);
  });

  it('puts unknown kinds after known ones, by name, and keeps equal kinds in arrival order', () => {
    const list = [
      { k: 'zeta', i: 0 },
      { k: 'stop', i: 1 },
      { k: 'alpha', i: 2 },
      { k: 'stop', i: 3 },
    ];
    expect(inSeriesOrder(list, (x) => x.k).map((x) => x.i)).toEqual([1, 3, 2, 0]);
  });
});
