import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { buildCallTree, childrenOf, limitNodes, nodeName, type CallTree } from './callTree.js';
import { totalWeight } from './model.js';
import { profileOf } from './testProfile.js';

/** "a;b" → node, by names from the root. */
function find(tree: CallTree, path: string[]): number {
  let node = 0;
  for (const name of path) {
    const next = childrenOf(tree, node).find((c) => nodeName(tree, c) === name);
    if (next === undefined) throw new Error(`no ${path.join(';')}`);
    node = next;
  }
  return node;
}

describe('buildCallTree', () => {
  it('gives each node the weight of the stacks through it (total) and ending at it (self)', () => {
    const tree = buildCallTree(profileOf(['a;b;c 5', 'a;b 2', 'a;d 3', 'a;b;c 1', 'e 4']));
    expect(tree.total[0]).toBe(15);
    expect(tree.total[find(tree, ['a'])]).toBe(11);
    expect(tree.self[find(tree, ['a'])]).toBe(0);
    expect(tree.total[find(tree, ['a', 'b'])]).toBe(8);
    expect(tree.self[find(tree, ['a', 'b'])]).toBe(2);
    expect(tree.total[find(tree, ['a', 'b', 'c'])]).toBe(6);
    expect(tree.count[find(tree, ['a', 'b', 'c'])]).toBe(2);
    expect(tree.depth[find(tree, ['a', 'b', 'c'])]).toBe(3);
    expect(tree.size).toBe(6);
  });

  it('puts an empty stack on the root itself', () => {
    const tree = buildCallTree(profileOf([' 3', 'a 1']));
    expect(tree.self[0]).toBe(3);
    expect(tree.total[0]).toBe(4);
  });

  it('keeps the same frame under different parents as different nodes', () => {
    const tree = buildCallTree(profileOf(['a;x 1', 'b;x 2']));
    expect(tree.total[find(tree, ['a', 'x'])]).toBe(1);
    expect(tree.total[find(tree, ['b', 'x'])]).toBe(2);
  });
});

const stacksArb = fc.array(
  fc.tuple(fc.array(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'), { maxLength: 8 }), fc.nat(50)),
  { minLength: 1, maxLength: 60 },
);

describe('limitNodes', () => {
  it('returns the tree untouched within the budget', () => {
    const tree = buildCallTree(profileOf(['a;b 1']));
    expect(limitNodes(tree, 10)).toBe(tree);
  });

  it('merges the smallest subtrees into one named node, keeping every total exact', () => {
    const tree = buildCallTree(
      profileOf(['main;big 90', 'main;small1;x 3', 'main;small2 2', 'main;small3 1', 'other 4']),
    );
    const cut = limitNodes(tree, 5);
    expect(cut.size).toBeLessThanOrEqual(5);
    expect(cut.total[0]).toBe(100);
    const main = find(cut, ['main']);
    expect(cut.total[main]).toBe(96);
    const names = childrenOf(cut, main).map((c) => nodeName(cut, c));
    expect(names[0]).toBe('big');
    // small1 (with x), small2 and small3: 4 frames, 6 % of 100.
    expect(names).toContain('(4 smaller frames, 6.0 %)');
    expect(cut.reduction).toMatchObject({ budget: 5, originalNodes: 8, mergedWeight: 6 });
  });

  it('keeps root total, sizes ≤ budget and every kept path total for any tree (property)', () => {
    fc.assert(
      fc.property(stacksArb, fc.integer({ min: 2, max: 30 }), (rows, budget) => {
        const profile = profileOf(rows.map(([s, w]) => `${s.join(';')} ${w}`));
        const tree = buildCallTree(profile);
        expect(tree.total[0]).toBe(totalWeight(profile));
        const cut = limitNodes(tree, budget);
        expect(cut.size).toBeLessThanOrEqual(Math.max(budget, tree.size <= budget ? tree.size : 0));
        expect(cut.total[0]).toBe(tree.total[0]);
        // Every node's total is its self plus its children's, in the reduced tree too.
        for (let n = 0; n < cut.size; n++) {
          let sum = cut.self[n]!;
          for (const c of childrenOf(cut, n)) sum += cut.total[c]!;
          expect(cut.total[n]).toBeCloseTo(sum, 9);
        }
        // A kept node weighs what the same path weighs in the full tree.
        const paths: string[][] = [[]];
        for (let n = 1; n < cut.size; n++) {
          paths[n] = [...paths[cut.parent[n]!]!, nodeName(cut, n)];
          if (cut.frame[n]! < tree.frames.length) {
            expect(cut.total[n]).toBe(tree.total[find(tree, paths[n]!)]);
          }
        }
        // Merged weight + kept self = all of it.
        let selfSum = 0;
        for (let n = 0; n < cut.size; n++) selfSum += cut.self[n]!;
        expect(selfSum).toBeCloseTo(tree.total[0]!, 9);
      }),
    );
  });
});
