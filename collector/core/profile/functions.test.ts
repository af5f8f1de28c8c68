import { describe, expect, it } from 'vitest';

import { buildCallTree, childrenOf, nodeName } from './callTree.js';
import { topFunctions } from './functions.js';
import { sandwich } from './sandwich.js';
import { profileOf } from './testProfile.js';

describe('topFunctions', () => {
  it('sums self everywhere and counts a recursive function once per stack in total and calls', () => {
    const rows = topFunctions(buildCallTree(profileOf(['main;f;f;g 4', 'main;f 2', 'main;g 3'])));
    const byName = new Map(rows.map((r) => [r.name, r]));
    expect(byName.get('f')).toMatchObject({ self: 2, total: 6, calls: 2 });
    expect(byName.get('g')).toMatchObject({ self: 7, total: 7, calls: 2 });
    expect(byName.get('main')).toMatchObject({ self: 0, total: 9 });
    expect(rows[0]!.name).toBe('g');
  });
});

describe('sandwich', () => {
  it('shows the callers of a function inverted and its callees merged across call sites', () => {
    const tree = buildCallTree(
      profileOf(['main;a;f;x 4', 'main;b;f;x 1', 'main;b;f;y 2', 'main;f 3', 'z 9']),
    );
    const { callers, callees } = sandwich(tree, 'f');
    expect(callers.name).toBe('f');
    expect(callers.total[0]).toBe(10);
    const callerTotals = Object.fromEntries(
      childrenOf(callers, 0).map((c) => [nodeName(callers, c), callers.total[c]]),
    );
    expect(callerTotals).toEqual({ a: 4, b: 3, main: 3 });
    const viaA = childrenOf(callers, 0).find((c) => nodeName(callers, c) === 'a')!;
    expect(childrenOf(callers, viaA).map((c) => nodeName(callers, c))).toEqual(['main']);
    expect(callees.total[0]).toBe(10);
    expect(callees.self[0]).toBe(3);
    const calleeTotals = Object.fromEntries(
      childrenOf(callees, 0).map((c) => [nodeName(callees, c), callees.total[c]]),
    );
    expect(calleeTotals).toEqual({ x: 5, y: 2 });
  });

  it('keeps a recursive call inside the outermost one', () => {
    const tree = buildCallTree(profileOf(['f;f;g 2', 'f 1']));
    const { callees } = sandwich(tree, 'f');
    expect(callees.total[0]).toBe(3);
    const inner = childrenOf(callees, 0).find((c) => nodeName(callees, c) === 'f')!;
    expect(callees.total[inner]).toBe(2);
  });
});
