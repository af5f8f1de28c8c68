import { describe, expect, it } from 'vitest';

import { importSpeedscope } from '../importers/speedscope.js';
import { totalWeight, type ProfileSet } from '../model.js';
import { profileOf } from '../testProfile.js';
import { toSpeedscope, toSpeedscopeFile } from './speedscope.js';

/** speedscope's own test sample stackcollapse/simple.txt, as lines (also fixtures/folded). */
const SIMPLE = ['a;b;c 1', 'a;b;c 1', 'a;b;d 4', 'a;b;c 3', 'a;b 5'];

function setOf(...profiles: ProfileSet['profiles']): ProfileSet {
  return { format: 'folded', name: 'simple.txt', profiles, meta: {}, warnings: [] };
}

describe('toSpeedscope', () => {
  it('writes a sampled profile per profile over frames shared between them', () => {
    // SIMPLE with its stacks shared, samples in the file's order: c, c, d, c, b.
    const simple = profileOf(['a;b;c 1', 'a;b;d 4', 'a;b 5'], 'one');
    const one = { ...simple, sampleStacks: [0, 0, 1, 0, 2], weights: [1, 1, 4, 3, 5] };
    const file = toSpeedscopeFile(setOf(one, profileOf(['a;x 2'], 'two')));
    expect(file.$schema).toBe('https://www.speedscope.app/file-format-schema.json');
    expect(file.shared.frames.map((f) => f.name)).toEqual(['a', 'b', 'c', 'd', 'x']);
    expect(file.profiles.map((p) => [p.type, p.name, p.unit, p.startValue, p.endValue])).toEqual([
      ['sampled', 'one', 'none', 0, 14],
      ['sampled', 'two', 'none', 0, 2],
    ]);
    // Root → leaf; the two samples of a;b;c in a row are one entry of weight 2, the third is not.
    expect(file.profiles[0]!.samples).toEqual([
      [0, 1, 2],
      [0, 1, 3],
      [0, 1, 2],
      [0, 1],
    ]);
    expect(file.profiles[0]!.weights).toEqual([2, 4, 3, 5]);
    expect(file.profiles[1]!.samples).toEqual([[0, 4]]);
  });

  it('maps units: nanoseconds and bytes as they are, samples and counts as none', () => {
    const p = profileOf(SIMPLE);
    const units = (['nanoseconds', 'bytes', 'samples', 'count'] as const).map(
      (unit) => toSpeedscopeFile(setOf({ ...p, unit })).profiles[0]!.unit,
    );
    expect(units).toEqual(['nanoseconds', 'bytes', 'none', 'none']);
  });

  it('keeps file and line, and frames that differ only by line apart', () => {
    const p = {
      ...profileOf(['f;g 1', 'f;h 1']),
      frames: [
        { name: 'f', file: 'serve.py', line: 3, kind: 'python' as const },
        { name: 'g', file: 'serve.py', line: 9, kind: 'python' as const },
        { name: 'g', file: 'serve.py', line: 12, kind: 'python' as const },
      ],
    };
    expect(toSpeedscopeFile(setOf(p)).shared.frames).toEqual([
      { name: 'f', file: 'serve.py', line: 3 },
      { name: 'g', file: 'serve.py', line: 9 },
      { name: 'g', file: 'serve.py', line: 12 },
    ]);
  });

  it('re-imports through the speedscope importer to the same totals and stacks', () => {
    const set = setOf(profileOf(SIMPLE, 'one'), profileOf(['a;x 2', 'y 1'], 'two'));
    const again = importSpeedscope({
      name: 'out.json',
      bytes: new TextEncoder().encode(toSpeedscope(set)),
    });
    expect(again.profiles.map((p) => [p.name, totalWeight(p)])).toEqual([
      ['one', 14],
      ['two', 3],
    ]);
    const paths = (p: ProfileSet['profiles'][number]) => {
      const sums = new Map<string, number>();
      p.sampleStacks.forEach((s, i) => {
        const key = p.stacks[s]!.map((f) => p.frames[f]!.name).join(';');
        sums.set(key, (sums.get(key) ?? 0) + p.weights[i]!);
      });
      return Object.fromEntries(sums);
    };
    expect(paths(again.profiles[0]!)).toEqual({ 'a;b;c': 5, 'a;b;d': 4, 'a;b': 5 });
    expect(paths(again.profiles[1]!)).toEqual({ 'a;x': 2, y: 1 });
  });
});
