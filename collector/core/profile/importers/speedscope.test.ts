// The core's code never touches files; its tests read their fixtures.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildCallTree } from '../callTree.js';
import { type Profile, totalWeight } from '../model.js';
import { importSpeedscope } from './speedscope.js';
import { ProfileImportError } from './types.js';

const dir = new URL('../fixtures/speedscope/', import.meta.url);
const load = (name: string) =>
  importSpeedscope({ name, bytes: new Uint8Array(readFileSync(new URL(name, dir))) });
const json = (name: string) =>
  JSON.parse(readFileSync(new URL(name, dir), 'utf8')) as {
    profiles: { weights: number[]; startValue: number; endValue: number }[];
  };

function stackWeight(p: Profile, names: string[]): { weight: number; count: number } {
  let weight = 0;
  let count = 0;
  p.sampleStacks.forEach((s, i) => {
    if (p.stacks[s]!.map((f) => p.frames[f]!.name).join(';') === names.join(';')) {
      weight += p.weights[i]!;
      count += p.counts?.[i] ?? 1;
    }
  });
  return { weight, count };
}

describe('importSpeedscope', () => {
  it.each(['simple.speedscope.json', 'simple-no-pretty-print.speedscope.json'])(
    '%s (evented): self time per stack, total equal to endValue − startValue',
    (name) => {
      const set = importSpeedscope({
        name,
        bytes: new Uint8Array(readFileSync(new URL(name, dir))),
      });
      const p = set.profiles[0]!;
      const file = json(name).profiles[0]!;
      expect(totalWeight(p)).toBe(file.endValue - file.startValue);
      expect(buildCallTree(p).total[0]).toBe(14);
      expect(p).toMatchObject({ name: 'simple.txt', unit: 'samples', measure: 'wall' });
      // a;b;c is open 0–2 and 6–9: two calls, 5 of self time; a;b;d 2–6; a;b alone 9–14.
      expect(stackWeight(p, ['a', 'b', 'c'])).toEqual({ weight: 5, count: 2 });
      expect(stackWeight(p, ['a', 'b', 'd'])).toEqual({ weight: 4, count: 1 });
      expect(stackWeight(p, ['a', 'b'])).toEqual({ weight: 5, count: 1 });
    },
  );

  it('sampled (simple-sampled): weights in seconds → nanoseconds, totals equal to the file', () => {
    const p = load('simple-sampled.speedscope.json').profiles[0]!;
    const file = json('simple-sampled.speedscope.json').profiles[0]!;
    expect(totalWeight(p)).toBe(file.weights.reduce((a, b) => a + b, 0) * 1e9);
    expect(p).toMatchObject({ unit: 'nanoseconds', measure: 'cpu' });
    expect(stackWeight(p, ['a', 'b', 'c']).weight).toBe(5e9);
  });

  it('reads every profile of a file sharing one frame table (two-sampled)', () => {
    const set = load('two-sampled.speedscope.json');
    expect(set.name).toBe('Two Samples');
    expect(set.meta.source).toBe('speedscope@0.6.0');
    expect(set.profiles.map((p) => p.name)).toEqual(['one', 'two']);
    expect(set.profiles[0]!.frames).toBe(set.profiles[1]!.frames);
  });

  it("reads py-spy's speedscope: a profile per thread with file and line", () => {
    const set = load('py-spy-threads.speedscope.json');
    const file = json('py-spy-threads.speedscope.json');
    expect(set.profiles.map((p) => p.name)).toEqual([
      'Thread 11333 "MainThread"',
      'Thread 11335 "worker"',
    ]);
    set.profiles.forEach((p, i) => {
      const expected = file.profiles[i]!.weights.reduce((a, b) => a + b, 0) * 1e9;
      expect(totalWeight(p)).toBeCloseTo(expected, 0);
    });
    expect(set.profiles[0]!.frames.find((f) => f.name === 'tokenize' && f.line === 10)).toEqual({
      name: 'tokenize',
      file: '/tmp/h1/tokenize_bench.py',
      line: 10,
      kind: 'python',
      module: 'h1',
    });
  });

  it('refuses unbalanced evented profiles, naming the event (speedscope invalid samples)', () => {
    expect(() => load('invalid-out-of-order-events.json')).toThrow(ProfileImportError);
    expect(() => load('invalid-out-of-order-events.json')).toThrow(
      'invalid-out-of-order-events.json: speedscope: profiles[0] ("p1"): events[6] closes frame 1 but the innermost open frame is 0 (opened by events[3])',
    );
    expect(() => load('invalid-incomplete-trace.json')).toThrow(
      'profiles[0] ("p1"): events[0] opens frame 0 that is never closed',
    );
  });

  it('refuses truncated JSON with the line, and a frame index out of range', () => {
    expect(() => load('crafted-truncated.json')).toThrow(
      /^crafted-truncated\.json, line 3: speedscope: not valid JSON/,
    );
    expect(() => load('crafted-bad-frame-index.json')).toThrow(
      'profiles[0] ("p"): samples[1] names frame 7, not one of the 2 shared frames',
    );
  });

  it('refuses events going back in time, naming the event', () => {
    const doc = {
      shared: { frames: [{ name: 'a' }] },
      profiles: [
        {
          type: 'evented',
          name: 'p',
          unit: 'none',
          startValue: 0,
          endValue: 5,
          events: [
            { type: 'O', frame: 0, at: 3 },
            { type: 'C', frame: 0, at: 2 },
          ],
        },
      ],
    };
    const bytes = new TextEncoder().encode(JSON.stringify(doc));
    expect(() => importSpeedscope({ name: 'back.json', bytes })).toThrow(
      'events[1] at 2 is before the previous event (3)',
    );
  });
});
