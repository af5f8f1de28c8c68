import { describe, expect, it } from 'vitest';

import { childrenOf, nodeName, type CallTree } from './callTree.js';
import { changedMost, diffProfiles, DiffUnitError, shareDelta } from './diff.js';
import { profileOf } from './testProfile.js';

function child(tree: CallTree, node: number, name: string): number {
  const c = childrenOf(tree, node).find((n) => nodeName(tree, n) === name);
  if (c === undefined) throw new Error(`no ${name}`);
  return c;
}

describe('diffProfiles', () => {
  const before = profileOf(['main;parse 50', 'main;decode 50']);
  const after = profileOf(['main;parse 100', 'main;decode 50', 'main;gc 50']);

  it('holds both weights per path and reads change in shares of each total', () => {
    const diff = diffProfiles(before, after);
    expect(diff.beforeSum).toBe(100);
    expect(diff.afterSum).toBe(200);
    const main = child(diff, 0, 'main');
    const parse = child(diff, main, 'parse');
    const decode = child(diff, main, 'decode');
    const gc = child(diff, main, 'gc');
    expect([diff.beforeTotal[parse], diff.total[parse]]).toEqual([50, 100]);
    expect(shareDelta(diff, parse)).toBeCloseTo(0);
    expect(shareDelta(diff, decode)).toBeCloseTo(0.25 - 0.5);
    expect(shareDelta(diff, gc)).toBeCloseTo(0.25);
    expect(diff.beforeTotal[gc]).toBe(0);
  });

  it('keeps a frame that vanished after, with zero after weight', () => {
    const diff = diffProfiles(after, before);
    const gc = child(diff, child(diff, 0, 'main'), 'gc');
    expect([diff.beforeTotal[gc], diff.total[gc]]).toEqual([50, 0]);
  });

  it('keeps both totals exact under the node budget', () => {
    const many = (n: number, w: number) =>
      profileOf(Array.from({ length: n }, (_, i) => `main;f${i};g${i} ${w + (i % 7)}`));
    const diff = diffProfiles(many(400, 3), many(500, 5), 50);
    expect(diff.size).toBeLessThanOrEqual(50);
    expect(diff.total[0]).toBe(diff.afterSum);
    expect(diff.beforeTotal[0]).toBe(diff.beforeSum);
  });

  it('refuses two profiles of different units, naming both', () => {
    const bytes = { ...after, unit: 'bytes' as const, measure: 'alloc' as const, name: 'heap' };
    expect(() => diffProfiles(before, bytes)).toThrow(DiffUnitError);
    expect(() => diffProfiles(before, bytes)).toThrow(
      /"test" \(cpu samples\).*"heap" \(alloc bytes\)/,
    );
  });
});

describe('changedMost', () => {
  it('ranks functions by their change in self share, with both weights', () => {
    const rows = changedMost(
      profileOf(['main;parse 50', 'main;decode 50']),
      profileOf(['main;parse 100', 'main;decode 50', 'main;gc 50']),
    );
    expect(
      rows
        .map((r) => r.name)
        .slice(0, 2)
        .sort(),
    ).toEqual(['decode', 'gc']);
    const gc = rows.find((r) => r.name === 'gc')!;
    expect(gc).toMatchObject({ selfBefore: 0, selfAfter: 50, totalAfter: 50 });
    expect(gc.selfDelta).toBeCloseTo(0.25);
    const parse = rows.find((r) => r.name === 'parse')!;
    expect(parse.selfDelta).toBeCloseTo(0);
    expect(rows.find((r) => r.name === 'main')!.totalDelta).toBeCloseTo(0);
  });
});
