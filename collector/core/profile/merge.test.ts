import { describe, expect, it } from 'vitest';

import { buildCallTree, childrenOf, nodeName } from './callTree.js';
import { DiffUnitError } from './diff.js';
import { mergeProfiles } from './merge.js';
import { totalWeight } from './model.js';
import { profileOf } from './testProfile.js';

describe('mergeProfiles', () => {
  it('sums the profiles and joins the same frames into one path', () => {
    const a = profileOf(['main;step 3', 'main;io 1'], 'node-1');
    const b = profileOf(['main;step 5', 'other 2'], 'node-2');
    const merged = mergeProfiles([a, b], 'all nodes');
    expect(totalWeight(merged)).toBe(11);
    const tree = buildCallTree(merged);
    const main = childrenOf(tree, 0).find((c) => nodeName(tree, c) === 'main')!;
    const step = childrenOf(tree, main).find((c) => nodeName(tree, c) === 'step')!;
    expect(tree.total[step]).toBe(8);
    expect(merged.frames.filter((f) => f.name === 'main')).toHaveLength(1);
  });

  it('refuses profiles of different units, naming the one that differs', () => {
    const bytes = { ...profileOf(['a 1'], 'heap'), unit: 'bytes' as const };
    expect(() => mergeProfiles([profileOf(['a 1']), bytes], 'x')).toThrow(DiffUnitError);
    expect(() => mergeProfiles([profileOf(['a 1']), bytes], 'x')).toThrow(/"heap"/);
  });
});
